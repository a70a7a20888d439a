"""Hit/no-hit across houses (as the Veilig Thuis Register does): whether a person is known in an active case at a
house, answered with the house and its contact only, never with content.

`known_at` is the one query for it (intake, the ZSM question of the partner API). (Scaffold: `announce`, which tells
the intake worker and the other house at registration, comes with issue 6.)
"""

from dataclasses import dataclass

from spil.organisations.models import House

PGA_CASE_TYPES = ("pga", "pga-jeugd")


@dataclass(frozen=True)
class Hit:
    house: House
    pga_active: bool  # an open Persoonsgerichte Aanpak case

    @property
    def contact(self) -> str:
        return self.house.contact


def known_at(bsn_hash: str, *, exclude_house=None) -> list[Hit]:
    """The houses with an open case about the person with this BSN (keyed hash), in name order. Restricted case types
    (radicalisering, mensenhandel) never give a hit: even their existence is shielded."""
    from spil.cases.models import Case, CaseStatus

    if not bsn_hash:
        return []
    cases = Case.objects.filter(status=CaseStatus.OPEN, case_type__restricted=False, persons__bsn_hash=bsn_hash)
    if exclude_house is not None:
        cases = cases.exclude(house=exclude_house)
    pga_houses = set(cases.filter(case_type__code__in=PGA_CASE_TYPES).values_list("house_id", flat=True))
    houses = House.objects.filter(pk__in=cases.values("house_id")).order_by("name")
    return [Hit(house=house, pga_active=house.pk in pga_houses) for house in houses]


def announce(report, *, actor) -> None:
    return None
