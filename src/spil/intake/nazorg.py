"""Nazorg ex-gedetineerden: detention notices that the ZVH does not take up go to the gemeente.

Every detention notice (meldformulier "detentie") is weighed (seed 002: "bij ontvangst van de detentiemelding wordt
altijd afgewogen en verrijkt"; the table decides where the regie lies: local, ZVH or PI). When the weegtafel opens no
case, the intake or bedrijfsbureau records the handover to the gemeente where the person settles, with the reason
(Bestuurlijk Akkoord re-integratie: "overdracht van in-detentie-meldingen naar gemeenten wanneer deze niet door
nazorg ZVH opgepakt worden"). The handover is shown on the melding, written in its timeline and counted by the
monitor as a nazorg outcome (`monitor.figures`).

Signal "intake.release-without-plan" (Vrijlating binnen 14 dagen zonder plan): a detention notice whose expected
release is within `lead_days` (or passed less than AFTER_RELEASE_DAYS ago) while nobody has a plan for it: no case
from it has a plan van aanpak, it was not handed over to the gemeente, and the weegtafel did not settle it elsewhere
(routing to a partner or another region, or geen actie). A melding the weegtafel routed to the local level stays
signalled until its handover is recorded. To the intake and bedrijfsbureau of the house (for a restricted theme:
the worker who registered it and the bedrijfsbureau) and the procesregisseur of a case opened from it. The title
names the melding number only.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import DateField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from spil.access import policy
from spil.access.processing import failures_logged, log_report
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.deadlines import registry
from spil.deadlines.registry import Detected, Kind, link_to
from spil.deadlines.urgency import end_of_day
from spil.intake import channels
from spil.intake.models import Handover, Report, ReportStatus
from spil.logbook.models import Action
from spil.organisations.models import Membership, Role
from spil.timeline.models import EventKind
from spil.timeline.services import record


def handover_refusal(report: Report) -> str | None:
    """Why this melding cannot (yet) be handed over to the gemeente; None when it can."""
    if report.form != channels.DETENTION:
        return "Alleen een detentiemelding kan voor nazorg aan de gemeente worden overgedragen."
    if Handover.objects.filter(report=report).exists():
        return "Deze melding is al aan de gemeente overgedragen."
    if report.cases.exists():
        return "Uit deze melding is een casus geopend: het ZVH heeft de nazorg opgepakt."
    if report.status != ReportStatus.TRIAGED:
        return "Een detentiemelding wordt eerst gewogen: draag haar over als de weegtafel geen casus opent."
    return None


@failures_logged(log_report)
@transaction.atomic
def hand_over_to_municipality(report: Report, *, actor, municipality, reason: str) -> Handover:
    """Record that the gemeente takes the nazorg of this detention notice over from the ZVH."""
    policy.require(actor, "nazorg.handover", report.house)
    report = Report.objects.select_for_update().get(pk=report.pk)  # one handover, even when two people click
    if refusal := handover_refusal(report):
        raise IllegalTransition(refusal)
    if municipality.house_id != report.house_id:
        raise DomainError(f"Kies een gemeente van {report.house}.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Geef de reden van de overdracht aan de gemeente.")
    handover = Handover.objects.create(
        report=report, municipality=municipality, reason=reason, handed_over_by=actor, handed_over_at=clock.now()
    )
    record(actor=actor, kind=EventKind.STATUS, report=report, text=f"Nazorg overgedragen aan de gemeente {municipality}: {reason}")
    log_report(Action.UPDATE, report, actor)
    registry.changed()  # the release signal of this melding resolves
    return handover


# --- signal: release within 14 days without a plan --------------------------------------------------------------

RELEASE_WITHOUT_PLAN = Kind("intake.release-without-plan", "Vrijlating binnen 14 dagen zonder plan", lead_days=14)
AFTER_RELEASE_DAYS = 28  # still signalled this long after the expected release
RECIPIENT_ROLES = (Role.INTAKE, Role.BACK_OFFICE)


def release_date():
    """The expected release of a detention notice, cast from its JSON details in SQL."""
    return Cast(KT("details__expected_release"), DateField())


def detect_release_without_plan(now: datetime.datetime) -> list[Detected]:
    from spil.cases.models import Case
    from spil.plans.models import Plan
    from spil.triage.models import Outcome, TriageItem

    today = timezone.localdate(now)
    settled_elsewhere = TriageItem.objects.filter(
        report=OuterRef("pk"), decided_at__isnull=False, outcome__in=[Outcome.PARTNER, Outcome.OTHER_REGION, Outcome.NO_ACTION]
    )
    reports = list(
        Report.objects.filter(form=channels.DETENTION)
        .annotate(release=release_date())
        .filter(
            release__lte=today + datetime.timedelta(days=RELEASE_WITHOUT_PLAN.lead_days),
            release__gte=today - datetime.timedelta(days=AFTER_RELEASE_DAYS),
        )
        .exclude(Exists(Plan.objects.filter(case__report=OuterRef("pk"))))
        .exclude(Exists(Handover.objects.filter(report=OuterRef("pk"))))
        .exclude(Exists(settled_elsewhere))
        .select_related("requested_case_type")
        .order_by("release", "pk")
    )
    if not reports:
        return []
    staff, back_office = defaultdict(set), defaultdict(set)
    memberships = Membership.objects.filter(house__in={report.house_id for report in reports}, role__in=RECIPIENT_ROLES)
    for house_id, user_id, role in memberships.values_list("house_id", "user_id", "role"):
        staff[house_id].add(user_id)
        if role == Role.BACK_OFFICE:
            back_office[house_id].add(user_id)
    directors = defaultdict(set)
    cases = Case.objects.filter(report__in=[report.pk for report in reports], process_director__isnull=False)
    for report_id, director_id in cases.values_list("report_id", "process_director_id"):
        directors[report_id].add(director_id)
    report_url = link_to("intake:detail")
    detected = []
    for report in reports:
        if report.requested_case_type.restricted:  # shielded: not the whole intake team
            recipients = back_office[report.house_id] | ({report.created_by_id} & staff[report.house_id])
        else:
            recipients = set(staff[report.house_id])
        released = report.release < today
        detected.append(
            Detected(
                key=f"{RELEASE_WITHOUT_PLAN.code}:{report.pk}",
                kind=RELEASE_WITHOUT_PLAN.code,
                house_id=report.house_id,
                due=end_of_day(report.release),
                title=f"Detentiemelding {report.number}: {'vrijgelaten' if released else 'vrijlating binnen 14 dagen'} zonder plan",
                url=report_url(report.number),
                recipients=frozenset(recipients | directors[report.pk]),
            )
        )
    return detected
