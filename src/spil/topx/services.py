"""Business rules of Top-X: lists per municipality or region, and re-ranking them by a decision of a meeting.

- Only open cases of the house whose case type carries the Top-X label (`CaseType.label_for` of "top-x": PGA) can
  be placed, and on a municipality's list only cases with a person living in that municipality.
- A case is on at most one current list of its house.
- A re-ranking is a new `Ranking` (append-only) decided in a meeting of the house that has begun and was not
  cancelled. Every case that enters, moves or leaves the list gets a timeline line; entering and moving need a
  reason.
- The list must be renewed at least every `RENEWAL_MONTHS` months (see `detectors`).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from spil.access import policy
from spil.access.processing import log_case
from spil.cases.models import Case, CaseStatus
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError
from spil.logbook.models import Action
from spil.meetings.models import MeetingStatus
from spil.meetings.services import label as meeting_label
from spil.persons.models import Person
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.topx.models import Ranking, RankingEntry, TopXList

TOP_X_CODE = "top-x"
RENEWAL_MONTHS = 6
ANY = object()  # rerank(based_on=ANY): do not check which ranking the decision was based on


def months_later(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same local time `months` calendar months later (or earlier, if negative), also across summer time;
    31 August + 6 months = 28/29 February."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    return timezone.make_aware(local.replace(year=year, month=month, day=min(local.day, calendar.monthrange(year, month)[1])))


def renewal_due(topx_list: TopXList, last_decided_at: datetime.datetime | None) -> datetime.datetime:
    """When the list must be renewed: six months after its latest decision; a list without one is due at once."""
    return months_later(last_decided_at, RENEWAL_MONTHS) if last_decided_at else topx_list.created_at


def eligible_case_type() -> CaseType:
    """The case type the Top-X label is for (PGA), from the case type configuration."""
    return CaseType.objects.select_related("label_for").get(code=TOP_X_CODE).label_for


def current_ranking(topx_list: TopXList) -> Ranking | None:
    return topx_list.rankings.order_by("-decided_at", "-pk").first()


def latest_ranking_id(list_ref: str):
    """A subquery: the pk of the latest ranking of the list that the outer query names by `list_ref`."""
    return Ranking.objects.filter(topx_list=OuterRef(list_ref)).order_by("-decided_at", "-pk").values("pk")[:1]


def current_entries():
    """Entries on the current ranking of their list: the cases that carry the Top-X label now."""
    return RankingEntry.objects.filter(ranking=latest_ranking_id("ranking__topx_list"))


def current_place(case: Case) -> RankingEntry | None:
    """Where a case is on the Top-X now (rank and list), if it is."""
    # Few cases were ever on a list: asked first in a short query, so a dossier does not build the ranking subquery for
    # every case (about 4 ms a dossier).
    if not RankingEntry.objects.filter(case=case).exists():
        return None
    return current_entries().filter(case=case).select_related("ranking__topx_list").first()


def eligible_cases(topx_list: TopXList):
    """Open cases of the list's house and area that may be placed on it (visibility not applied)."""
    cases = Case.objects.filter(
        house=topx_list.house_id, case_type=eligible_case_type(), status=CaseStatus.OPEN, case_type__restricted=False
    )
    if topx_list.municipality_id:
        cases = cases.filter(Exists(Person.objects.filter(cases=OuterRef("pk"), municipality=topx_list.municipality_id)))
    return cases


@transaction.atomic
def create_list(*, actor, house, municipality=None, name: str = "") -> TopXList:
    policy.require(actor, "topx.manage", house)
    if municipality is not None and municipality.house_id != house.pk:
        raise DomainError(f"Gemeente {municipality} hoort niet bij {house}.")
    name = name.strip() or (f"Top-X {municipality}" if municipality else f"Top-X regio {house}")
    existing = TopXList.objects.filter(house=house)
    if existing.filter(municipality=municipality).exists():
        area = f"gemeente {municipality}" if municipality else "de hele regio"
        raise DomainError(f"{house} heeft al een Top-X-lijst voor {area}.")
    if existing.filter(name__iexact=name).exists():
        raise DomainError(f"{house} heeft al een Top-X-lijst met de naam '{name}'.")
    return TopXList.objects.create(house=house, municipality=municipality, name=name, created_by=actor, created_at=clock.now())


@dataclass(frozen=True)
class Movement:
    """How one case's place changed between two rankings."""

    case: Case
    kind: str  # "in", "up", "down", "same", "out"
    before: int | None
    after: int | None
    reason: str = ""

    LABELS = {"in": "Nieuw op de lijst", "up": "Gestegen", "down": "Gedaald", "same": "Gelijk gebleven", "out": "Van de lijst"}

    @property
    def label(self) -> str:
        return self.LABELS[self.kind]


def movements(before: list[RankingEntry], after: list[RankingEntry]) -> list[Movement]:
    """The changes from one ranking to the next: the new order first, then the cases that left (by former rank)."""
    previous = {entry.case_id: entry.rank for entry in before}
    result = []
    for entry in sorted(after, key=lambda e: e.rank):
        old = previous.get(entry.case_id)
        kind = "in" if old is None else "up" if entry.rank < old else "down" if entry.rank > old else "same"
        result.append(Movement(entry.case, kind, old, entry.rank, entry.reason))
    staying = {entry.case_id for entry in after}
    result += [
        Movement(entry.case, "out", entry.rank, None) for entry in sorted(before, key=lambda e: e.rank) if entry.case_id not in staying
    ]
    return result


