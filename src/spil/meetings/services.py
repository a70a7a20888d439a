"""Business rules of the casusoverleg: setting up a meeting type per house, planning, the agenda per case with its
attendees, holding the meeting (attendance), minutes per item (summary, decisions, new actions into the case's plan,
review of open and overdue actions) and finalising the minutes by the chair.

Who keeps a meeting's agenda and minutes (the "secretary"): whoever plans meetings in the house (bedrijfsbureau,
procesregisseur) and the chair. Finalising is for the chair alone.
"""

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from spil.access import policy
from spil.access.processing import log_case
from spil.cases.models import Case
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition, NotAllowed
from spil.core.numbering import next_number
from spil.core.versioning import lock, save_versioned
from spil.deadlines import registry
from spil.logbook.models import Action
from spil.meetings import workdays
from spil.meetings.models import (
    ActionReview,
    AgendaItem,
    Attendance,
    ItemAction,
    Meeting,
    MeetingSetup,
    MeetingStatus,
    Participant,
    ReviewOutcome,
)
from spil.timeline.models import EventKind
from spil.timeline.services import record

MINUTES_WORKING_DAYS = 3  # the chair finalises the minutes within 3 working days after the meeting

NUMBER_PREFIX = "O"


def _name(user) -> str:
    return user.get_full_name() or user.username


def _check_house_member(user, house) -> None:
    if not user.memberships.filter(house=house).exists():
        raise DomainError(f"{_name(user)} werkt niet voor {house}.")


def require_secretary(actor, meeting: Meeting) -> None:
    """The chair and whoever plans meetings in the house keep the agenda and the minutes (403 for others)."""
    if actor.pk != meeting.chair_id:
        policy.require(actor, "meeting.plan", meeting.house)


def is_secretary(user, meeting: Meeting) -> bool:
    return user.pk == meeting.chair_id or policy.can(user, "meeting.plan", meeting.house)


def _require_status(meeting: Meeting, *statuses: str, what: str) -> None:
    if meeting.status not in statuses:
        raise IllegalTransition(f"Dit overleg is {meeting.get_status_display().lower()}; {what} kan niet (meer).")


def label(meeting: Meeting) -> str:
    """How a case's timeline and a plan action name the meeting: no persons, a number to look it up."""
    return f"{meeting.meeting_type} van {timezone.localtime(meeting.starts_at):%d-%m-%Y} ({meeting.number})"


def minutes_due(meeting: Meeting) -> datetime.datetime | None:
    """The end of the third working day after the day the meeting was held (local midnight after it)."""
    if meeting.held_at is None:
        return None
    last_day = workdays.add_working_days(timezone.localdate(meeting.held_at), MINUTES_WORKING_DAYS)
    return timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time()))


