"""Demo casusoverleggen, written through the services at past moments (see `spil.demo.extensions`).

Per house: the meeting types set up (where the house has a bedrijfsbureau account), PGA-overleggen every two weeks
with agendas from open cases, attendees from the case teams, minutes and action reviews, finalised by the chair
(the most recent one left with overdue minutes), planned meetings ahead, and jeugdbeschermingstafels held over the
year per gemeente (billed per table). New actions go into running plans where the plans demo made them.
"""

import datetime
import functools

from django.utils import timezone

from spil.cases.models import AccessLevel, Case, CaseStatus
from spil.core import clock
from spil.demo import regions
from spil.meetings import services
from spil.meetings.models import ActionReview, AgendaItem, Attendance, ItemAction, Meeting, MeetingStatus, MeetingType, ReviewOutcome
from spil.organisations.models import Role

HELD = {"demo": 10, "small": 5, "test": 3}  # PGA-overleggen held per house, one every two weeks
YOUTH_TABLES = {"demo": 18, "small": 6, "test": 3}  # jeugdbeschermingstafels held per house over the year
ITEMS = (2, 5)

SUMMARIES = [
    "Partners lichten de stand van zaken toe. Cliënt houdt zich grotendeels aan de afspraken; de woonsituatie blijft het grootste risico.",
    "Sinds het vorige overleg nieuwe politiecontacten. De reclassering ziet een dalende motivatie voor behandeling.",
    "De GGZ-behandeling is gestart; het netwerk rond cliënt is versterkt. Schulden zijn in kaart gebracht.",
    "Cliënt is moeilijk bereikbaar. Afgesproken dat de wijkagent en de casusregisseur samen op huisbezoek gaan.",
    "Voortgang op dagbesteding en inkomen; het risico op terugval blijft bij verslaving.",
]
DECISIONS = [
    "Plan van aanpak loopt door; evaluatie bij het volgende overleg.",
    "Opschalen naar drang: de reclassering bespreekt de bijzondere voorwaarden met het OM.",
    "Urgentieaanvraag woning indienen; de gemeente neemt contact op met de corporatie.",
    "Casusregisseur plant binnen twee weken een netwerkberaad.",
    "Afschalen naar het lokale team wordt voorbereid; overdracht bij het volgende overleg bespreken.",
]
NEW_ACTIONS = [
    "Huisbezoek samen met de wijkagent",
    "Aanmelding schuldhulpverlening afronden",
    "Netwerkberaad organiseren met familie",
    "Intake dagbesteding plannen",
]


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _people(ctx, house_code):
    staff = regions.STAFF[house_code]
    directors = [ctx.users[name] for name in dict.fromkeys(staff["directors"])]
    chair = directors[0]
    planner = ctx.users.get("bedrijfsbureau") if house_code == "parkstad" else chair
    case_directors = [ctx.users[name] for name in dict.fromkeys(staff["case_directors"])]
    return chair, planner, directors, case_directors


def _set_up(ctx, house, planner, chair, directors, case_directors):
    if not planner.memberships.filter(house=house, role=Role.BACK_OFFICE).exists():
        return
    second_chair = directors[1] if len(directors) > 1 else chair
    plan = {
        "pga-overleg": (chair, [*directors, *case_directors]),
        "jeugdbeschermingstafel": (second_chair, []),
        "regieteam": (chair, directors),
        "mda-analyseteam": (directors[-1], directors),
        "top-x-overleg": (chair, [*directors, *case_directors]),
    }
    with clock.travel_to(ctx.now - datetime.timedelta(days=365)):
        for code, (setup_chair, members) in plan.items():
            services.set_up(actor=planner, house=house, meeting_type=MeetingType.objects.get(code=code), chair=setup_chair, members=members)


