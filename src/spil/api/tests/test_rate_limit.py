"""Requests per client per minute, counted in PostgreSQL: past the limit 429 with Retry-After."""

import datetime

import pytest

from spil.api.models import RateWindow
from spil.api.testing import make_client
from spil.core import clock
from spil.testing.factories import PartnerFactory

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

MINUTE_START = datetime.datetime(2026, 3, 2, 10, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def limited(house):
    return make_client("Beperkt", PartnerFactory(), [house], rate_limit_per_minute=3)


def test_past_the_limit_the_answer_is_429_with_retry_after(limited, house):
    other = make_client("Ander", PartnerFactory(), [house], rate_limit_per_minute=3)
    with clock.travel_to(MINUTE_START + datetime.timedelta(seconds=20)):
        assert [limited.http.get("/api/v1/acties").status_code for _ in range(3)] == [200, 200, 200]
        response = limited.http.get("/api/v1/acties")
        problem = assert_problem(response, 429)
        assert response["Retry-After"] == "40"  # the rest of the minute
        assert problem["title"] == "Te veel verzoeken"
        assert other.http.get("/api/v1/acties").status_code == 200  # per client
    with clock.travel_to(MINUTE_START + datetime.timedelta(minutes=1)):
        assert limited.http.get("/api/v1/acties").status_code == 200


def test_the_count_is_kept_in_the_database(limited):
    with clock.travel_to(MINUTE_START):
        for _ in range(5):
            limited.http.get("/api/v1/acties")
    window = RateWindow.objects.get(client=limited.client)
    assert (window.window_start, window.count) == (MINUTE_START, 5)


def test_refused_and_failed_requests_count_too(limited):
    with clock.travel_to(MINUTE_START):
        for _ in range(3):
            assert_problem(limited.http.get("/api/v1/acties/999999"), 404)
        assert_problem(limited.http.get("/api/v1/acties"), 429)


def test_old_windows_are_forgotten(limited):
    with clock.travel_to(MINUTE_START):
        limited.http.get("/api/v1/acties")
    with clock.travel_to(MINUTE_START + datetime.timedelta(hours=2)):
        limited.http.get("/api/v1/acties")
    assert RateWindow.objects.filter(client=limited.client).count() == 1
