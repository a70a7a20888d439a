"""Submitting a melding and following its status: only the client's own, never content or persons."""

import pytest

from spil.api.testing import melding, submit
from spil.intake.models import Channel, Report
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.testing.factories import register_report
from spil.timeline.models import Event

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

STATUS_FIELDS = {
    "nummer",
    "status",
    "status_omschrijving",
    "ontvangen_op",
    "geregistreerd_op",
    "formulier",
    "huis",
    "huis_naam",
    "casus_geopend",
}


def test_a_submission_registers_the_melding_through_the_intake_service(clients, house):
    response = clients.a.http.post("/api/v1/meldingen", melding(house), format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == STATUS_FIELDS
    assert body["status"] == "ontvangen" and body["huis"] == "parkstad" and body["casus_geopend"] is False
    assert response["Location"] == f"/api/v1/meldingen/{body['nummer']}"
    report = Report.objects.get(number=body["nummer"])
    assert report.created_by == clients.a.user
    assert report.source_partner == clients.police and report.channel == Channel.SYSTEM
    assert report.reporter_name == "Wijkagent De Boer"
    person = report.persons.get()
    assert (person.first_names, person.surname_prefix, person.surname, person.bsn) == ("Piet", "van der", "Meer", "123456782")
    assert Event.objects.filter(report=report, actor=clients.a.user).exists()
    created = ProcessingRecord.objects.filter(action=Action.CREATE, object_ref=report.number, subject=subject_of(person))
    assert created.exists()


def test_the_answer_names_no_person_and_no_content(clients, house):
    text = clients.a.http.post("/api/v1/meldingen", melding(house), format="json").content.decode()
    assert "Meer" not in text and "123456782" not in text and "overlast" not in text


def test_a_client_submits_only_to_its_own_houses(clients, other_house):
    body = assert_problem(clients.a.http.post("/api/v1/meldingen", melding(other_house), format="json"), 403)
    assert "ZVH Noord-Limburg" in body["detail"]
    assert not Report.objects.filter(created_by=clients.a.user, house=other_house).exists()


def test_invalid_input_names_every_field_with_a_dutch_reason(clients, house):
    body = melding(house, thema="bestaat-niet", personen=[{"voornamen": "Piet", "achternaam": "", "bsn": "123456789"}])
    del body["aanleiding"]

    problem = assert_problem(clients.a.http.post("/api/v1/meldingen", body, format="json"), 400)

    reasons = {param["name"]: param["reason"] for param in problem["invalid-params"]}
    assert set(reasons) == {"thema", "aanleiding", "personen[0].achternaam", "personen[0].bsn"}
    assert "11-proef" in reasons["personen[0].bsn"]
    assert reasons["aanleiding"] == "Dit veld is verplicht."


def test_a_melding_needs_a_person_and_a_house_or_an_intake_region(clients, house):
    problem = assert_problem(clients.a.http.post("/api/v1/meldingen", melding(house, personen=[]), format="json"), 400)
    assert problem["invalid-params"] == [{"name": "personen", "reason": "Een melding gaat over minstens één persoon."}]
    problem = assert_problem(clients.a.http.post("/api/v1/meldingen", melding(None), format="json"), 400)
    assert problem["invalid-params"] == [{"name": "huis", "reason": "Geef het huis of de intakeregio van de melding."}]


def test_only_json_is_accepted(clients):
    assert_problem(clients.a.http.post("/api/v1/meldingen", "huis=parkstad", content_type="text/plain"), 415)


def test_a_client_follows_only_its_own_submissions(clients, reports, intake_worker, house):
    own, others = reports["a"], reports["b"]

    listed = clients.a.http.get("/api/v1/meldingen").json()
    assert [row["nummer"] for row in listed["results"]] == [own.number]
    assert set(listed) == {"count", "next", "previous", "results"}
    assert clients.a.http.get(f"/api/v1/meldingen/{own.number}").json()["nummer"] == own.number
    assert_problem(clients.a.http.get(f"/api/v1/meldingen/{others.number}"), 404)
    # Nor a melding registered by the intake of its own house.
    assert_problem(clients.a.http.get(f"/api/v1/meldingen/{register_report(intake_worker, house).number}"), 404)


def test_following_the_status_is_logged_as_a_read(clients, reports):
    own = reports["a"]
    clients.a.http.get(f"/api/v1/meldingen/{own.number}")
    clients.a.http.get("/api/v1/meldingen")
    reads = ProcessingRecord.objects.filter(action=Action.READ, subject=subject_of(own.persons.get()))
    assert set(reads.values_list("object_ref", flat=True)) == {own.number, "lijst meldingen"}


def test_the_status_tells_whether_a_case_was_opened(clients, reports, house, regisseur):
    from spil.cases import services as case_services

    report = reports["a"]
    case_services.open_case(
        actor=regisseur,
        house=house,
        case_type=report.requested_case_type,
        report=report,
        persons=list(report.persons.all()),
        ave_level=2,
        reason="Weegtafel",
        process_director=regisseur,
    )
    assert clients.a.http.get(f"/api/v1/meldingen/{report.number}").json()["casus_geopend"] is True
    assert clients.a.http.get("/api/v1/meldingen").json()["results"][0]["casus_geopend"] is True


def test_lists_are_paginated(clients, reports, house):
    for _ in range(2):
        submit(clients.a, house)
    first = clients.a.http.get("/api/v1/meldingen?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = clients.a.http.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert_problem(clients.a.http.get("/api/v1/meldingen?page=9"), 404)


def test_a_filter_on_status(clients, reports):
    assert clients.a.http.get("/api/v1/meldingen?status=gewogen").json()["count"] == 0
    assert clients.a.http.get("/api/v1/meldingen?status=ontvangen").json()["count"] == 1


def test_other_methods_and_addresses_are_problems_too(clients):
    assert_problem(clients.a.http.delete("/api/v1/meldingen"), 405)
    assert_problem(clients.a.http.get("/api/v1/bestaat-niet"), 404)
    assert_problem(clients.a.http.get("/api/v1/"), 404)


def test_an_unexpected_error_is_a_500_problem_that_tells_nothing_and_keeps_nothing(clients, house, monkeypatch):
    from spil.intake import services as intake_services

    def broken(**kwargs):
        intake_services.Report.objects.none().get()  # some bug deep inside

    monkeypatch.setattr("spil.api.views.intake_services.register_report", broken)
    response = clients.a.http.post("/api/v1/meldingen", melding(house), format="json", HTTP_IDEMPOTENCY_KEY="k500")
    problem = assert_problem(response, 500)
    assert "DoesNotExist" not in problem["detail"] and "traceparent" in problem["detail"]
    from spil.api.models import IdempotencyKey

    assert not IdempotencyKey.objects.exists()


def test_only_json_is_answered(clients):
    assert_problem(clients.a.http.get("/api/v1/meldingen", HTTP_ACCEPT="text/html"), 406)