def minutes_overdue(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    due = minutes_due(meeting)
    return meeting.status == MeetingStatus.HELD and due is not None and due <= (now or clock.now())


# --- Set-up per house -------------------------------------------------------------------------------------------


@transaction.atomic
def set_up(
    *, actor, house, meeting_type, chair=None, members=(), rhythm_days=None, location="", active=True, expected_version=None
) -> MeetingSetup:
    """The bedrijfsbureau sets how its house runs a meeting type: chair, regular members, rhythm, location."""
    policy.require(actor, "meeting.setup", house)
    for user in [chair, *members]:
        if user is not None:
            _check_house_member(user, house)
    setup = MeetingSetup.objects.filter(house=house, meeting_type=meeting_type).first()
    values = {"chair": chair, "rhythm_days": rhythm_days, "location": location, "active": active}
    if setup is None:
        setup = MeetingSetup.objects.create(house=house, meeting_type=meeting_type, **values)
    else:
        for name, value in values.items():
            setattr(setup, name, value)
        save_versioned(setup, expected_version, list(values))
    setup.members.set(members)
    return setup


# --- Planning and the agenda ------------------------------------------------------------------------------------


def _invite(meeting: Meeting, users) -> None:
    known = set(meeting.participants.values_list("user_id", flat=True))
    new = {user.pk: user for user in users if user.pk not in known}
    Participant.objects.bulk_create([Participant(meeting=meeting, user=user) for user in new.values()])


@transaction.atomic
def plan_meeting(
    *, actor, house, meeting_type, starts_at, chair=None, municipality=None, location="", participants=None, external_participants=""
) -> Meeting:
    """Plan a meeting; chair, regular members and location default to the house's set-up of the meeting type."""
    policy.require(actor, "meeting.plan", house)
    setup = MeetingSetup.objects.filter(house=house, meeting_type=meeting_type).first()
    chair = chair or (setup.chair if setup else None)
    if chair is None:
        raise DomainError(f"Kies een voorzitter; voor {meeting_type} is in {house} geen vaste voorzitter ingericht.")
    _check_house_member(chair, house)
    if municipality is not None and municipality.house_id != house.pk:
        raise DomainError(f"Gemeente {municipality} hoort niet bij {house}.")
    if meeting_type.per_municipality and municipality is None:
        raise DomainError(f"Een {meeting_type} wordt voor één gemeente gehouden; kies de gemeente.")
    if participants is None:
        participants = list(setup.members.all()) if setup else []
    for user in participants:
        _check_house_member(user, house)
    meeting = Meeting.objects.create(
        number=next_number(NUMBER_PREFIX, clock.now().year),
        house=house,
        meeting_type=meeting_type,
        municipality=municipality,
        starts_at=starts_at,
        location=location or (setup.location if setup else ""),
        chair=chair,
        external_participants=external_participants,
        created_by=actor,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    _invite(meeting, [chair, *participants])
    return meeting


def _check_attendees(case: Case, attendees) -> None:
    team = set(case.team.active().values_list("user_id", flat=True))
    if outsiders := [user for user in attendees if user.pk not in team]:
        names = ", ".join(_name(user) for user in outsiders)
        raise DomainError(f"Alleen leden van het casusteam van {case.number} kunnen dit punt bespreken; niet: {names}.")


@transaction.atomic
def add_item(meeting: Meeting, *, actor, case: Case, attendees=(), question: str = "") -> AgendaItem:
    """Put a case on the agenda. Only members of its case team can be named as attendees of the item."""
    require_secretary(actor, meeting)
    lock(meeting)
    _require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, what="agenderen")
    if case.house_id != meeting.house_id or not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise DomainError("Deze casus kan niet op de agenda van dit overleg.")
    if not case.is_open:
        raise IllegalTransition(f"Casus {case.number} is gesloten en kan niet worden geagendeerd.")
    if meeting.items.filter(case=case).exists():
        raise IllegalTransition(f"Casus {case.number} staat al op de agenda.")
    _check_attendees(case, attendees)
    order = (meeting.items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, case=case, order=order, question=question, updated_at=clock.now())
    item.attendees.set(attendees)
    _invite(meeting, attendees)
    record(actor=actor, kind=EventKind.AGENDA, case=case, text=f"Geagendeerd voor het {label(meeting)}.")
    log_case(Action.UPDATE, case, actor)
    return item


@transaction.atomic
def update_item(item: AgendaItem, *, actor, attendees, question: str, expected_version: int) -> AgendaItem:
    meeting = item.meeting
    require_secretary(actor, meeting)
    _require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, what="het agendapunt wijzigen")
    _check_attendees(item.case, attendees)
    item.question = question
    save_versioned(item, expected_version, ["question"])
    item.attendees.set(attendees)
    _invite(meeting, attendees)
    log_case(Action.UPDATE, item.case, actor)
    return item


@transaction.atomic
def remove_item(item: AgendaItem, *, actor) -> None:
    meeting = item.meeting
    require_secretary(actor, meeting)
    lock(meeting)
    _require_status(meeting, MeetingStatus.PLANNED, what="een punt van de agenda halen")
    record(actor=actor, kind=EventKind.AGENDA, case=item.case, text=f"Van de agenda van het {label(meeting)} gehaald.")
    log_case(Action.UPDATE, item.case, actor)
    item.delete()


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, actor, reason: str) -> Meeting:
    require_secretary(actor, meeting)
    lock(meeting)
    _require_status(meeting, MeetingStatus.PLANNED, what="annuleren")
    if not reason.strip():
        raise DomainError("Geef een reden op.")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    save_versioned(meeting, None, ["status", "cancel_reason"])
    for item in meeting.items.select_related("case__case_type"):
        record(actor=actor, kind=EventKind.AGENDA, case=item.case, text=f"Het {label(meeting)} is geannuleerd.")
        log_case(Action.UPDATE, item.case, actor)
    return meeting