def _check_meeting(topx_list: TopXList, meeting) -> None:
    if meeting.house_id != topx_list.house_id:
        raise DomainError(
            f"Overleg {meeting.number} is geen overleg van {topx_list.house}; alleen een overleg van het ZVH besluit over de lijst."
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(f"Overleg {meeting.number} is geannuleerd en kan niet over de lijst besluiten.")
    if meeting.starts_at > clock.now():
        raise DomainError(f"Overleg {meeting.number} is nog niet begonnen; leg het besluit vast tijdens of na het overleg.")


def _check_cases(topx_list: TopXList, cases: list[Case], *, actor, already_on: set[int]) -> None:
    pga = eligible_case_type()
    seen = set()
    for case in cases:
        if case.pk in seen:
            raise DomainError(f"Casus {case.number} staat twee keer op de lijst.")
        seen.add(case.pk)
        if case.house_id != topx_list.house_id:
            raise DomainError(f"Casus {case.number} is geen casus van {topx_list.house}.")
        if not case.is_open:
            raise DomainError(f"Casus {case.number} is gesloten en kan niet op de Top-X-lijst staan.")
        if case.case_type_id != pga.pk:
            raise DomainError(f"Alleen casussen met aanpak {pga} kunnen op de Top-X-lijst; casus {case.number} is {case.case_type}.")
        if topx_list.municipality_id and not case.persons.filter(municipality=topx_list.municipality_id).exists():
            raise DomainError(f"Geen betrokkene van casus {case.number} woont in gemeente {topx_list.municipality}.")
        if case.pk not in already_on and not policy.visible_cases(Case.objects.filter(pk=case.pk), actor).exists():
            raise DomainError(f"U kunt casus {case.number} niet inzien en daarom niet op de lijst plaatsen; vraag het bedrijfsbureau.")
    elsewhere = (
        current_entries()
        .filter(case__in=seen, ranking__topx_list__house=topx_list.house_id)
        .exclude(ranking__topx_list=topx_list)
        .select_related("case", "ranking__topx_list")
        .first()
    )
    if elsewhere is not None:
        raise DomainError(f"Casus {elsewhere.case.number} staat al op de Top-X-lijst '{elsewhere.ranking.topx_list}'.")


@transaction.atomic
def rerank(topx_list: TopXList, *, actor, meeting, entries: list[tuple[Case, str]], note: str = "", based_on=ANY) -> Ranking:
    """Record a meeting's decision on the order of a list: `entries` are (case, reason) from rank 1 down.

    `based_on` is the ranking the decision was made on (None: the list had none); when another decision was recorded
    in the meantime, this one is refused instead of silently overruling it.
    """
    policy.require(actor, "topx.manage", topx_list.house)
    TopXList.objects.select_for_update().filter(pk=topx_list.pk).first()  # one decision on a list at a time
    previous = current_ranking(topx_list)
    if based_on is not ANY and (based_on.pk if based_on else None) != (previous.pk if previous else None):
        raise ConcurrentEdit("De lijst is intussen door een ander herijkt. Herlaad de pagina en probeer het opnieuw.")
    _check_meeting(topx_list, meeting)
    before = list(previous.entries.select_related("case")) if previous else []
    cases = [case for case, _ in entries]
    _check_cases(topx_list, cases, actor=actor, already_on={entry.case_id for entry in before})
    old_rank = {entry.case_id: entry.rank for entry in before}
    for rank, (case, reason) in enumerate(entries, start=1):
        if old_rank.get(case.pk) != rank and not reason.strip():
            what = "plaatsing" if case.pk not in old_rank else "wijziging van de rang"
            raise DomainError(f"Geef een reden voor de {what} van casus {case.number}.")

    now = clock.now()
    ranking = Ranking.objects.create(topx_list=topx_list, meeting=meeting, decided_at=now, decided_by=actor, note=note.strip())
    after = RankingEntry.objects.bulk_create(
        RankingEntry(ranking=ranking, case=case, rank=rank, reason=reason.strip()) for rank, (case, reason) in enumerate(entries, start=1)
    )
    decision = f"besluit in {meeting_label(meeting)}"
    moved = movements(before, after)
    for movement in moved:
        match movement.kind:
            case "in":
                text = f"Op de Top-X-lijst '{topx_list}' geplaatst (rang {movement.after}), {decision}: {movement.reason}"
            case "up" | "down":
                text = (
                    f"Op de Top-X-lijst '{topx_list}' van rang {movement.before} naar rang {movement.after}, {decision}: {movement.reason}"
                )
            case "out":
                text = f"Van de Top-X-lijst '{topx_list}' gehaald (was rang {movement.before}), {decision}."
            case _:
                text = None
        if text:
            record(actor=actor, kind=EventKind.TOP_X, case=movement.case, text=text)
        log_case(Action.UPDATE, movement.case, actor)
    return ranking
