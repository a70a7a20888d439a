"""API lists cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spil.api.testing import make_enrichments, open_case, running_plan, submit
from spil.organisations.models import Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.http.get(url)  # the first request of a minute also clears the client's old rate windows
    with CaptureQueriesContext(connection) as context:
        assert client.http.get(url).status_code == 200
    return len(context)


def test_meldingen(clients, house):
    submit(clients.a, house)
    few = queries_for(clients.a, "/api/v1/meldingen")
    for _ in range(3):
        submit(clients.a, house)
    assert queries_for(clients.a, "/api/v1/meldingen") == few


def test_acties(clients, cases, house):
    few = queries_for(clients.a, "/api/v1/acties")
    director = member(house, Role.PROCESS_DIRECTOR)
    for _ in range(2):
        running_plan(open_case(house, intake=member(house, Role.INTAKE), director=director), director, [clients.police], [clients.a.user])
    assert queries_for(clients.a, "/api/v1/acties") == few


def test_verrijkingsverzoeken(clients, house, other_house):
    make_enrichments(clients, house, other_house)
    few = queries_for(clients.a, "/api/v1/verrijkingsverzoeken")
    make_enrichments(clients, house, other_house)
    make_enrichments(clients, house, other_house)
    assert queries_for(clients.a, "/api/v1/verrijkingsverzoeken") == few
