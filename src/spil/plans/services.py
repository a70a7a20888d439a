"""Business rules of the plan van aanpak.

Life of a version: concept → ter bevestiging (every partner with an action confirms it can deliver) → aangeboden →
geaccepteerd → in uitvoering → geëvalueerd, or aangeboden → geweigerd. A partner that declines sends the version back
to concept (its reason stays in the confirmation history); the regisseur adjusts and asks again (a new round).
A new version starts from a final one (geweigerd, or geëvalueerd through an evaluation) and copies its goals and its
open and running actions. Content (instrument, goals, actions) is edited only in concept; in a running plan
(geaccepteerd, in uitvoering) actions may still be added, e.g. agreed in a casusoverleg (`origin`), and partners report
progress on their own actions.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from spil.access import policy
from spil.access.processing import failures_logged, log_case
from spil.cases import services as case_services
from spil.cases.models import Case
from spil.core import clock, uploads
from spil.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from spil.core.versioning import lock, save_versioned
from spil.logbook.models import Action as LogAction
from spil.organisations.models import Membership
from spil.plans.models import (
    ACTIVE_ACTION_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Agreement,
    ConfirmationStatus,
    DeliveryConfirmation,
    Evaluation,
    EvaluationProgress,
    FollowUp,
    Goal,
    Plan,
    PlanStatus,
    PlanStatusChange,
    Progress,
    SignedAgreement,
)
from spil.timeline.models import EventKind
from spil.timeline.services import record

TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.CONFIRMING},
    PlanStatus.CONFIRMING: {PlanStatus.DRAFT, PlanStatus.OFFERED},
    PlanStatus.OFFERED: {PlanStatus.ACCEPTED, PlanStatus.REFUSED},
    PlanStatus.ACCEPTED: {PlanStatus.RUNNING},
    PlanStatus.RUNNING: {PlanStatus.EVALUATED},
    PlanStatus.REFUSED: set(),
    PlanStatus.EVALUATED: set(),
}
ADD_ACTION_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACCEPTED, PlanStatus.RUNNING)
PROGRESS_STATUSES = (PlanStatus.ACCEPTED, PlanStatus.RUNNING)


def _case_of(subject) -> Case:
    if isinstance(subject, Case):
        return subject
    if isinstance(subject, Plan):
        return subject.case
    return subject.plan.case


def _log(action, subject, actor, **kwargs) -> None:
    log_case(action, _case_of(subject), actor, **kwargs)


logged = failures_logged(_log)


# ---------------------------------------------------------------------------------------------------- reading


def current_plan(case: Case) -> Plan | None:
    """The newest version of the case's plan (the only one that may be unfinished), or None."""
    return case.plans.order_by("-version_number").first()


def actions_since(case: Case, moment: datetime.datetime):
    """Actions of the case's plan versions that were added or changed since `moment` (for a meeting's review)."""
    return Action.objects.filter(plan__case=case, updated_at__gte=moment).select_related("partner", "responsible", "life_domain")


def goals_with_actions(plan: Plan) -> list[Goal]:
    """The plan's goals in leefgebied order, each with `.domain_actions`: its actions (also those of leefgebieden
    without a goal row, so nothing is hidden)."""
    goals = {goal.life_domain_id: goal for goal in plan.goals.select_related("life_domain")}
    actions = list(plan.actions.select_related("life_domain", "partner", "responsible"))
    for action in actions:
        if action.life_domain_id not in goals:
            goals[action.life_domain_id] = Goal(plan=plan, life_domain=action.life_domain)
    ordered = sorted(goals.values(), key=lambda goal: (goal.life_domain.order, goal.life_domain.name))
    for goal in ordered:
        goal.domain_actions = [action for action in actions if action.life_domain_id == goal.life_domain_id]
    return ordered


def open_confirmations(plan: Plan):
    return plan.confirmations.filter(round=plan.confirmation_round).select_related("partner", "answered_by")


