"""Routing a new melding: the house named by the intake, or the routing rules of an intake region."""

import pytest
from django.core.exceptions import PermissionDenied

from spil.core.errors import DomainError
from spil.organisations.models import Role, RoutingRule
from spil.testing.factories import member, person_data

from .routing_world import limburg_fixture  # noqa: F401 (the fixture `limburg`)

pytestmark = pytest.mark.django_db

# Seed 002, "Overzicht afspraken Mook en Middelaar": handled in Gelderland unless criminal law is involved.
MOOK_TO_GELDERLAND = [
    "levensloop",
    "via",  # grip op onbegrepen gedrag / verward gedrag, levensloopfunctie
    "zoco-mensenhandel",  # zorgcoördinatie mensenhandel
    "routeertafel-vt",
    "wth",
    "mda",  # huiselijk geweld en Veilig Thuis
    "jeugdbeschermingstafel",
    "ret",
    "kernteam-jeugd",
    "jpp",  # jeugd en de regionale jeugdoverlegtafels
]
MOOK_STAYS = ["pga", "pga-jeugd", "consult-advies", "bij", "nazorg", "rio", "zsm", "riec-ondermijning"]


@pytest.mark.parametrize(
    "municipality, house_code, name",
    [
        ("Heerlen", "parkstad", "ZVH Parkstad"),
        ("Sittard-Geleen", "westelijke-mijnstreek", "ZVH Westelijke Mijnstreek"),
        ("Maastricht", "maastricht-heuvelland", "ZVH Maastricht-Heuvelland"),
    ],
)
def test_the_zuid_limburg_loket_routes_to_the_house_of_the_gemeente(limburg, municipality, house_code, name):
    report = limburg.register(limburg.loket, region=limburg.zuid, municipality=municipality)
    assert report.house.code == house_code
    assert report.intake_region == limburg.zuid
    assert report.routing_note == f"Gemeente {municipality} → {name}"


@pytest.mark.parametrize("code", MOOK_TO_GELDERLAND)
def test_mook_en_middelaar_themes_go_to_gelderland(limburg, code):
    report = limburg.register(limburg.intake_noord, region=limburg.noord_region, municipality="Mook en Middelaar", case_type=code)
    assert report.house == limburg.gelderland
    assert report.intake_region == limburg.noord_region
    assert report.routing_note == f"Regel: Mook en Middelaar, {report.requested_case_type} → ZVH Gelderland-Zuid"


@pytest.mark.parametrize("code", MOOK_TO_GELDERLAND)
def test_with_criminal_law_mook_en_middelaar_stays_in_noord_limburg(limburg, code):
    report = limburg.register(
        limburg.intake_noord, region=limburg.noord_region, municipality="Mook en Middelaar", case_type=code, criminal_law=True
    )
    assert report.house == limburg.noord
    assert report.criminal_law
    assert report.routing_note.startswith("Strafrechtelijk kader, dus niet de regel voor Mook en Middelaar")
    assert report.routing_note.endswith("gemeente Mook en Middelaar → ZVH Noord-Limburg")


@pytest.mark.parametrize("code", MOOK_STAYS)
def test_other_themes_of_mook_en_middelaar_stay_in_noord_limburg(limburg, code):
    report = limburg.register(limburg.intake_noord, region=limburg.noord_region, municipality="Mook en Middelaar", case_type=code)
    assert report.house == limburg.noord
    assert report.routing_note == "Gemeente Mook en Middelaar → ZVH Noord-Limburg"


def test_the_rules_file_covers_exactly_the_mook_en_middelaar_exceptions(limburg):
    rules = RoutingRule.objects.filter(municipality__name="Mook en Middelaar")
    assert sorted(rules.values_list("case_type__code", flat=True)) == sorted(MOOK_TO_GELDERLAND)
    assert all(rule.unless_criminal_law and rule.house == limburg.gelderland for rule in rules)


def test_the_first_person_with_a_gemeente_decides(limburg):
    persons = [person_data(first_names="Zonder"), person_data(first_names="Met", municipality=limburg.municipality("Maastricht"))]
    report = limburg.register(limburg.loket, region=limburg.zuid, persons=persons)
    assert report.house == limburg.maastricht


def test_without_a_gemeente_the_last_known_one_of_the_person_is_used(limburg):
    known = person_data(bsn="111222333", municipality=limburg.municipality("Maastricht"))
    limburg.register(limburg.loket, house=limburg.maastricht, persons=[known])
    report = limburg.register(limburg.loket, region=limburg.zuid, persons=[person_data(bsn="111222333")])
    assert report.house == limburg.maastricht
    assert report.routing_note == (
        "Geen vaste woonplaats bekend; laatst bekende gemeente Maastricht. Gemeente Maastricht → ZVH Maastricht-Heuvelland"
    )


def test_the_last_known_gemeente_comes_from_the_regions_own_dossiers_only(limburg):
    # Across houses Spil answers hit/no-hit only: Noord-Limburg's melding tells the Zuid loket nothing.
    limburg.register(
        limburg.intake_noord, house=limburg.noord, persons=[person_data(bsn="111222333", municipality=limburg.municipality("Venlo"))]
    )
    with pytest.raises(DomainError, match="geen laatst bekende gemeente"):
        limburg.register(limburg.loket, region=limburg.zuid, persons=[person_data(bsn="111222333")])
    report = limburg.register(limburg.intake_noord, region=limburg.noord_region, persons=[person_data(bsn="111222333")])
    assert report.house == limburg.noord and "laatst bekende gemeente Venlo" in report.routing_note


