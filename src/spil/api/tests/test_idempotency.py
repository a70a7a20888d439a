"""Idempotency-Key: a retry gets the first answer and never a second melding; the same key with another body is 422.
(Two concurrent identical requests over real HTTP: test_live.py.)"""

import datetime

import pytest

from spil.api.models import IdempotencyKey
from spil.api.testing import melding
from spil.core import clock
from spil.intake.models import Report

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def post(client, body, key):
    return client.http.post("/api/v1/meldingen", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_gets_the_first_answer_and_creates_nothing(clients, house):
    first = post(clients.a, melding(house), "6f1c2a7e-retry")
    again = post(clients.a, melding(house), "6f1c2a7e-retry")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Report.objects.filter(created_by=clients.a.user).count() == 1


def test_key_order_and_spacing_of_the_body_do_not_matter(clients, house):
    body = melding(house)
    post(clients.a, body, "k1")
    reordered = dict(reversed(list(body.items())))
    assert post(clients.a, reordered, "k1")["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_422(clients, house):
    post(clients.a, melding(house), "k2")
    problem = assert_problem(post(clients.a, melding(house, aanleiding="Iets anders"), "k2"), 422)
    assert "al gebruikt" in problem["detail"]
    assert Report.objects.filter(created_by=clients.a.user).count() == 1


def test_keys_belong_to_one_client(clients, house):
    post(clients.a, melding(house), "gedeeld")
    response = post(clients.b, melding(house), "gedeeld")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Report.objects.filter(created_by__in=[clients.a.user, clients.b.user]).count() == 2


def test_a_refused_or_invalid_submission_does_not_use_up_its_key(clients, house, other_house):
    assert_problem(post(clients.a, melding(house, personen=[]), "k3"), 400)
    assert_problem(post(clients.a, melding(other_house), "k4"), 403)
    assert not IdempotencyKey.objects.exists()
    assert post(clients.a, melding(house), "k3").status_code == 201


def test_an_unusable_key_is_422(clients, house):
    assert_problem(post(clients.a, melding(house), "x" * 256), 422)
    assert_problem(post(clients.a, melding(house), " "), 422)
    assert not Report.objects.filter(created_by=clients.a.user).exists()


def test_keys_are_forgotten_after_a_week(clients, house):
    with clock.travel_to(clock.now() - datetime.timedelta(days=8)):
        post(clients.a, melding(house), "oud")
    post(clients.a, melding(house), "nieuw")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["nieuw"]