def offer_blockers(plan: Plan) -> list[str]:
    """Why the plan may not be offered to the client now (empty: it may). Shown beside the disabled button."""
    if plan.status != PlanStatus.CONFIRMING:
        if plan.status == PlanStatus.DRAFT:
            return ["Vraag eerst de partners met een actie om bevestiging."]
        return [f"Het plan is {plan.get_status_display().lower()}."]
    missing = [c.partner.name for c in open_confirmations(plan) if c.status != ConfirmationStatus.CONFIRMED]
    if missing:
        return [f"Nog geen bevestiging van: {', '.join(missing)}."]
    return []


def next_evaluation_due(plan: Plan) -> datetime.date | None:
    if plan.status != PlanStatus.RUNNING or plan.started_on is None:
        return None
    last = plan.evaluations.order_by("-evaluated_on").values_list("evaluated_on", flat=True).first()
    return (last or plan.started_on) + datetime.timedelta(days=plan.case.case_type.evaluation_interval_days)


def acts_for(user, case: Case, partner) -> bool:
    return user.pk in policy.partner_users([(case, partner.pk)])[(case.pk, partner.pk)]


# ---------------------------------------------------------------------------------------------------- helpers


def _require_director(actor, case: Case) -> None:
    """Editing the plan: the case.direct role in the house and the full dossier of a case the actor may see."""
    policy.require(actor, "case.direct", case.house)
    if not _full_dossier(actor, case):
        raise PermissionDenied("U ziet niet het volledige dossier van deze casus en kunt het plan van aanpak niet bijwerken.")


def _full_dossier(actor, case: Case) -> bool:
    return policy.visible_cases(Case.objects.filter(pk=case.pk), actor).exists() and "plan" in policy.dossier_parts(actor, case)


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        raise IllegalTransition("De casus is gesloten; heropen de casus eerst.")


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise IllegalTransition(
            f"Versie {plan.version_number} is {plan.get_status_display().lower()}; alleen een concept kan worden gewijzigd."
        )


def _label(plan: Plan) -> str:
    return f"Plan van aanpak versie {plan.version_number}"


def _transition(plan: Plan, to: str, *, actor, expected_version: int | None, fields=(), note: str = "", text: str = "") -> None:
    to = PlanStatus(to)
    if to not in TRANSITIONS[plan.status]:
        raise IllegalTransition(f"{_label(plan)} is {plan.get_status_display().lower()} en kan niet naar '{to.label}'.")
    previous = plan.status
    plan.status = to
    save_versioned(plan, expected_version, ["status", *fields])
    PlanStatusChange.objects.create(plan=plan, from_status=previous, to_status=to, note=note, actor=actor, at=clock.now())
    record(actor=actor, kind=EventKind.PLAN, case=plan.case, text=text or f"{_label(plan)}: {to.label.lower()}. {note}".strip())


def _check_dates(start_on, due_on) -> None:
    if due_on < start_on:
        raise DomainError("De einddatum ligt vóór de startdatum.")


def _check_responsible(case: Case, partner, responsible) -> None:
    if responsible is None:
        return
    if not Membership.objects.filter(user=responsible, house=case.house_id).exists():
        raise DomainError(f"{responsible.get_full_name() or responsible} werkt niet voor {case.house}.")


def _check_life_domain(case: Case, life_domain) -> None:
    if not case.case_type.life_domains.filter(pk=life_domain.pk).exists():
        raise DomainError(f"Leefgebied '{life_domain}' hoort niet bij {case.case_type}.")


def _not_in_future(day: datetime.date, what: str) -> None:
    if day > clock.today():
        raise DomainError(f"De datum van {what} ligt in de toekomst.")