# --- Holding the meeting and its minutes ------------------------------------------------------------------------


@transaction.atomic
def record_held(meeting: Meeting, *, actor, held_at=None, attendance: dict | None = None, external_participants=None) -> Meeting:
    """Record that the meeting was held (a jeugdbeschermingstafel is billed per table held) and who attended;
    the attendance can be corrected until the minutes are finalised."""
    require_secretary(actor, meeting)
    lock(meeting)
    _require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, what="aanwezigheid vastleggen")
    fields = []
    if meeting.status == MeetingStatus.PLANNED:
        held_at = held_at or meeting.starts_at
        if held_at > clock.now():
            raise IllegalTransition("Een overleg dat nog moet beginnen kan niet als gehouden worden vastgelegd.")
        meeting.status, meeting.held_at = MeetingStatus.HELD, held_at
        fields += ["status", "held_at"]
    elif held_at is not None and held_at != meeting.held_at:
        if held_at > clock.now():
            raise DomainError("Het moment waarop het overleg is gehouden kan niet in de toekomst liggen.")
        meeting.held_at = held_at
        fields.append("held_at")
    if external_participants is not None:
        meeting.external_participants = external_participants
        fields.append("external_participants")
    if fields:
        save_versioned(meeting, None, fields)
    for participant in meeting.participants.all():
        value = (attendance or {}).get(participant.user_id)
        if value is not None and value != participant.attendance:
            participant.attendance = Attendance(value)
            participant.save(update_fields=["attendance"])
    registry.changed()  # the minutes are due from now: a signal of the meeting, not of a case
    return meeting


@transaction.atomic
def write_general_notes(meeting: Meeting, *, actor, general_notes: str, expected_version: int) -> Meeting:
    require_secretary(actor, meeting)
    _require_status(meeting, MeetingStatus.HELD, what="notuleren")
    meeting.general_notes = general_notes
    save_versioned(meeting, expected_version, ["general_notes"])
    return meeting


@transaction.atomic
def write_minutes(item: AgendaItem, *, actor, summary: str, decisions: str, expected_version: int) -> AgendaItem:
    """The discussion summary and decisions of one item (personal data of the case: logged as an update)."""
    require_secretary(actor, item.meeting)
    _require_status(item.meeting, MeetingStatus.HELD, what="notuleren")
    item.summary, item.decisions = summary, decisions
    save_versioned(item, expected_version, ["summary", "decisions"])
    log_case(Action.UPDATE, item.case, actor)
    return item


def _plans():
    from spil.plans import services as plan_services

    return plan_services


@transaction.atomic
def add_action(item: AgendaItem, *, actor, life_domain, description: str, partner, responsible, start_on, due_on) -> ItemAction:
    """A new action agreed on the item lands in the case's current plan van aanpak, its origin naming the meeting."""
    meeting = item.meeting
    require_secretary(actor, meeting)
    _require_status(meeting, MeetingStatus.HELD, what="acties toevoegen")
    if not policy.can(actor, "case.direct", meeting.house):
        raise NotAllowed("Alleen een proces- of casusregisseur kan acties aan een plan van aanpak toevoegen.")
    plan = _plans().current_plan(item.case)
    if plan is None:
        raise DomainError(f"Casus {item.case.number} heeft nog geen plan van aanpak; stel dat eerst op.")
    action = _plans().add_action(
        plan,
        actor=actor,
        life_domain=life_domain,
        description=description,
        partner=partner,
        responsible=responsible,
        start_on=start_on,
        due_on=due_on,
        origin=label(meeting)[:120],
    )
    return ItemAction.objects.create(item=item, action=action)


