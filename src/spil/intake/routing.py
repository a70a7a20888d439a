"""Which house owns a new melding. (Scaffold: the house must be given; routing rules come with issue 6.)"""

from dataclasses import dataclass

from spil.core.errors import DomainError


@dataclass(frozen=True)
class Destination:
    house: object
    region: object | None = None
    note: str = ""


def destination(*, actor, house, region, case_type, persons, criminal_law: bool, reason: str) -> Destination:
    if house is None:
        raise DomainError("Kies het Zorg- en Veiligheidshuis van deze melding.")
    return Destination(house=house, region=house.intake_region)
