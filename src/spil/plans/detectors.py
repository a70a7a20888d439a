"""Signals of the plan van aanpak (see `spil.deadlines.registry`). Titles name a case number, never a person.

- plans.action-due: an open or running action of an accepted or running plan, from 7 days before its due date; to
  the responsible person (else the partner's users) and the procesregisseur.
- plans.confirmation-requested: a partner is asked to confirm delivery; to the partner's users, and also to the
  procesregisseur once it waits longer than CONFIRMATION_WAIT_DAYS.
- plans.offer-not-started: offered or accepted, not started, from 2 days before a week after the offer; to the
  directors.
- plans.evaluation-due: a running plan, from 14 days before its evaluation (start or last evaluation + the case
  type's rhythm); to the directors.
"""

import datetime
from collections.abc import Collection, Iterable

from django.db.models import DateField, ExpressionWrapper, F, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from spil.access import policy
from spil.cases.models import CaseStatus
from spil.casetypes.models import CaseType
from spil.deadlines.registry import Detected, Kind, link_to, only_cases
from spil.deadlines.urgency import end_of_day
from spil.plans.models import (
    OFFER_START_DAYS,
    Action,
    ConfirmationStatus,
    DeliveryConfirmation,
    Plan,
    PlanStatus,
)

ACTION_DUE = Kind("plans.action-due", "Actie verloopt", lead_days=7, per_case=True)
CONFIRMATION_REQUESTED = Kind("plans.confirmation-requested", "Bevestiging plan van aanpak gevraagd", lead_days=5, per_case=True)
OFFER_NOT_STARTED = Kind("plans.offer-not-started", "Plan aangeboden maar niet gestart", lead_days=2, per_case=True)
EVALUATION_DUE = Kind("plans.evaluation-due", "Evaluatie plan van aanpak", lead_days=14, per_case=True)

CONFIRMATION_WAIT_DAYS = 5  # a partner is asked to answer within this many days


def _directors(case) -> set[int]:
    return {pk for pk in (case.process_director_id, case.case_director_id) if pk}


def _partner_users(cases_and_partners) -> dict[tuple[int, int], frozenset[int]]:
    return policy.partner_users({(case.pk, partner_id): (case, partner_id) for case, partner_id in cases_and_partners}.values())


def detect_due_actions(now: datetime.datetime, cases: Collection[int] | None = None) -> list[Detected]:
    today = timezone.localdate(now)
    actions = (
        only_cases(Action.objects.active(), cases, "plan__case")
        .filter(
            plan__status__in=[PlanStatus.ACCEPTED, PlanStatus.RUNNING],
            plan__case__status=CaseStatus.OPEN,
            due_on__lte=today + datetime.timedelta(days=ACTION_DUE.lead_days),
        )
        .select_related("plan__case__case_type", "partner")
        .order_by("due_on", "pk")
    )
    actions = list(actions)
    partner_users = _partner_users((action.plan.case, action.partner_id) for action in actions if not action.responsible_id)
    progress_url = link_to("plans:progress")
    detected = []
    for action in actions:
        case = action.plan.case
        doers = {action.responsible_id} if action.responsible_id else set(partner_users[(case.pk, action.partner_id)])
        state = "verlopen" if action.due_on < today else "verloopt"
        detected.append(
            Detected(
                key=f"{ACTION_DUE.code}:{action.pk}",
                kind=ACTION_DUE.code,
                house_id=case.house_id,
                case_id=case.pk,
                due=end_of_day(action.due_on),
                title=f"Actie van {action.partner} in {case.number} {state} op {action.due_on:%d-%m-%Y}",
                url=progress_url(action.pk),
                recipients=frozenset(doers | ({case.process_director_id} if case.process_director_id else set())),
            )
        )
    return detected


def actions_changed_by_time(since: datetime.datetime, now: datetime.datetime) -> Iterable[int]:
    """An action is signalled from `lead_days` before its due date, and "verlopen" after it: both follow the local date."""
    first, last = timezone.localdate(since), timezone.localdate(now)
    lead = datetime.timedelta(days=ACTION_DUE.lead_days)
    comes_in = Q(due_on__gt=first + lead, due_on__lte=last + lead)
    expires = Q(due_on__gte=first, due_on__lt=last)
    return Action.objects.active().filter(comes_in | expires).values_list("plan__case_id", flat=True)


def detect_requested_confirmations(now: datetime.datetime, cases: Collection[int] | None = None) -> list[Detected]:
    confirmations = (
        only_cases(DeliveryConfirmation.objects.all(), cases, "plan__case")
        .filter(status=ConfirmationStatus.REQUESTED, plan__status=PlanStatus.CONFIRMING, plan__case__status=CaseStatus.OPEN)
        .select_related("plan__case__case_type", "partner")
        .order_by("requested_at", "pk")
    )
    confirmations = [confirmation for confirmation in confirmations if confirmation.round == confirmation.plan.confirmation_round]
    partner_users = _partner_users((confirmation.plan.case, confirmation.partner_id) for confirmation in confirmations)
    confirmation_url = link_to("plans:confirmation")
    detected = []
    for confirmation in confirmations:
        case = confirmation.plan.case
        due = confirmation.requested_at + datetime.timedelta(days=CONFIRMATION_WAIT_DAYS)
        recipients = set(partner_users[(case.pk, confirmation.partner_id)])
        if due <= now and case.process_director_id:
            recipients.add(case.process_director_id)
        detected.append(
            Detected(
                key=f"{CONFIRMATION_REQUESTED.code}:{confirmation.pk}",
                kind=CONFIRMATION_REQUESTED.code,
                house_id=case.house_id,
                case_id=case.pk,
                due=due,
                title=f"{confirmation.partner}: bevestig de acties in het plan van aanpak van {case.number}",
                url=confirmation_url(confirmation.pk),
                recipients=frozenset(recipients),
            )
        )
    return detected


