"""ZSM: hit/no-hit on a BSN with exactly three fields, and decisions into the timeline of the open cases; only for
the Openbaar Ministerie's client; every question logged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spil.api.testing import OTHER_BSN, VALID_BSN, open_case
from spil.core import clock
from spil.intake import hits
from spil.logbook.models import Action, AuditRecord, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.persons.bsn import bsn_hash
from spil.testing.factories import member, person_data
from spil.timeline.models import Event

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

ANSWER_KEYS = {"bekend", "pga_actief", "contact"}


@pytest.fixture
def contact(house):
    house.contact = "045-1234567 (piket ZVH Parkstad)"
    house.save()


def ask(client, bsn):
    return client.http.post("/api/v1/zsm/bevraging", {"bsn": bsn})


def test_a_known_person_gives_a_hit_with_the_contact_and_nothing_else(clients, cases, contact):
    response = ask(clients.zsm, "1112.22.333")  # dots are ignored

    assert response.status_code == 200
    assert set(response.json()) == ANSWER_KEYS
    assert response.json() == {"bekend": True, "pga_actief": True, "contact": "ZVH Parkstad: 045-1234567 (piket ZVH Parkstad)"}
    text = response.content.decode()
    assert cases.case.number not in text and "Gewoon" not in text


def test_the_hit_query_refuses_the_empty_hash_of_persons_without_a_bsn(cases):
    with pytest.raises(ValueError, match="hash of a BSN"):
        hits.open_cases("")


def test_a_case_naming_two_records_of_one_bsn_is_one_case_found_without_a_join_to_the_persons(cases):
    """The cases come by a subquery on their links: a join to the persons with DISTINCT, among the tables the callers
    join in, took PostgreSQL 9 ms to plan."""
    person = cases.case.persons.get()
    twin = Person.objects.get(pk=person.pk)
    twin.pk = None
    twin.save()  # a second record of the same person, not merged (yet)
    cases.case.persons.add(twin)
    assert hits.open_cases(person.bsn_hash) == [cases.case]
    outer, links = str(hits.open_case_ids(person.bsn_hash).query).split(" IN (SELECT ", 1)
    assert "DISTINCT" not in outer and '"persons_person"' not in outer and '"bsn_hash"' in links


def test_a_person_in_no_open_case_is_found_in_one_query_without_the_callers_tables(cases):
    with CaptureQueriesContext(connection) as queries:
        assert hits.open_cases(bsn_hash(OTHER_BSN), related=("case_type", "house")) == []
    [query] = queries
    assert query["sql"].startswith('SELECT "cases_case"."id" AS "pk" FROM') and '"organisations_house"' not in query["sql"]


def test_an_unknown_person_gives_no_hit(clients, cases):
    response = ask(clients.zsm, OTHER_BSN)
    assert response.json() == {"bekend": False, "pga_actief": False, "contact": ""}


def test_a_person_only_in_a_restricted_or_closed_case_gives_no_hit(clients, cases):
    cases.restricted_case.persons.update(bsn=OTHER_BSN, bsn_hash=cases.case.persons.get().bsn_hash)
    case = cases.case
    case.persons.update(bsn_hash="")
    assert ask(clients.zsm, VALID_BSN).json() == {"bekend": False, "pga_actief": False, "contact": ""}


def test_every_question_is_logged_for_the_cases_concerned_and_the_question_itself(clients, cases):
    ask(clients.zsm, VALID_BSN)
    person = cases.case.persons.get()
    reads = ProcessingRecord.objects.filter(action=Action.READ, subject=subject_of(person))
    assert {(record.object_ref, record.activity.code) for record in reads} == {
        (cases.case.number, "procesregie"),
        ("ZSM-bevraging", "zsm-via"),
    }
    assert AuditRecord.objects.filter(user=clients.zsm.user).exists()


def test_a_question_logs_each_case_concerned_under_its_persons_read_in_one_query(clients, cases, other_house):
    person = cases.case.persons.get()
    director = member(other_house, Role.PROCESS_DIRECTOR)
    second = open_case(other_house, intake=member(other_house, Role.INTAKE), director=director, persons=[person_data(surname="Tweede")])
    second.persons.add(person)
    with CaptureQueriesContext(connection) as context:
        named = hits.persons_named([cases.case, second], person.bsn_hash)
    assert named == {cases.case.pk: [person], second.pk: [person]} and len(context) == 1
    assert ask(clients.zsm, VALID_BSN).json()["bekend"]
    logged = ProcessingRecord.objects.filter(
        action=Action.READ, subject=subject_of(person), object_ref__in=[cases.case.number, second.number]
    )
    assert sorted(logged.values_list("object_ref", flat=True)) == sorted([cases.case.number, second.number])


def test_a_question_about_an_unknown_person_is_still_on_record(clients, cases):
    ask(clients.zsm, OTHER_BSN)
    assert AuditRecord.objects.filter(user=clients.zsm.user, detail="ZSM-bevraging: niet bekend").exists()


def test_only_the_om_may_ask(clients, cases):
    for client in (clients.a, clients.b):
        assert_problem(ask(client, VALID_BSN), 403)
    assert not ProcessingRecord.objects.filter(object_ref="ZSM-bevraging").exists()


def test_the_bsn_is_checked_and_never_taken_from_the_url(clients, cases):
    problem = assert_problem(ask(clients.zsm, "123456789"), 400)
    assert problem["invalid-params"][0]["name"] == "bsn" and "11-proef" in problem["invalid-params"][0]["reason"]
    assert_problem(clients.zsm.http.get(f"/api/v1/zsm/bevraging?bsn={VALID_BSN}"), 405)


YESTERDAY = clock.today() - datetime.timedelta(days=1)
DECISION = {"bsn": VALID_BSN, "beslissing": "Taakstraf 40 uur", "parketnummer": "03/123456-26", "datum": YESTERDAY.isoformat()}


def test_a_decision_lands_in_the_timeline_of_the_open_case(clients, cases):
    response = clients.zsm.http.post("/api/v1/zsm/beslissingen", DECISION)

    assert response.status_code == 201, response.content
    assert response.json() == {"verwerkt": True}
    event = Event.objects.get(case=cases.case, actor=clients.zsm.user)
    assert event.text == f"ZSM-beslissing van {YESTERDAY:%d-%m-%Y} (parketnummer/referentie 03/123456-26): Taakstraf 40 uur"
    assert ProcessingRecord.objects.filter(action=Action.UPDATE, object_ref=cases.case.number).exists()


def test_a_decision_about_an_unknown_person_is_404(clients, cases):
    assert_problem(clients.zsm.http.post("/api/v1/zsm/beslissingen", {**DECISION, "bsn": OTHER_BSN}), 404)
    assert not Event.objects.filter(actor=clients.zsm.user).exists()


def test_only_the_om_posts_decisions_and_they_are_validated(clients, cases):
    assert_problem(clients.a.http.post("/api/v1/zsm/beslissingen", DECISION), 403)
    problem = assert_problem(clients.zsm.http.post("/api/v1/zsm/beslissingen", {**DECISION, "datum": "2999-01-01", "beslissing": ""}), 400)
    assert {param["name"] for param in problem["invalid-params"]} == {"datum", "beslissing"}
