"""Which house owns a new melding: the house the intake names, or the routing rules of an intake region.

Registering via a region (`region`, no `house`): the gemeente of the persons (the first person with one) decides.
A `RoutingRule` for that gemeente and theme sends the melding to the house it names, unless the rule does not apply
under criminal law and there is a strafrechtelijk kader (Mook en Middelaar: some themes go to Gelderland-Zuid, with
criminal law to Noord-Limburg); otherwise the gemeente's own house owns it. The loket serves only the gemeenten of
its region's houses: a gemeente elsewhere is not routed (register it for a house of the region with a reason, then
forward it). The house a rule names may lie outside the region: a rule is an agreement between the houses (seed 002:
a samenwerkingsconvenant with Gelderland), so the loket registers such a melding there directly and
`access.policy` lets it (registering covers the houses the region's rules name).

No gemeente known (no fixed address, abroad, unknown: about 1 in 6 detention notices): the last known gemeente of a
person with a BSN in the region's own meldingen and cases is used, else the intake worker chooses the house and gives
the reason. `Destination.note` says in
Dutch how the house was decided; it is kept as `Report.routing_note`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from spil.access import policy
from spil.core.errors import DomainError
from spil.organisations.models import RoutingRule

NO_MUNICIPALITY = (
    "Van geen van de personen is de gemeente bekend, en ook geen laatst bekende gemeente. Kies het Zorg- en "
    "Veiligheidshuis en geef de reden van die keuze (bijvoorbeeld: geen vaste woonplaats, verblijft in het buitenland)."
)


@dataclass(frozen=True)
class Destination:
    house: object
    region: object | None = None
    note: str = ""


def destination(*, actor, house, region, case_type, persons, criminal_law: bool, reason: str) -> Destination:
    """Where a new melding goes. `house`: the intake's choice (with `region` as well, the choice overrides the
    routing rules and needs a `reason`); else `region`: the routing rules decide. Permission to register for the
    resulting house is checked by the caller (`report.register`)."""
    reason = (reason or "").strip()
    if house is not None:
        if region is None:
            return Destination(house=house, region=house.intake_region, note=f"Keuze intake: {reason}" if reason else "")
        _require_region(actor, region)
        if not reason:
            raise DomainError("Geef de reden waarom u het huis zelf kiest in plaats van de routeringsregels.")
        if house.intake_region_id != region.pk and not _rule_houses(region).filter(house=house).exists():
            raise DomainError(f"{house} hoort niet bij intakeregio {region}. Kies een huis van de regio.")
        return Destination(house=house, region=region, note=f"Keuze intake: {reason}")
    if region is None:
        raise DomainError("Kies het Zorg- en Veiligheidshuis van deze melding.")
    _require_region(actor, region)
    municipality, fallback = _municipality(persons, region)
    if municipality is None:
        raise DomainError(NO_MUNICIPALITY)
    if municipality.house.intake_region_id != region.pk:
        raise DomainError(
            f"De gemeente {municipality} hoort bij {municipality.house}, dat niet via intakeregio {region} werkt. "
            f"Kies een huis van de regio en geef de reden; zend de melding daarna door aan {municipality.house}."
        )
    rule = RoutingRule.objects.filter(municipality=municipality, case_type=case_type).select_related("house").first()
    if rule is not None and not (rule.unless_criminal_law and criminal_law):
        house, note = rule.house, f"Regel: {municipality}, {case_type} → {rule.house}"
    elif rule is not None:
        house = municipality.house
        note = f"Strafrechtelijk kader, dus niet de regel voor {municipality}, {case_type}: gemeente {municipality} → {house}"
    else:
        house = municipality.house
        note = f"Gemeente {municipality} → {house}"
    return Destination(house=house, region=region, note=f"{fallback}. {note}" if fallback else note)


def _require_region(actor, region) -> None:
    if not policy.intake_regions_for(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(f"U heeft geen rechten om meldingen te registreren voor intakeregio {region}.")


def _rule_houses(region):
    return RoutingRule.objects.filter(municipality__house__intake_region=region)


def _municipality(persons: list[dict], region):
    """(gemeente, fallback note): the first person's gemeente, else the last known gemeente of a person by BSN."""
    for person in persons:
        if person.get("municipality") is not None:
            return person["municipality"], ""
    for person in persons:
        if person.get("bsn") and (known := last_known_municipality(person["bsn"], region)) is not None:
            return known, f"Geen vaste woonplaats bekend; laatst bekende gemeente {known}"
    return None, ""


def last_known_municipality(bsn: str, region):
    """The gemeente most recently recorded for a person with this BSN, as known to the houses of the region (the
    loket works for them; across houses Spil tells hit/no-hit only), and only from meldingen or cases of a theme that
    is not restricted: routing must not reveal that a shielded dossier exists."""
    from spil.cases.models import Case
    from spil.intake.models import Report
    from spil.persons.bsn import bsn_hash
    from spil.persons.models import Person

    houses = region.houses.all()
    in_report = Report.objects.filter(persons=OuterRef("pk"), house__in=houses, requested_case_type__restricted=False)
    in_case = Case.objects.filter(persons=OuterRef("pk"), house__in=houses, case_type__restricted=False)
    person = (
        Person.objects.filter(bsn_hash=bsn_hash(bsn), municipality__isnull=False)
        .filter(Exists(in_report) | Exists(in_case))
        .select_related("municipality__house")
        .order_by("-created_at", "-pk")
        .first()
    )
    return person.municipality if person is not None else None