def confirmations_changed_by_time(since: datetime.datetime, now: datetime.datetime) -> Iterable[int]:
    """The procesregisseur is told as well once a partner has not answered for CONFIRMATION_WAIT_DAYS."""
    wait = datetime.timedelta(days=CONFIRMATION_WAIT_DAYS)
    waiting = DeliveryConfirmation.objects.filter(
        status=ConfirmationStatus.REQUESTED, requested_at__gt=since - wait, requested_at__lte=now - wait
    )
    return waiting.values_list("plan__case_id", flat=True)


def detect_offers_not_started(now: datetime.datetime, cases: Collection[int] | None = None) -> list[Detected]:
    plans = (
        only_cases(Plan.objects.all(), cases)
        .filter(
            status__in=[PlanStatus.OFFERED, PlanStatus.ACCEPTED],
            case__status=CaseStatus.OPEN,
            offered_on__lte=_offered_by(timezone.localdate(now)),
        )
        .select_related("case")
    )
    plan_url = link_to("plans:plan")
    return [
        Detected(
            key=f"{OFFER_NOT_STARTED.code}:{plan.pk}",
            kind=OFFER_NOT_STARTED.code,
            house_id=plan.case.house_id,
            case_id=plan.case_id,
            due=end_of_day(plan.start_before),
            title=f"Plan van aanpak {plan.case.number} aangeboden op {plan.offered_on:%d-%m-%Y}: start uiterlijk {plan.start_before:%d-%m-%Y}",
            url=plan_url(plan.case.number),
            recipients=frozenset(_directors(plan.case)),
        )
        for plan in plans
    ]


def offers_changed_by_time(since: datetime.datetime, now: datetime.datetime) -> Iterable[int]:
    """A plan offered and not started is signalled from a number of days after its offer, by the local date."""
    first, last = (_offered_by(timezone.localdate(moment)) for moment in (since, now))
    return Plan.objects.filter(
        status__in=[PlanStatus.OFFERED, PlanStatus.ACCEPTED], offered_on__gt=first, offered_on__lte=last
    ).values_list("case_id", flat=True)


def _offered_by(today: datetime.date) -> datetime.date:
    """Plans offered on or before this date are signalled today when they have not started."""
    return today - datetime.timedelta(days=OFFER_START_DAYS - OFFER_NOT_STARTED.lead_days)


def detect_due_evaluations(now: datetime.datetime, cases: Collection[int] | None = None) -> list[Detected]:
    """Running plans whose next evaluation (last evaluation or start + the case type's rhythm) is near or past.
    The SQL filter uses the shortest rhythm of any case type, so it keeps only candidates."""
    today = timezone.localdate(now)
    shortest = CaseType.objects.aggregate(days=Min("evaluation_interval_days"))["days"] or 0
    plans = (
        only_cases(Plan.objects.all(), cases)
        .filter(status=PlanStatus.RUNNING, case__status=CaseStatus.OPEN, started_on__isnull=False)
        .annotate(last_evaluated_on=Max("evaluations__evaluated_on"), since=Coalesce("last_evaluated_on", "started_on"))
        .filter(since__lte=today + datetime.timedelta(days=EVALUATION_DUE.lead_days - shortest))
        .select_related("case__case_type")
    )
    plan_url = link_to("plans:plan")
    detected = []
    for plan in plans:
        due = (plan.last_evaluated_on or plan.started_on) + datetime.timedelta(days=plan.case.case_type.evaluation_interval_days)
        if due - datetime.timedelta(days=EVALUATION_DUE.lead_days) > today:
            continue
        detected.append(
            Detected(
                key=f"{EVALUATION_DUE.code}:{plan.pk}:{plan.last_evaluated_on or plan.started_on:%Y%m%d}",
                kind=EVALUATION_DUE.code,
                house_id=plan.case.house_id,
                case_id=plan.case_id,
                due=end_of_day(due),
                title=f"Evaluatie plan van aanpak {plan.case.number} (versie {plan.version_number}) uiterlijk {due:%d-%m-%Y}",
                url=plan_url(plan.case.number),
                recipients=frozenset(_directors(plan.case)),
            )
        )
    return detected


def evaluations_changed_by_time(since: datetime.datetime, now: datetime.datetime) -> Iterable[int]:
    """A running plan is signalled from `lead_days` before its next evaluation (its rhythm after the last one, or after
    the start), by the local date: the plans whose evaluation is due in (since, now] + `lead_days`."""
    first, last = timezone.localdate(since), timezone.localdate(now)
    if first == last:
        return []  # nothing changes within a day, and finding each plan's last evaluation takes a while (0.3 s nationally)
    lead = datetime.timedelta(days=EVALUATION_DUE.lead_days)
    rhythm = F("case__case_type__evaluation_interval_days")
    next_due = ExpressionWrapper(Coalesce(Max("evaluations__evaluated_on"), "started_on") + rhythm, output_field=DateField())
    plans = Plan.objects.filter(status=PlanStatus.RUNNING, started_on__isnull=False).annotate(next_due=next_due)
    window = {"next_due__gt": first + lead, "next_due__lte": last + lead}
    return plans.filter(**window).values_list("case_id", flat=True)


DETECTORS = [
    (ACTION_DUE, detect_due_actions, actions_changed_by_time),
    (CONFIRMATION_REQUESTED, detect_requested_confirmations, confirmations_changed_by_time),
    (OFFER_NOT_STARTED, detect_offers_not_started, offers_changed_by_time),
    (EVALUATION_DUE, detect_due_evaluations, evaluations_changed_by_time),
]
