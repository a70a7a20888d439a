"""Enrichment questions to the client's partner: the question and the melding number only; answered once, through
the intake's rules, into the melding's timeline and the processing log."""

import pytest

from spil.intake.models import Enrichment
from spil.logbook.models import Action, ProcessingRecord
from spil.timeline.models import Event, EventKind

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_a_client_sees_the_open_questions_to_its_partner_in_its_houses(clients, enrichments):
    listed = clients.a.http.get("/api/v1/verrijkingsverzoeken").json()
    assert [row["id"] for row in listed["results"]] == [enrichments["police"].pk]
    assert [row["id"] for row in clients.b.http.get("/api/v1/verrijkingsverzoeken").json()["results"]] == [enrichments["ggz"].pk]
    assert [row["id"] for row in clients.elsewhere.http.get("/api/v1/verrijkingsverzoeken").json()["results"]] == [
        enrichments["foreign"].pk
    ]


def test_a_question_shows_no_person_and_no_reason(clients, enrichments):
    response = clients.a.http.get("/api/v1/verrijkingsverzoeken")
    row = response.json()["results"][0]
    assert set(row) == {"id", "meldingnummer", "huis", "huis_naam", "vraag", "gevraagd_op", "beantwoord_op"}
    assert row["meldingnummer"] == enrichments["police"].report.number and row["vraag"] == "Is betrokkene bij u bekend?"
    text = response.content.decode()
    assert "Verrijking" not in text and "overlast" not in text  # the person's surname, the melding's reason
    assert ProcessingRecord.objects.filter(action=Action.READ, object_ref="lijst meldingen").exists()


def test_the_answer_lands_in_the_melding(clients, enrichments):
    asked = enrichments["police"]
    response = clients.a.http.post(f"/api/v1/verrijkingsverzoeken/{asked.pk}/antwoord", {"antwoord": "Bekend: twee incidenten in 2025."})

    assert response.status_code == 200, response.content
    assert response.json()["beantwoord_op"] is not None
    asked.refresh_from_db()
    assert asked.answered and asked.summary == "Bekend: twee incidenten in 2025."
    event = Event.objects.get(report=asked.report, kind=EventKind.ENRICHMENT, actor=clients.a.user)
    assert "via koppeling" in event.text
    assert ProcessingRecord.objects.filter(action=Action.UPDATE, object_ref=asked.report.number).exists()
    assert clients.a.http.get("/api/v1/verrijkingsverzoeken").json()["count"] == 0  # no longer open


def test_a_question_is_answered_once(clients, enrichments):
    url = f"/api/v1/verrijkingsverzoeken/{enrichments['police'].pk}/antwoord"
    assert clients.a.http.post(url, {"antwoord": "Eerste"}).status_code == 200
    assert_problem(clients.a.http.post(url, {"antwoord": "Tweede"}), 409)
    assert Enrichment.objects.get(pk=enrichments["police"].pk).summary == "Eerste"


def test_only_the_asked_partner_in_the_asking_house_answers(clients, enrichments):
    for client, name in [(clients.b, "police"), (clients.a, "ggz"), (clients.a, "foreign"), (clients.zsm, "police")]:
        assert_problem(client.http.post(f"/api/v1/verrijkingsverzoeken/{enrichments[name].pk}/antwoord", {"antwoord": "x"}), 404)
    assert not Enrichment.objects.filter(answered_on__isnull=False).exists()


def test_an_empty_answer_is_invalid(clients, enrichments):
    problem = assert_problem(
        clients.a.http.post(f"/api/v1/verrijkingsverzoeken/{enrichments['police'].pk}/antwoord", {"antwoord": ""}), 400
    )
    assert problem["invalid-params"][0]["name"] == "antwoord"