def actions_to_review(item: AgendaItem):
    """The case's plan actions the meeting reviews: every action still open or running (overdue ones first), and
    those that fell due since the previous meeting with this case on the agenda, however they ended."""
    from spil.plans.models import ACTIVE_ACTION_STATUSES, Action as PlanAction

    meeting = item.meeting
    moment = meeting.held_at or meeting.starts_at
    previous = (
        AgendaItem.objects.filter(case=item.case, meeting__starts_at__lt=meeting.starts_at)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .order_by("-meeting__starts_at")
        .values_list("meeting__starts_at", flat=True)
        .first()
    )
    since = Q(status__in=ACTIVE_ACTION_STATUSES)
    if previous is not None:
        since |= Q(due_on__gt=timezone.localdate(previous), due_on__lte=timezone.localdate(moment))
    return (
        PlanAction.objects.filter(plan__case=item.case)
        .filter(since)
        .exclude(meeting_item__item=item)
        .select_related("partner", "responsible", "life_domain")
        .order_by("due_on", "pk")
    )


def closes_actions(actor, item: AgendaItem) -> bool:
    """Whether the user's review also closes actions in the plan: a regisseur may; the bedrijfsbureau records
    the meeting's judgement and the regisseur closes the action."""
    return policy.can(actor, "case.direct", item.meeting.house)


REVIEW_TO_ACTION_STATUS = {
    ReviewOutcome.DONE: "gereed",
    ReviewOutcome.IMPOSSIBLE: "niet_mogelijk",
    ReviewOutcome.NOT_DONE_BY_PARTNER: "niet_uitgevoerd",
}


@transaction.atomic
def review_actions(item: AgendaItem, *, actor, reviews: dict) -> list[ActionReview]:
    """Record the meeting's judgement of open and overdue actions: `reviews` maps an action to (outcome, note).
    An action judged done, impossible or not delivered by its partner is closed in the running plan with that status
    when a regisseur records the review (`closes_actions`)."""
    meeting = item.meeting
    require_secretary(actor, meeting)
    _require_status(meeting, MeetingStatus.HELD, what="acties bespreken")
    reviewable = {action.pk: action for action in actions_to_review(item)}
    saved = []
    for action, (outcome, note) in reviews.items():
        if action.pk not in reviewable:
            raise DomainError(f"Actie '{action}' hoort niet bij de te bespreken acties van {item.case.number}.")
        outcome = ReviewOutcome(outcome)
        if outcome in {ReviewOutcome.IMPOSSIBLE, ReviewOutcome.NOT_DONE_BY_PARTNER, ReviewOutcome.DELAYED} and not note.strip():
            raise DomainError(f"Licht '{outcome.label.lower()}' toe bij actie '{action}'.")
        review, _ = ActionReview.objects.update_or_create(
            item=item, action=action, defaults={"outcome": outcome, "note": note, "reviewed_by": actor, "reviewed_at": clock.now()}
        )
        saved.append(review)
        target = REVIEW_TO_ACTION_STATUS.get(outcome)
        if target and action.is_active and closes_actions(actor, item) and action.plan.status in _plans().PROGRESS_STATUSES:
            result = f"{outcome.label} ({label(meeting)}). {note}".strip()
            _plans().report_progress(action, actor=actor, status=target, result=result, expected_version=action.version)
    if saved:
        log_case(Action.UPDATE, item.case, actor)
        registry.changed([item.case_id])
    return saved


@transaction.atomic
def finalise_minutes(meeting: Meeting, *, actor) -> Meeting:
    """The chair finalises the minutes; each discussed case's timeline records the decisions."""
    if actor.pk != meeting.chair_id:
        raise NotAllowed("Alleen de voorzitter kan de notulen vaststellen.")
    lock(meeting)
    _require_status(meeting, MeetingStatus.HELD, what="de notulen vaststellen")
    items = list(meeting.items.select_related("case__case_type"))
    if empty := [item.case.number for item in items if not (item.summary.strip() or item.decisions.strip())]:
        raise DomainError(f"Notuleer eerst de bespreking van {', '.join(empty)}.")
    meeting.status = MeetingStatus.FINALISED
    meeting.minutes_finalised_at = clock.now()
    meeting.minutes_finalised_by = actor
    save_versioned(meeting, None, ["status", "minutes_finalised_at", "minutes_finalised_by"])
    for item in items:
        text = f"Besproken in het {label(meeting)}."
        if item.decisions.strip():
            text += f" Besluiten: {item.decisions.strip()}"
        record(actor=actor, kind=EventKind.MEETING, case=item.case, text=text)
        log_case(Action.UPDATE, item.case, actor)
    return meeting
