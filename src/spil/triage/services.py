"""Business rules of the weegtafel: the weekly cut-off, the agenda and the decision per melding."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from spil.access import policy
from spil.core import clock
from spil.casetypes.models import CaseType
from spil.core.errors import DomainError, IllegalTransition
from spil.core.versioning import lock
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.triage.models import CRITERIA, Outcome, SessionStatus, TriageItem, TriageSession

CONSULT_CASE_TYPE = "consult-advies"
ROUTING_OUTCOMES = {Outcome.LOCAL, Outcome.PARTNER, Outcome.OTHER_REGION}


def cutoff_for(house, starts_at: datetime.datetime) -> datetime.datetime:
    """The last weekly cut-off moment (house setting, e.g. Monday 12:00) at or before the session starts."""
    local = timezone.localtime(starts_at)
    days_back = (local.weekday() - house.triage_cutoff_weekday) % 7
    candidate = datetime.datetime.combine(local.date() - datetime.timedelta(days=days_back), house.triage_cutoff_time)
    candidate = timezone.make_aware(candidate)
    if candidate > starts_at:
        candidate -= datetime.timedelta(days=7)
    return candidate


@transaction.atomic
def plan_session(*, actor, house, starts_at, location="", participants=(), external_participants="") -> TriageSession:
    policy.require(actor, "triage.plan", house)
    session = TriageSession.objects.create(
        house=house,
        starts_at=starts_at,
        location=location,
        cutoff_at=cutoff_for(house, starts_at),
        external_participants=external_participants,
        created_by=actor,
    )
    session.participants.set(participants)
    refresh_agenda(session, actor=actor)
    return session


def eligible_reports(session: TriageSession):
    """Meldingen of the house ready before the cut-off and not yet waiting on another agenda."""
    waiting = TriageItem.objects.filter(decided_at__isnull=True).values("report_id")
    return Report.objects.filter(house=session.house, status=ReportStatus.READY, ready_at__lte=session.cutoff_at).exclude(pk__in=waiting)


@transaction.atomic
def refresh_agenda(session: TriageSession, *, actor) -> list[TriageItem]:
    """Put every eligible melding on the agenda; meldingen ready after the cut-off wait for the next table."""
    policy.require(actor, "triage.plan", session.house)
    if session.status != SessionStatus.PLANNED:
        raise IllegalTransition("De agenda van een afgeronde weegtafel kan niet meer veranderen.")
    order = session.items.aggregate(last=Max("order"))["last"] or 0
    added = []
    for report in eligible_reports(session).select_for_update().order_by("ready_at", "pk"):
        order += 1
        added.append(TriageItem.objects.create(session=session, report=report, order=order))
        record(actor=actor, kind=EventKind.AGENDA, report=report, text=f"Geagendeerd voor de {session}.")
    return added


@transaction.atomic
def decide(
    item: TriageItem,
    *,
    actor,
    ave_level: int,
    outcome: str,
    reasons: str,
    criteria: set[str] = frozenset(),
    case_type: CaseType | None = None,
    routed_to: str = "",
    participants=None,
    process_director=None,
) -> TriageItem:
    """Record the table's decision on one melding; procesregie and C&A open a case."""
    from spil.cases import services as case_services

    policy.require(actor, "triage.decide", item.session.house)
    # Lock the session, then the item: a decision cannot race with closing the table or with itself.
    session = item.session
    lock(session)
    lock(item)
    if session.status != SessionStatus.PLANNED:
        raise IllegalTransition("Deze weegtafel is afgerond; er kan niet meer worden gewogen.")
    if item.decided:
        raise IllegalTransition(f"Over melding {item.report.number} is al besloten.")
    outcome = Outcome(outcome)
    if unknown := set(criteria) - set(CRITERIA):
        raise DomainError(f"Onbekende criteria: {', '.join(sorted(unknown))}.")
    if not reasons.strip():
        raise DomainError("Geef een motivering voor het besluit.")
    if outcome == Outcome.PROCESS_DIRECTION and not criteria:
        raise DomainError("Procesregie door het ZVH vraagt dat de melding aan minstens één landelijk criterium voldoet.")
    if outcome in ROUTING_OUTCOMES and not routed_to.strip():
        raise DomainError("Geef aan naar wie de melding wordt gerouteerd.")
    if outcome == Outcome.CONSULT:
        case_type = CaseType.objects.get(code=CONSULT_CASE_TYPE)
    elif outcome == Outcome.PROCESS_DIRECTION:
        case_type = case_type or item.report.requested_case_type
        if case_type.label_for_id is not None:
            raise DomainError(f"'{case_type}' is een label, geen aanpak; kies de aanpak van de casus.")
    else:
        case_type = None

    item.decided_at = clock.now()
    item.decided_by = actor
    for name in CRITERIA:
        setattr(item, name, name in criteria)
    item.ave_level = ave_level
    item.outcome = outcome
    item.case_type = case_type
    item.reasons = reasons
    item.routed_to = routed_to
    item.save()
    item.participants.set(participants if participants is not None else session.participants.all())

    report = item.report
    intake_services.mark_triaged(report, actor=actor)
    summary = f"Gewogen aan de {session}: {outcome.label}, AVE {ave_level}."
    if routed_to:
        summary += f" Gerouteerd naar {routed_to}."
    record(actor=actor, kind=EventKind.TRIAGE, report=report, text=f"{summary} Motivering: {reasons}")
    if outcome in Outcome.opening_a_case():
        persons = list(report.persons.all())
        # Separate dossiers (mensenhandel): one unlinked case per person, e.g. victim and suspected perpetrator.
        groups = [[person] for person in persons] if case_type.separate_dossiers else [persons]
        for group in groups:
            case_services.open_case(
                actor=actor,
                house=session.house,
                case_type=case_type,
                report=report,
                persons=group,
                ave_level=ave_level,
                reason=f"Vastgesteld door de {session}.",
                process_director=process_director,
            )
    return item


@transaction.atomic
def close_session(session: TriageSession, *, actor) -> TriageSession:
    policy.require(actor, "triage.plan", session.house)
    lock(session)
    if session.status != SessionStatus.PLANNED:
        raise IllegalTransition("Deze weegtafel is al afgerond.")
    if open_items := session.items.filter(decided_at__isnull=True).count():
        raise IllegalTransition(f"Er zijn nog {open_items} meldingen zonder besluit; weeg die eerst.")
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    return session