def test_a_restricted_dossier_never_gives_the_last_known_gemeente(limburg, house):
    # Even the existence of a radicalisering melding is shielded: routing must not reveal it.
    back_office = member(house, Role.BACK_OFFICE)
    shielded = person_data(bsn="111222333", municipality=limburg.municipality("Maastricht"))
    limburg.register(back_office, house=limburg.maastricht, persons=[shielded], case_type="pga-radicalisering")
    with pytest.raises(DomainError, match="geen laatst bekende gemeente"):
        limburg.register(limburg.loket, region=limburg.zuid, persons=[person_data(bsn="111222333")])


def test_without_any_gemeente_the_intake_chooses_the_house_with_a_reason(limburg):
    with pytest.raises(DomainError, match="Kies het Zorg- en Veiligheidshuis en geef de reden"):
        limburg.register(limburg.loket, region=limburg.zuid)
    with pytest.raises(DomainError, match="Geef de reden"):
        limburg.register(limburg.loket, region=limburg.zuid, house=limburg.maastricht)
    report = limburg.register(
        limburg.loket, region=limburg.zuid, house=limburg.maastricht, reason="Verblijft in de nachtopvang in Maastricht"
    )
    assert report.house == limburg.maastricht
    assert report.intake_region == limburg.zuid
    assert report.routing_note == "Keuze intake: Verblijft in de nachtopvang in Maastricht"


def test_the_chosen_house_must_belong_to_the_region_or_be_named_by_its_rules(limburg):
    with pytest.raises(DomainError, match="hoort niet bij intakeregio Zuid-Limburg"):
        limburg.register(limburg.loket, region=limburg.zuid, house=limburg.gelderland, reason="Woont bij familie in Nijmegen")
    # Noord-Limburg's rules name Gelderland-Zuid, so its intake may choose it (a homeless Mook resident, levensloop).
    report = limburg.register(
        limburg.intake_noord, region=limburg.noord_region, house=limburg.gelderland, reason="Zwerft rond Mook", case_type="levensloop"
    )
    assert report.house == limburg.gelderland and report.intake_region == limburg.noord_region


def test_a_gemeente_outside_the_region_is_not_routed(limburg):
    with pytest.raises(DomainError, match="Venlo hoort bij ZVH Noord-Limburg, dat niet via intakeregio Zuid-Limburg werkt"):
        limburg.register(limburg.loket, region=limburg.zuid, municipality="Venlo")
    # A Mook en Middelaar theme with a rule is no exception: the Zuid loket does not serve that gemeente.
    with pytest.raises(DomainError, match="niet via intakeregio Zuid-Limburg"):
        limburg.register(limburg.loket, region=limburg.zuid, municipality="Mook en Middelaar", case_type="levensloop")


def test_only_intake_and_back_office_of_a_house_of_the_region_register_for_it(limburg, house):
    back_office = member(limburg.maastricht, Role.BACK_OFFICE)
    assert limburg.register(back_office, region=limburg.zuid, municipality="Heerlen").house == house
    for outsider in [member(house, Role.TRIAGE), member(house, Role.PROCESS_DIRECTOR), limburg.intake_noord, limburg.intake_midden]:
        with pytest.raises(PermissionDenied):
            limburg.register(outsider, region=limburg.zuid, municipality="Heerlen")


def test_a_house_without_a_region_keeps_its_own_intake(limburg):
    report = limburg.register(limburg.intake_midden, house=limburg.midden, municipality="Roermond")
    assert report.house == limburg.midden and report.intake_region is None and report.routing_note == ""
    with pytest.raises(PermissionDenied):
        limburg.register(limburg.intake_midden, house=limburg.noord)
    with pytest.raises(DomainError, match="Kies het Zorg- en Veiligheidshuis"):
        limburg.register(limburg.intake_midden)


def test_registering_via_a_region_counts_for_every_house_of_it_and_the_houses_its_rules_name(limburg):
    # The loket holds intake in Parkstad only, and registers for Maastricht-Heuvelland directly too.
    report = limburg.register(limburg.loket, house=limburg.maastricht, municipality="Maastricht")
    assert report.house == limburg.maastricht and report.intake_region == limburg.zuid and report.routing_note == ""
    with pytest.raises(PermissionDenied):
        limburg.register(limburg.loket, house=limburg.noord)
    # Noord-Limburg's intake registers for Gelderland-Zuid (its rules name it), not for Zuid-Limburg's houses.
    assert limburg.register(limburg.intake_noord, house=limburg.gelderland).house == limburg.gelderland
    with pytest.raises(PermissionDenied):
        limburg.register(limburg.intake_noord, house=limburg.maastricht)
    # Gelderland-Zuid's own intake gains nothing in Limburg from the rules.
    with pytest.raises(PermissionDenied):
        limburg.register(limburg.intake_gelderland, house=limburg.noord)
