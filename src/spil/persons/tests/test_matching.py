"""Matching at intake: exact on BSN among the persons the worker's houses know, fuzzy on name and birth date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spil.casetypes.models import CaseType
from spil.organisations.models import Municipality, Role
from spil.persons import matching
from spil.persons.models import Discrepancy, Person
from spil.testing.factories import member, person_data, register_report

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 5, 17)


def person_of(report) -> Person:
    return report.persons.get()


def known(worker, house, **data) -> Person:
    return person_of(register_report(worker, house, persons=[person_data(**data)]))


def scores(worker, **data) -> dict[str, int]:
    found = matching.candidates(person_data(**data), within=matching.known_to(worker))
    return {f"{c.person.first_names} {c.person.surname}": c.percentage for c in found}


# --- Exact on BSN --------------------------------------------------------------------------------------------------


def test_a_known_bsn_is_looked_up_by_its_records_ids_not_through_the_houses_index(intake_worker, house, bsns):
    """A BSN names one or two records; narrowing to the persons the houses know first made PostgreSQL read a house's
    tens of thousands of entries in the houses index to intersect them with those (13 ms a registration nationally).
    Which of them the houses know is asked by their ids."""
    bsn = next(bsns)
    first = known(intake_worker, house, bsn=bsn)
    with CaptureQueriesContext(connection) as queries:
        again = register_report(intake_worker, house, persons=[person_data(bsn=bsn)])
    assert person_of(again) == first
    conditions = [q["sql"].split(" WHERE ", 1)[1] for q in queries if q["sql"].startswith('SELECT "persons_person"."id"')]
    (lookup,) = [where for where in conditions if "EXISTS" in where]
    assert "known_in_houses" not in lookup and '"persons_person"."id" IN' in lookup
    # Which meldingen and cases make a person known is a condition on their own columns, not subqueries of the houses and
    # of the visible meldingen and cases: one subquery each for the links and for the meldingen and cases they name.
    assert "organisations_house" not in lookup and lookup.count("SELECT") == 4


def test_a_known_bsn_gives_the_known_person_and_fills_its_blanks(intake_worker, house, bsns):
    bsn = next(bsns)
    first = known(intake_worker, house, bsn=bsn)
    heerlen = Municipality.objects.get(name="Heerlen")
    again = register_report(
        intake_worker,
        house,
        persons=[
            person_data(bsn=f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}", address="Markt 1", postcode="6411 AB", city="Heerlen", municipality=heerlen)
        ],
    )
    assert person_of(again) == first
    first.refresh_from_db()
    assert (first.address, first.postcode, first.city, first.municipality) == ("Markt 1", "6411 AB", "Heerlen", heerlen)
    assert not Discrepancy.objects.exists()
    assert Person.objects.count() == 1


def test_differing_data_of_a_known_person_is_noted_not_overwritten(intake_worker, house, bsns):
    bsn = next(bsns)
    first = known(intake_worker, house, bsn=bsn, address="Markt 1", postcode="6411AB", city="Heerlen")
    again = register_report(
        intake_worker,
        house,
        persons=[person_data(bsn=bsn, first_names="J.", address="Kerkstraat 2", postcode="6411 ab", birth_date=datetime.date(1990, 5, 18))],
    )
    first.refresh_from_db()
    assert (first.address, first.birth_date, first.first_names) == ("Markt 1", BORN, "Jan")
    noted = {d.field: (d.recorded_text, d.given_text) for d in Discrepancy.objects.filter(report=again, person=first)}
    # The postcode is the same when typed differently, and "J." agrees with "Jan".
    assert noted == {"address": ("Markt 1", "Kerkstraat 2"), "birth_date": ("17-5-1990", "18-5-1990")}


def test_a_bsn_known_only_at_another_house_gives_a_new_person(intake_worker, house, other_house, bsns):
    bsn = next(bsns)
    theirs = known(member(other_house, Role.INTAKE), other_house, bsn=bsn, address="Geheimstraat 9")
    ours = known(intake_worker, house, bsn=bsn)
    assert ours != theirs
    assert ours.address == "" and ours.match_pending


def test_a_bsn_known_only_from_a_restricted_melding_the_worker_cannot_see_gives_a_new_person(intake_worker, house, bsns):
    bsn = next(bsns)
    colleague = member(house, Role.INTAKE)
    restricted = register_report(
        colleague, house, persons=[person_data(bsn=bsn)], requested_case_type=CaseType.objects.get(code="pga-radicalisering")
    )
    ours = known(intake_worker, house, bsn=bsn)
    assert ours != person_of(restricted)


def test_a_new_person_waits_for_the_intakes_comparison(intake_worker, house):
    assert known(intake_worker, house).match_pending


# --- Fuzzy on name and birth date ------------------------------------------------------------------------------


@pytest.fixture
def jansen(intake_worker, house):
    return known(intake_worker, house, first_names="Jan", surname_prefix="van der", surname="Jansen", birth_date=BORN)


@pytest.mark.parametrize(
    "typed",
    [
        {"first_names": "J.", "surname_prefix": "", "surname": "Jansen, J. van der"},
        {"first_names": "Jan", "surname_prefix": "", "surname": "van der Jansen"},
        {"first_names": "Jan", "surname_prefix": "v.d.", "surname": "Jänsen"},
        {"first_names": "jan", "surname_prefix": "", "surname": "JANSEN"},
    ],
)
def test_particles_accents_and_initials_still_find_the_person(intake_worker, jansen, typed):
    found = matching.candidates(person_data(birth_date=BORN, **typed), within=matching.known_to(intake_worker))
    assert [c.person for c in found] == [jansen]
    assert found[0].percentage >= 90


def test_the_birth_date_boosts_or_penalises_a_typo_in_the_name(intake_worker, jansen):
    typo = {"first_names": "Jan", "surname_prefix": "van der", "surname": "Janssen"}
    same = scores(intake_worker, birth_date=BORN, **typo)["Jan Jansen"]
    unknown = scores(intake_worker, birth_date=None, **typo)["Jan Jansen"]
    assert same > unknown >= 50
    assert scores(intake_worker, birth_date=datetime.date(1971, 1, 2), **typo) == {}


def test_another_first_name_and_birth_date_is_another_person(intake_worker, jansen):
    assert scores(intake_worker, first_names="Piet", surname_prefix="van der", surname="Jansen", birth_date=datetime.date(2015, 3, 1)) == {}
    assert scores(intake_worker, first_names="Jan", surname_prefix="", surname="Pietersen", birth_date=BORN) == {}


def test_candidates_are_ranked_and_at_most_five(intake_worker, house, jansen):
    for i in range(6):
        known(intake_worker, house, first_names=f"Jan{i}", surname_prefix="", surname="Jansen", birth_date=None)
    found = matching.candidates(
        person_data(first_names="Jan", surname_prefix="", surname="Jansen", birth_date=BORN), within=matching.known_to(intake_worker)
    )
    assert len(found) == matching.LIMIT
    assert found[0].person == jansen
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_a_person_with_another_bsn_is_never_a_candidate(intake_worker, house, bsns):
    known(intake_worker, house, bsn=next(bsns))
    assert matching.candidates(person_data(bsn=next(bsns)), within=matching.known_to(intake_worker)) == []
    assert len(matching.candidates(person_data(), within=matching.known_to(intake_worker))) == 1


def test_candidates_come_only_from_the_workers_houses(intake_worker, house, other_house):
    known(member(other_house, Role.INTAKE), other_house)
    assert matching.candidates(person_data(), within=matching.known_to(intake_worker)) == []


def test_restricted_dossiers_make_no_candidates_unless_the_worker_may_see_them(intake_worker, house, bureau, open_case):
    colleague = member(house, Role.INTAKE)
    register_report(colleague, house, persons=[person_data()], requested_case_type=CaseType.objects.get(code="pga-radicalisering"))
    assert matching.candidates(person_data(), within=matching.known_to(intake_worker)) == []
    assert len(matching.candidates(person_data(), within=matching.known_to(bureau))) == 1  # the bedrijfsbureau sees the melding


def test_persons_known_from_a_case_of_the_house_are_candidates(intake_worker, house, open_case):
    case = open_case(member(house, Role.INTAKE), house, persons=[person_data(surname="Casusnaam")])
    found = matching.candidates(person_data(surname="Casusnaam"), within=matching.known_to(intake_worker))
    assert [c.person for c in found] == list(case.persons.all())


def test_the_search_box_ignores_particles_and_accents(intake_worker, jansen):
    for text in ["van der Jansen", "Jansen, van der", "Jänsen", "jansen", "Jan"]:
        assert list(Person.objects.matching(text)) == [jansen], text