def _open_cases(planner, house, chair, before):
    """Open cases the planner may agenda and whose team the chair is in with the full dossier (so the chair may add
    actions), opened well before the meeting."""
    return list(
        Case.objects.visible_to(planner)
        .filter(house=house, status=CaseStatus.OPEN, opened_at__lt=before - datetime.timedelta(days=2))
        .filter(team__user=chair, team__revoked_at__isnull=True, team__access=AccessLevel.FULL)
        .order_by("opened_at", "pk")
        .distinct()
    )


def _attendees(case, moment):
    return [member.user for member in case.team.active().filter(granted_at__lt=moment).select_related("user")]


def _hold(ctx, meeting, planner, chair, *, finalise: bool, add_actions: bool):
    rng = ctx.rng
    held_at = meeting.starts_at + datetime.timedelta(minutes=rng.choice([0, 5, 10]))
    with clock.travel_to(meeting.starts_at + datetime.timedelta(hours=2)):
        attendance = {
            p.user_id: (Attendance.APOLOGISED if rng.random() < 0.15 and p.user_id != chair.pk else Attendance.PRESENT)
            for p in meeting.participants.all()
        }
        services.record_held(meeting, actor=planner, held_at=held_at, attendance=attendance)
        for item in meeting.items.select_related("case"):
            item.refresh_from_db()
            services.write_minutes(
                item, actor=planner, summary=rng.choice(SUMMARIES), decisions=rng.choice(DECISIONS), expected_version=item.version
            )
            to_review = list(services.actions_to_review(item))[:2]
            if to_review:
                outcomes = {
                    a: (ReviewOutcome.ON_TRACK, "")
                    if not a.is_overdue
                    else (ReviewOutcome.DELAYED, "Partner meldt vertraging; nieuwe datum volgt.")
                    for a in to_review
                }
                services.review_actions(item, actor=planner, reviews=outcomes)
            if add_actions:
                _add_action(ctx, item, chair)
    if finalise:
        with clock.travel_to(min(ctx.now, meeting.starts_at + datetime.timedelta(days=rng.choice([1, 1, 2]), hours=3))):
            meeting.refresh_from_db()
            services.finalise_minutes(meeting, actor=chair)


def _add_action(ctx, item, chair):
    """A new action in the case's plan (if the plans demo made one that still takes actions)."""
    from spil.plans import services as plan_services

    plan = plan_services.current_plan(item.case)
    if plan is None or plan.status not in plan_services.ADD_ACTION_STATUSES or ctx.rng.random() < 0.4:
        return
    example = plan.actions.select_related("life_domain", "partner").first()
    if example is None:
        return
    today = clock.today()
    services.add_action(
        item,
        actor=chair,
        life_domain=example.life_domain,
        description=ctx.rng.choice(NEW_ACTIONS),
        partner=example.partner,
        responsible=None,
        start_on=today,
        due_on=today + datetime.timedelta(days=ctx.rng.choice([14, 21, 28])),
    )


def _plan_with_agenda(ctx, house, planner, chair, meeting_type, starts_at, plan_at):
    with clock.travel_to(plan_at):
        meeting = services.plan_meeting(actor=planner, house=house, meeting_type=meeting_type, chair=chair, starts_at=starts_at)
        cases = _open_cases(planner, house, chair, starts_at)
        for case in ctx.rng.sample(cases, min(len(cases), ctx.rng.randint(*ITEMS))):
            services.add_item(meeting, actor=planner, case=case, attendees=_attendees(case, plan_at), question="Voortgang plan van aanpak")
    return meeting


def _held_pga(ctx, house, planner, chair, pga, starts_at, plan_at, finalise, add_actions):
    meeting = _plan_with_agenda(ctx, house, planner, chair, pga, starts_at, plan_at)
    _hold(ctx, meeting, planner, chair, finalise=finalise, add_actions=add_actions)