def _create_version(case: Case, *, actor, based_on: Plan | None) -> Plan:
    number = (based_on.version_number if based_on else 0) + 1
    plan = Plan.objects.create(
        case=case,
        version_number=number,
        based_on=based_on,
        instrument=based_on.instrument if based_on else "",
        diagnosis=based_on.diagnosis if based_on else "",
        created_by=actor,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    if based_on is not None:
        Goal.objects.bulk_create(
            Goal(plan=plan, life_domain_id=goal.life_domain_id, situation=goal.situation, goal=goal.goal) for goal in based_on.goals.all()
        )
        for old in based_on.actions.filter(status__in=ACTIVE_ACTION_STATUSES):
            Action.objects.create(
                plan=plan,
                life_domain_id=old.life_domain_id,
                description=old.description,
                partner_id=old.partner_id,
                responsible_id=old.responsible_id,
                start_on=old.start_on,
                due_on=old.due_on,
                status=old.status,
                result=old.result,
                origin=old.origin,
                carried_from=old,
                created_by=actor,
                created_at=clock.now(),
                updated_at=clock.now(),
                status_changed_at=old.status_changed_at,
            )
    PlanStatusChange.objects.create(plan=plan, from_status="", to_status=PlanStatus.DRAFT, actor=actor, at=clock.now())
    origin = f", op basis van versie {based_on.version_number}" if based_on else ""
    record(actor=actor, kind=EventKind.PLAN, case=case, text=f"{_label(plan)} aangemaakt (concept{origin}).")
    return plan


# ---------------------------------------------------------------------------------------------------- versions


@logged
@transaction.atomic
def start_plan(case: Case, *, actor) -> Plan:
    """Start the first version, or a new version from the last (final) one."""
    _require_director(actor, case)
    _require_open_case(case)
    lock(case)
    latest = current_plan(case)
    if latest is not None and not latest.is_final:
        raise IllegalTransition(
            f"{_label(latest)} is nog {latest.get_status_display().lower()}; er kan maar één lopende versie zijn."
            " Een nieuwe versie begint na een weigering of bij een evaluatie."
        )
    plan = _create_version(case, actor=actor, based_on=latest)
    log_case(LogAction.CREATE, case, actor)
    return plan


def ensure_plan(case: Case, *, actor) -> Plan:
    """The unfinished version of the case's plan, or a new concept (e.g. for actions agreed in a casusoverleg)."""
    plan = current_plan(case)
    if plan is not None and not plan.is_final:
        return plan
    return start_plan(case, actor=actor)


@logged
@transaction.atomic
def update_plan(plan: Plan, *, actor, instrument: str, diagnosis: str, expected_version: int) -> Plan:
    _require_director(actor, plan.case)
    _require_draft(plan)
    plan.instrument, plan.diagnosis = instrument.strip(), diagnosis
    save_versioned(plan, expected_version, ["instrument", "diagnosis"])
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


@logged
@transaction.atomic
def set_goal(plan: Plan, *, actor, life_domain, situation: str, goal: str, expected_version: int | None = None) -> Goal:
    """The situation (shortfall) and goal for one leefgebied of the case type. `expected_version` is the goal's
    version the form showed (0: no goal yet); None for callers without a form (the row lock then decides)."""
    _require_director(actor, plan.case)
    _require_draft(plan)
    _check_life_domain(plan.case, life_domain)
    row = Goal.objects.select_for_update(of=("self",)).filter(plan=plan, life_domain=life_domain).order_by("pk").first()
    if row is None:
        if expected_version:  # the form showed a goal that is no longer there
            raise ConcurrentEdit()
        try:
            with transaction.atomic():
                row = Goal.objects.create(plan=plan, life_domain=life_domain, situation=situation, goal=goal)
        except IntegrityError:  # a colleague saved the first goal for this leefgebied at the same moment
            raise ConcurrentEdit() from None
    else:
        if expected_version == 0:  # the form showed no goal yet, but a colleague has saved one since
            raise ConcurrentEdit()
        row.situation, row.goal = situation, goal
        save_versioned(row, expected_version, ["situation", "goal"])
    Plan.objects.filter(pk=plan.pk).update(updated_at=clock.now())
    log_case(LogAction.UPDATE, plan.case, actor)
    return row


# ---------------------------------------------------------------------------------------------------- actions


@logged
@transaction.atomic
def add_action(plan: Plan, *, actor, life_domain, description: str, partner, responsible, start_on, due_on, origin: str = "") -> Action:
    """Add an action to a concept, or to a running plan (geaccepteerd / in uitvoering), e.g. from a casusoverleg."""
    case = plan.case
    _require_director(actor, case)
    _require_open_case(case)
    lock(plan)
    if plan.status not in ADD_ACTION_STATUSES:
        raise IllegalTransition(
            f"{_label(plan)} is {plan.get_status_display().lower()}; acties worden toegevoegd aan een concept of een plan in uitvoering."
        )
    if not description.strip():
        raise DomainError("Beschrijf de actie.")
    _check_life_domain(case, life_domain)
    _check_dates(start_on, due_on)
    _check_responsible(case, partner, responsible)
    now = clock.now()
    action = Action.objects.create(
        plan=plan,
        life_domain=life_domain,
        description=description.strip(),
        partner=partner,
        responsible=responsible,
        start_on=start_on,
        due_on=due_on,
        origin=origin.strip()[:120],
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    if plan.status != PlanStatus.DRAFT:
        source = f" ({action.origin})" if action.origin else ""
        record(
            actor=actor,
            kind=EventKind.PLAN,
            case=case,
            text=f"Actie toegevoegd aan {_label(plan).lower()}{source}: {partner}, gereed uiterlijk {due_on:%d-%m-%Y}.",
        )
    log_case(LogAction.UPDATE, case, actor)
    return action


@logged
@transaction.atomic
def change_action(
    action: Action, *, actor, life_domain, description: str, partner, responsible, start_on, due_on, expected_version: int
) -> Action:
    plan = action.plan
    _require_director(actor, plan.case)
    _require_draft(plan)
    if not description.strip():
        raise DomainError("Beschrijf de actie.")
    _check_life_domain(plan.case, life_domain)
    _check_dates(start_on, due_on)
    _check_responsible(plan.case, partner, responsible)
    action.life_domain, action.description, action.partner, action.responsible = life_domain, description.strip(), partner, responsible
    action.start_on, action.due_on = start_on, due_on
    save_versioned(action, expected_version, ["life_domain", "description", "partner", "responsible", "start_on", "due_on"])
    log_case(LogAction.UPDATE, plan.case, actor)
    return action


@logged
@transaction.atomic
def remove_action(action: Action, *, actor) -> None:
    plan = action.plan
    _require_director(actor, plan.case)
    _require_draft(plan)
    action.delete()
    log_case(LogAction.UPDATE, plan.case, actor)


@logged
@transaction.atomic
def report_progress(action: Action, *, actor, status: str, result: str, expected_version: int) -> Action:
    """The partner (its users or the responsible person) or a regisseur reports status and result of an action."""
    plan, case = action.plan, action.plan.case
    is_director = policy.can(actor, "case.direct", case.house) and _full_dossier(actor, case)
    if not (is_director or action.responsible_id == actor.pk or acts_for(actor, case, action.partner)):
        raise PermissionDenied(f"Alleen {action.partner}, de verantwoordelijke of de regisseur kan de voortgang van deze actie melden.")
    _require_open_case(case)
    if plan.status not in PROGRESS_STATUSES:
        raise IllegalTransition(
            f"{_label(plan)} is {plan.get_status_display().lower()}; voortgang wordt gemeld zodra het plan geaccepteerd is."
        )
    status = ActionStatus(status)
    if status in (ActionStatus.IMPOSSIBLE, ActionStatus.NOT_DONE) and not result.strip():
        raise DomainError(f"Licht toe waarom de actie '{status.label.lower()}' is.")
    now = clock.now()
    fields = ["result"]
    if status != action.status:
        action.status, action.status_changed_at = status, now
        action.finished_at = None if status in ACTIVE_ACTION_STATUSES else now
        fields += ["status", "status_changed_at", "finished_at"]
    action.result = result
    save_versioned(action, expected_version, fields)
    ActionUpdate.objects.create(action=action, status=status, result=result, actor=actor, at=now)
    record(actor=actor, kind=EventKind.PLAN, case=case, text=f"Voortgang actie van {action.partner}: {status.label.lower()}.")
    log_case(LogAction.UPDATE, case, actor)
    return action


# ---------------------------------------------------------------------------------------------------- confirmation


@logged
@transaction.atomic
def request_confirmations(plan: Plan, *, actor, expected_version: int) -> list[DeliveryConfirmation]:
    """Ter bevestiging: every partner with an action is asked whether it can deliver on time (a new round)."""
    case = plan.case
    _require_director(actor, case)
    _require_open_case(case)
    partners = {action.partner_id: action.partner for action in plan.actions.select_related("partner")}
    if not partners:
        raise DomainError("Het plan heeft nog geen acties; leg eerst vast wie wat doet.")
    plan.confirmation_round += 1
    _transition(plan, PlanStatus.CONFIRMING, actor=actor, expected_version=expected_version, fields=["confirmation_round"])
    now = clock.now()
    confirmations = DeliveryConfirmation.objects.bulk_create(
        DeliveryConfirmation(plan=plan, round=plan.confirmation_round, partner=partner, requested_by=actor, requested_at=now)
        for partner in sorted(partners.values(), key=lambda p: p.name)
    )
    log_case(LogAction.UPDATE, case, actor)
    return confirmations


@logged
@transaction.atomic
def back_to_draft(plan: Plan, *, actor, reason: str, expected_version: int) -> Plan:
    """The regisseur takes a version that is ter bevestiging back to concept (e.g. to change an action)."""
    _require_director(actor, plan.case)
    if not reason.strip():
        raise DomainError("Geef een reden op.")
    _transition(plan, PlanStatus.DRAFT, actor=actor, expected_version=expected_version, note=reason.strip())
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


@logged
@transaction.atomic
def answer_confirmation(confirmation: DeliveryConfirmation, *, actor, confirmed: bool, reason: str) -> DeliveryConfirmation:
    """A partner confirms it can deliver its actions on time, or declines with a reason (the plan goes back to concept)."""
    plan, case = confirmation.plan, confirmation.plan.case
    if not acts_for(actor, case, confirmation.partner):
        raise PermissionDenied(f"Alleen medewerkers van {confirmation.partner} kunnen deze bevestiging geven.")
    lock(plan)
    if plan.status != PlanStatus.CONFIRMING or confirmation.round != plan.confirmation_round:
        raise IllegalTransition("Deze vraag om bevestiging is niet meer open; het plan is intussen gewijzigd.")
    if confirmation.status != ConfirmationStatus.REQUESTED:
        raise IllegalTransition(f"{confirmation.partner} heeft al geantwoord ({confirmation.get_status_display().lower()}).")
    if not confirmed and not reason.strip():
        raise DomainError("Licht toe waarom uw organisatie de acties niet (op tijd) kan leveren.")
    confirmation.status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.DECLINED
    confirmation.reason, confirmation.answered_by, confirmation.answered_at = reason.strip(), actor, clock.now()
    confirmation.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    if confirmed:
        record(actor=actor, kind=EventKind.PLAN, case=case, text=f"{confirmation.partner} bevestigt de acties van {_label(plan).lower()}.")
    else:
        _transition(
            plan,
            PlanStatus.DRAFT,
            actor=actor,
            expected_version=None,
            note=f"{confirmation.partner} kan niet leveren: {confirmation.reason}",
            text=f"{_label(plan)} terug naar concept: {confirmation.partner} kan niet leveren: {confirmation.reason}",
        )
    log_case(LogAction.UPDATE, case, actor)
    return confirmation


# ---------------------------------------------------------------------------------------------------- offer, decision, start


@logged
@transaction.atomic
def offer(plan: Plan, *, actor, offered_on: datetime.date, expected_version: int) -> Plan:
    """Offer the plan to the client; only when every partner with an action has confirmed delivery."""
    _require_director(actor, plan.case)
    _require_open_case(plan.case)
    lock(plan)
    if plan.version != expected_version:
        raise ConcurrentEdit()
    if blockers := offer_blockers(plan):
        raise IllegalTransition("Het plan kan nog niet worden aangeboden. " + " ".join(blockers))
    _not_in_future(offered_on, "aanbieden")
    plan.offered_on = offered_on
    _transition(
        plan,
        PlanStatus.OFFERED,
        actor=actor,
        expected_version=expected_version,
        fields=["offered_on"],
        text=f"{_label(plan)} aangeboden aan de cliënt op {offered_on:%d-%m-%Y}; start uiterlijk {plan.start_before:%d-%m-%Y}.",
    )
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


def _check_decision_date(plan: Plan, decided_on: datetime.date) -> None:
    _not_in_future(decided_on, "het besluit")
    if decided_on < plan.offered_on:
        raise DomainError("Het besluit ligt vóór de datum van aanbieden.")


@logged
@transaction.atomic
def accept(plan: Plan, *, actor, decided_on: datetime.date, agreement: str, note: str = "", document=None, expected_version: int) -> Plan:
    """The client accepts: a signed document (uploaded) or a recorded verbal agreement."""
    _require_director(actor, plan.case)
    if plan.status != PlanStatus.OFFERED:
        raise IllegalTransition(
            f"{_label(plan)} is {plan.get_status_display().lower()}; alleen een aangeboden plan kan worden geaccepteerd."
        )
    agreement = Agreement(agreement)
    _check_decision_date(plan, decided_on)
    if agreement == Agreement.DOCUMENT and document is None:
        raise DomainError("Voeg het ondertekende plan toe.")
    if agreement == Agreement.VERBAL and not note.strip():
        raise DomainError("Leg vast wat er mondeling is afgesproken, met wie en hoe.")
    plan.decided_on, plan.agreement, plan.agreement_note = decided_on, agreement, note.strip()
    _transition(
        plan,
        PlanStatus.ACCEPTED,
        actor=actor,
        expected_version=expected_version,
        fields=["decided_on", "agreement", "agreement_note"],
        text=f"{_label(plan)} geaccepteerd door de cliënt op {decided_on:%d-%m-%Y} ({agreement.label.lower()}).",
    )
    if document is not None:
        stored = uploads.store(document)
        try:
            SignedAgreement.from_stored(stored, uploaded_by=actor, plan=plan).save()
        except Exception:
            uploads.remove(stored.key)
            raise
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


@logged
@transaction.atomic
def refuse(plan: Plan, *, actor, decided_on: datetime.date, follow_up: str, note: str, expected_version: int) -> Plan:
    """The client refuses; record the follow-up route (drang, dwang or otherwise)."""
    _require_director(actor, plan.case)
    if plan.status != PlanStatus.OFFERED:
        raise IllegalTransition(f"{_label(plan)} is {plan.get_status_display().lower()}; alleen een aangeboden plan kan worden geweigerd.")
    follow_up = FollowUp(follow_up)
    _check_decision_date(plan, decided_on)
    if not note.strip():
        raise DomainError("Licht het vervolg toe: wat gebeurt er nu de cliënt weigert?")
    plan.decided_on, plan.follow_up, plan.follow_up_note = decided_on, follow_up, note.strip()
    _transition(
        plan,
        PlanStatus.REFUSED,
        actor=actor,
        expected_version=expected_version,
        fields=["decided_on", "follow_up", "follow_up_note"],
        text=f"{_label(plan)} geweigerd door de cliënt op {decided_on:%d-%m-%Y}; vervolg: {follow_up.label.lower()}. {note.strip()}",
    )
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


@logged
@transaction.atomic
def start(plan: Plan, *, actor, started_on: datetime.date, expected_version: int) -> Plan:
    """In uitvoering from `started_on`. Starting later than a week after the offer is allowed but stays visible
    (`plan.started_late`): "aanbieden en binnen een week starten"."""
    _require_director(actor, plan.case)
    _require_open_case(plan.case)
    if plan.status == PlanStatus.ACCEPTED:
        _not_in_future(started_on, "de start")
        if started_on < plan.decided_on:
            raise DomainError("De start ligt vóór de acceptatie door de cliënt.")
    plan.started_on = started_on
    late = plan.started_late
    note = f"Later gestart dan een week na het aanbieden ({plan.offered_on:%d-%m-%Y})." if late else ""
    _transition(
        plan,
        PlanStatus.RUNNING,
        actor=actor,
        expected_version=expected_version,
        fields=["started_on"],
        note=note,
        text=f"{_label(plan)} in uitvoering vanaf {started_on:%d-%m-%Y}. {note}".strip(),
    )
    log_case(LogAction.UPDATE, plan.case, actor)
    return plan


# ---------------------------------------------------------------------------------------------------- evaluation


@logged
@transaction.atomic
def evaluate(
    plan: Plan,
    *,
    actor,
    evaluated_on: datetime.date,
    summary: str,
    progress: dict,
    ave_level: int | None = None,
    ave_reason: str = "",
    new_version: bool = False,
    expected_version: int,
) -> Evaluation:
    """Evaluate a plan in uitvoering: progress per leefgebied (`progress`: life domain → (Progress, note)), perhaps
    op- or afschalen (through the case's own rule) and perhaps a new version that carries over open actions."""
    case = plan.case
    _require_director(actor, case)
    _require_open_case(case)
    lock(plan)
    if plan.version != expected_version:
        raise ConcurrentEdit()
    if plan.status != PlanStatus.RUNNING:
        raise IllegalTransition(f"{_label(plan)} is {plan.get_status_display().lower()}; alleen een plan in uitvoering wordt geëvalueerd.")
    _not_in_future(evaluated_on, "de evaluatie")
    if evaluated_on < plan.started_on:
        raise DomainError("De evaluatie ligt vóór de start van het plan.")
    if not summary.strip():
        raise DomainError("Vat de evaluatie samen.")
    domains = {goal.life_domain_id for goal in plan.goals.all()} | set(plan.actions.values_list("life_domain_id", flat=True))
    missing = domains - {domain.pk for domain in progress}
    if missing:
        raise DomainError("Geef de voortgang voor elk leefgebied van het plan.")
    evaluation = Evaluation.objects.create(
        plan=plan, evaluated_on=evaluated_on, summary=summary.strip(), created_by=actor, created_at=clock.now()
    )
    EvaluationProgress.objects.bulk_create(
        EvaluationProgress(evaluation=evaluation, life_domain=domain, progress=Progress(value), note=note)
        for domain, (value, note) in progress.items()
    )
    record(actor=actor, kind=EventKind.PLAN, case=case, text=f"{_label(plan)} geëvalueerd op {evaluated_on:%d-%m-%Y}: {summary.strip()}")
    if ave_level is not None and ave_level != case.ave_level:
        evaluation.ave_from = case.ave_level
        case_services.change_ave(case, actor=actor, to_level=ave_level, reason=ave_reason, expected_version=case.version)
        evaluation.ave_to = case.ave_level
    if new_version:
        _transition(
            plan, PlanStatus.EVALUATED, actor=actor, expected_version=expected_version, note="Nieuwe versie gestart bij de evaluatie."
        )
        evaluation.new_version = _create_version(case, actor=actor, based_on=plan)
    else:
        save_versioned(plan, expected_version, [])
    evaluation.save(update_fields=["ave_from", "ave_to", "new_version"])
    log_case(LogAction.UPDATE, case, actor)
    return evaluation
