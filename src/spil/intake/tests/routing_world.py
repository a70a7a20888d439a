"""Test world for regional intake, routing and forwarding: Zuid-Limburg (one loket, three houses), Noord-Limburg
(a region of its own, with Mook en Middelaar and the shipped routing rules), Gelderland-Zuid (no region) and
Midden-Limburg (own intake, no region). Import `limburg_fixture` into a test module to use
the fixture `limburg`."""

from dataclasses import dataclass

import pytest

from spil.casetypes.models import CaseType
from spil.intake import services as intake_services
from spil.organisations import routing_rules
from spil.organisations.models import House, IntakeRegion, Municipality, Role
from spil.testing.factories import HouseFactory, MunicipalityFactory, member, person_data, report_fields


@dataclass
class Limburg:
    zuid: IntakeRegion
    noord_region: IntakeRegion
    parkstad: House
    westelijke_mijnstreek: House
    maastricht: House
    noord: House
    gelderland: House
    midden: House
    loket: object  # intake in Parkstad only: the central loket of Zuid-Limburg
    intake_noord: object
    intake_gelderland: object
    intake_midden: object

    def municipality(self, name: str) -> Municipality:
        return Municipality.objects.get(name=name)

    def register(
        self, actor, *, region=None, house=None, municipality=None, case_type="pga", criminal_law=False, persons=None, reason="", **fields
    ):
        """Register a melding through the service, by region (routing rules) or for a house."""
        if persons is None:
            persons = [person_data(municipality=self.municipality(municipality) if municipality else None)]
        return intake_services.register_report(
            actor=actor,
            fields=report_fields(requested_case_type=CaseType.objects.get(code=case_type), criminal_law=criminal_law, **fields),
            persons=persons,
            house=house,
            region=region,
            routing_reason=reason,
        )


@pytest.fixture(name="limburg")
def limburg_fixture(house, other_house) -> Limburg:
    zuid = IntakeRegion.objects.create(code="zuid-limburg", name="Zuid-Limburg")
    noord_region = IntakeRegion.objects.create(code="noord-limburg", name="Noord-Limburg")
    westelijke_mijnstreek = HouseFactory(code="westelijke-mijnstreek", name="ZVH Westelijke Mijnstreek")
    maastricht = HouseFactory(code="maastricht-heuvelland", name="ZVH Maastricht-Heuvelland")
    gelderland = HouseFactory(code="gelderland-zuid", name="ZVH Gelderland-Zuid")
    midden = HouseFactory(code="midden-limburg", name="ZVH Midden-Limburg")
    for zuid_house in [house, westelijke_mijnstreek, maastricht]:
        zuid_house.intake_region = zuid
        zuid_house.save(update_fields=["intake_region"])
    other_house.intake_region = noord_region
    other_house.save(update_fields=["intake_region"])
    MunicipalityFactory(name="Sittard-Geleen", cbs_code="GM1883", house=westelijke_mijnstreek)
    MunicipalityFactory(name="Maastricht", cbs_code="GM0935", house=maastricht)
    MunicipalityFactory(name="Mook en Middelaar", cbs_code="GM0944", house=other_house)
    MunicipalityFactory(name="Nijmegen", cbs_code="GM0268", house=gelderland)
    MunicipalityFactory(name="Roermond", cbs_code="GM0957", house=midden)
    routing_rules.load(routing_rules.read())
    return Limburg(
        zuid=zuid,
        noord_region=noord_region,
        parkstad=house,
        westelijke_mijnstreek=westelijke_mijnstreek,
        maastricht=maastricht,
        noord=other_house,
        gelderland=gelderland,
        midden=midden,
        loket=member(house, Role.INTAKE),
        intake_noord=member(other_house, Role.INTAKE),
        intake_gelderland=member(gelderland, Role.INTAKE),
        intake_midden=member(midden, Role.INTAKE),
    )