def _youth_tables(ctx, house, planner, chair):
    """(plan moment, work) for the jeugdbeschermingstafels of the year, each held for one gemeente and finalised."""
    table = MeetingType.objects.get(code="jeugdbeschermingstafel")
    municipalities = list(house.municipalities.order_by("pk"))
    if not municipalities:
        return []
    count = YOUTH_TABLES.get(ctx.size, YOUTH_TABLES["small"])
    events = []
    for days_ago in sorted(ctx.rng.sample(range(10, 360), count), reverse=True):
        day = (ctx.now - datetime.timedelta(days=days_ago)).date()
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        starts_at = _moment(day, ctx.rng.choice([9, 10, 13, 14]))
        municipality = ctx.rng.choice(municipalities)

        def work(starts_at=starts_at, municipality=municipality):
            with clock.travel_to(starts_at - datetime.timedelta(days=5)):
                meeting = services.plan_meeting(
                    actor=planner, house=house, meeting_type=table, chair=chair, municipality=municipality, starts_at=starts_at
                )
            with clock.travel_to(starts_at + datetime.timedelta(hours=2)):
                services.record_held(meeting, actor=planner)
                meeting.refresh_from_db()
                notes = "Tafel gehouden met ouders en jeugdige; de Raad besluit over een onderzoek."
                services.write_general_notes(meeting, actor=planner, general_notes=notes, expected_version=meeting.version)
            with clock.travel_to(starts_at + datetime.timedelta(days=1)):
                meeting.refresh_from_db()
                services.finalise_minutes(meeting, actor=chair)

        events.append((starts_at - datetime.timedelta(days=5), work))
    return events


def build(ctx) -> None:
    """Everything is planned first (all random draws in a fixed order), then run in the order meetings were
    planned, so meeting numbers follow the calendar."""
    pga = MeetingType.objects.get(code="pga-overleg")
    events = []
    for house_code, house in ctx.houses.items():
        if house_code not in regions.STAFF:
            continue
        chair, planner, directors, case_directors = _people(ctx, house_code)
        if planner is None:
            continue
        _set_up(ctx, house, planner, chair, directors, case_directors)
        events += _youth_tables(ctx, house, planner, chair)
        # PGA-overleggen every two weeks on Tuesday 10:00; in Parkstad the newest held one keeps overdue minutes.
        last_tuesday = ctx.now.date() - datetime.timedelta(days=(ctx.now.weekday() - 1) % 7 or 7)
        count = HELD.get(ctx.size, HELD["small"])
        days = [last_tuesday - datetime.timedelta(days=14 * i + 7) for i in reversed(range(count))]
        for index, day in enumerate(days):
            starts_at = _moment(day, 10)
            plan_at = starts_at - datetime.timedelta(days=6)
            finalise = not (index == len(days) - 1 and house_code == "parkstad")

            events.append(
                (
                    plan_at,
                    functools.partial(_held_pga, ctx, house, planner, chair, pga, starts_at, plan_at, finalise, index >= len(days) - 2),
                )
            )
        # The next two, planned now.
        for weeks in (1, 3):
            next_day = ctx.now.date() + datetime.timedelta(days=(1 - ctx.now.weekday()) % 7 + 7 * (weeks - 1))
            starts_at = _moment(max(next_day, ctx.now.date() + datetime.timedelta(days=1)), 10)
            plan_at = ctx.now - datetime.timedelta(hours=weeks)
            events.append((plan_at, functools.partial(_plan_with_agenda, ctx, house, planner, chair, pga, starts_at, plan_at)))
    for _, work in sorted(events, key=lambda event: event[0]):
        work()
    ctx.log(
        f"  overleggen: {Meeting.objects.count()} ({Meeting.objects.filter(status=MeetingStatus.FINALISED).count()} met vastgestelde notulen)"
    )


def counts() -> dict[str, int]:
    return {
        "Casusoverleggen": Meeting.objects.count(),
        "Agendapunten overleg": AgendaItem.objects.count(),
        "Jeugdbeschermingstafels gehouden": Meeting.objects.filter(meeting_type__billable=True, held_at__isnull=False).count(),
        "Acties uit overleg": ItemAction.objects.count(),
        "Besproken acties": ActionReview.objects.count(),
    }
