"""Demo Top-X for ZVH Parkstad, written through the services at past moments (see `spil.demo.extensions`).

Two lists: Heerlen, decided three times over the year in Top-X overleggen (the latest recently, so it is current and
shows the OOV officer of Heerlen a list with history behind it), and Kerkrade, last decided more than six months ago
so its renewal signal is live. The meetings are Top-X overleggen planned and held through the meetings services.
"""

import datetime

from django.utils import timezone

from spil.cases.models import Case
from spil.core import clock
from spil.meetings import services as meeting_services
from spil.meetings.models import Meeting, MeetingStatus, MeetingType
from spil.organisations.models import Municipality
from spil.topx import services
from spil.topx.models import Ranking, TopXList

HOUSE = "parkstad"
ACTOR = "bedrijfsbureau"
CHAIR = "regisseur"
# Per list: the days before now of its decisions. Kerkrade's latest is older than six months: its signal is live.
LISTS = {"Heerlen": (230, 130, 20), "Kerkrade": (200,)}
SIZE = (3, 6)

PLACED = [
    "Herhaaldelijk geweld in de wijk; hoge impact op buurtbewoners.",
    "Reeks woninginbraken en bedreiging van getuigen.",
    "Ernstige overlast en intimidatie van hulpverleners.",
    "Escalerend huiselijk geweld; kinderen in het gezin.",
    "Veelpleger met vuurwapenincident; zorg mijdt hij.",
]
UP = [
    "Nieuwe incidenten sinds het vorige overleg.",
    "Dreiging naar de ex-partner neemt toe.",
    "Behandeling afgebroken; risico op terugval groot.",
]
DOWN = [
    "Stabieler sinds de start van de behandeling.",
    "Geen nieuwe politiecontacten; plan van aanpak loopt.",
    "Woonsituatie opgelost; minder overlast.",
]


def _moment(ctx, days_ago: int, hour: int) -> datetime.datetime:
    day = (ctx.now - datetime.timedelta(days=days_ago)).date()
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), ctx.now)


def _meeting(ctx, house, actor, chair, starts_at) -> Meeting:
    """A Top-X overleg held at `starts_at`: an existing one of the house near that day, or one planned a week ahead."""
    top_x = MeetingType.objects.get(code="top-x-overleg")
    near = Meeting.objects.filter(
        house=house,
        meeting_type=top_x,
        starts_at__range=(starts_at - datetime.timedelta(days=7), starts_at),
        status__in=[MeetingStatus.HELD, MeetingStatus.FINALISED],
    ).first()
    if near is not None:
        return near
    with clock.travel_to(starts_at - datetime.timedelta(days=7)):
        meeting = meeting_services.plan_meeting(actor=actor, house=house, meeting_type=top_x, starts_at=starts_at, chair=chair)
    with clock.travel_to(starts_at + datetime.timedelta(hours=2)):
        meeting_services.record_held(meeting, actor=actor)
    return meeting


def _candidates(topx_list, moment) -> list[Case]:
    """Open PGA cases of the list's municipality that were already open at `moment` (oldest first)."""
    return list(services.eligible_cases(topx_list).filter(opened_at__lte=moment).order_by("opened_at", "pk"))


def _next_order(ctx, previous: list[Case], candidates: list[Case]) -> list[tuple[Case, str]]:
    """The meeting's new order: most stay (some move), one may leave, new ones come in."""
    order = [case for case in previous if case in candidates]
    if len(order) > 2 and ctx.rng.random() < 0.7:
        order.pop(ctx.rng.randrange(len(order)))  # afgeschaald: off the list
    if len(order) > 1:
        i = ctx.rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    newcomers = [case for case in candidates if case not in order]
    ctx.rng.shuffle(newcomers)
    target = ctx.rng.randint(*SIZE)
    for case in newcomers[: max(0, target - len(order))]:
        order.insert(ctx.rng.randrange(len(order) + 1), case)
    before = {case.pk: rank for rank, case in enumerate(previous, start=1)}
    entries = []
    for rank, case in enumerate(order, start=1):
        old = before.get(case.pk)
        reason = ctx.rng.choice(PLACED) if old is None else ctx.rng.choice(UP) if rank < old else ctx.rng.choice(DOWN) if rank > old else ""
        entries.append((case, reason))
    return entries


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    actor, chair = ctx.users.get(ACTOR), ctx.users.get(CHAIR)
    if house is None or actor is None or chair is None:
        return
    for name, decisions in LISTS.items():
        municipality = Municipality.objects.filter(name=name, house=house).first()
        if municipality is None:
            continue
        with clock.travel_to(_moment(ctx, decisions[0] + 14, 9)):
            topx_list = services.create_list(actor=actor, house=house, municipality=municipality)
        previous: list[Case] = []
        for days_ago in decisions:
            starts_at = _moment(ctx, days_ago, 14)
            candidates = _candidates(topx_list, starts_at)
            if not candidates:
                continue
            meeting = _meeting(ctx, house, actor, chair, starts_at)
            entries = _next_order(ctx, previous, candidates)
            with clock.travel_to(starts_at + datetime.timedelta(hours=3)):
                services.rerank(topx_list, actor=actor, meeting=meeting, entries=entries, note="Rangorde besproken in het Top-X overleg.")
            previous = [case for case, _ in entries]
    ctx.log(f"  Top-X: {TopXList.objects.count()} lijsten, {Ranking.objects.count()} besluiten")


def counts() -> dict[str, int]:
    return {"Top-X-lijsten": TopXList.objects.count(), "Top-X-besluiten": Ranking.objects.count()}
