import pytest

from spil.api.testing import make_cases, make_clients, make_enrichments, submit


@pytest.fixture
def clients(house, other_house):
    return make_clients(house, other_house)


@pytest.fixture
def cases(clients, house, other_house):
    return make_cases(clients, house, other_house)


@pytest.fixture
def enrichments(clients, house, other_house):
    return make_enrichments(clients, house, other_house)


@pytest.fixture
def reports(clients, house):
    """A melding submitted by the police's client and one by the GGZ's client."""
    return {"a": submit(clients.a, house), "b": submit(clients.b, house)}


def assert_problem(response, status: int):
    """An RFC 9457 problem with a Dutch title, as application/problem+json."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"].startswith("urn:spil:api:probleem:")
    return body
