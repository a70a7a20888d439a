"""Schemathesis against the committed OpenAPI file (docs/api/openapi.yaml): every operation of the partner API is called
with generated input, valid and invalid, through Django's WSGI application inside the test's transaction.

- With the token of a realistic client (the police's client of one house; the OM's client for the ZSM operations):
  no 5xx, and status code, content type and body conform to the schema. Each generated request is sent as generated
  and once more aimed at a real object the client may see (its action with the current ETag, its melding, its
  verrijkingsverzoek, a BSN known in a case, this house), so the fuzzing also reaches the success paths.
- Without a token every operation answers 401, a problem as documented, whatever the input.
- With the token of the same police's client in ANOTHER house nothing of this house comes back: its objects are 404,
  its lists hold none of them, a melding for this house is refused, and the ZSM operations are the OM's only (403).

tests/test_api_authorization.py checks the same policy per URL pattern with fixed requests; this file checks it with
generated requests, against the schema partners build on.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.generation.meta import TestPhase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from spil.api.base import etag
from spil.api.testing import VALID_BSN, make_cases, make_clients, make_enrichments, melding, submit
from spil.plans.models import Action

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "api" / "openapi.yaml"
BASE_URL = "http://testserver"
PROBLEM = "application/problem+json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ZSM = {"zsm_bevraging", "zsm_beslissing"}

schema = schemathesis.openapi.from_path(SCHEMA_FILE)
authenticated = schema.exclude(operation_id="token")  # public: client credentials in the body (spil/api/tests)


def fuzz(examples: int):
    """Deterministic, and quick: the operations' fixtures are built once per operation, not per example."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


@pytest.fixture
def app():
    """Django's WSGI application, answering in the test's transaction: like django.test.Client, it must not close the
    database connection at the start and end of each request (that would end the transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class World:
    house: object
    other_house: object
    clients: object
    actions: dict
    enrichments: dict
    report: object  # submitted by the police's client in the house


@pytest.fixture
def world(house, other_house):
    clients = make_clients(house, other_house)  # each with a rate limit of 1000 a minute: fuzzing meets no 429
    cases = make_cases(clients, house, other_house)
    enrichments = make_enrichments(clients, house, other_house)
    return World(house, other_house, clients, cases.actions, enrichments, submit(clients.a, house))


def operation_id(case) -> str:
    return case.operation.definition.raw["operationId"]


def bearer(client) -> dict:
    return {"Authorization": f"Bearer {client.token}"}


def without_token(case):
    """Drop an Authorization header the generator made up (negative cases do), so the one a test sends counts."""
    case.headers = {name: value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
    return case


def aim(case, world: World) -> bool:
    """Point the generated request at real objects of the house that its police client may see (in place); False if
    there is nothing to aim at."""
    operation, body = operation_id(case), case.body
    if operation in ("actie_ophalen", "actie_voortgang_melden"):
        action = Action.objects.get(pk=world.actions["police"].pk)
        case.path_parameters["id"] = action.pk
        if operation == "actie_voortgang_melden":
            case.headers = {**(case.headers or {}), "If-Match": etag(action)}
    elif operation == "verrijkingsverzoek_beantwoorden":
        case.path_parameters["id"] = world.enrichments["police"].pk
    elif operation == "melding_status":
        case.path_parameters["number"] = world.report.number
    elif operation in ZSM and isinstance(body, dict):
        body["bsn"] = VALID_BSN
    elif operation == "melding_indienen" and isinstance(body, dict):
        body.update(melding(world.house))  # valid required fields (the schema allows blanks the API refuses), generated extras
        # a made-up Idempotency-Key is mostly invalid or used before (422); without one the melding is registered
        case.headers = {name: value for name, value in (case.headers or {}).items() if name.lower() != "idempotency-key"}
    else:
        return False
    return True


@schema.parametrize()
@fuzz(15)
def test_every_operation_answers_as_its_schema_says(case, world, app):
    if operation_id(case) == "token":
        client_headers = {}
    else:
        client = world.clients.zsm if operation_id(case) in ZSM else world.clients.a
        client_headers = bearer(client)
    response = without_token(case).call(base_url=BASE_URL, app=app, headers=client_headers)
    case.validate_response(response, checks=CHECKS)
    # The coverage phase's many boundary cases as generated only; the fuzzing phase's also aimed at real objects.
    if case.meta.phase.name != TestPhase.COVERAGE and aim(case, world):
        response = case.call(base_url=BASE_URL, app=app, headers=client_headers)
        case.validate_response(response, checks=CHECKS)


def each_operation(test, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE), examples: int = 8):
    """Run `test(case)` for generated requests of every authenticated operation in turn: one world for all of them."""
    for result in authenticated.get_all_operations():
        operation = result.ok()
        cases = st.one_of(*(operation.as_strategy(mode) for mode in modes))
        fuzz(examples)(given(case=cases)(test))()


def test_without_a_token_every_operation_answers_401(world, app):
    def test(case):
        without_token(case)
        refused(case, case.call(base_url=BASE_URL, app=app))
        if aim(case, world):  # at objects that exist
            refused(case, case.call(base_url=BASE_URL, app=app))

    def refused(case, response):
        if response.status_code == 404:  # a path parameter that does not fit (`/acties/null`): no address of the API
            assert resolve(unquote(urlsplit(response.request.url).path)).url_name == "not-found", case.operation.label
        else:
            assert response.status_code == 401, f"{case.operation.label}: {response.status_code} {response.text[:200]}"
        assert response.headers["content-type"] == [PROBLEM]
        case.validate_response(response, checks=CHECKS)

    each_operation(test)


def test_a_client_of_another_house_gets_nothing_of_this_house(world, app):
    """The police's client in the other house, with the same organisation: this house's objects do not exist for it."""
    foreign = bearer(world.clients.elsewhere)
    house_actions = {action.pk for name, action in world.actions.items() if name != "foreign"}
    house_enrichments = {enrichment.pk for name, enrichment in world.enrichments.items() if name != "foreign"}

    def leaked(case, body) -> list:
        operation = operation_id(case)
        items = body.get("results", [body]) if isinstance(body, dict) else []
        found = [item for item in items if isinstance(item, dict) and item.get("huis") == world.house.code]
        if operation.startswith("actie"):
            found += [item for item in items if isinstance(item, dict) and item.get("id") in house_actions]
        if operation.startswith("verrijkingsverzoek"):
            found += [item for item in items if isinstance(item, dict) and item.get("id") in house_enrichments]
        return found

    def test(case):
        response = without_token(case).call(base_url=BASE_URL, app=app, headers=foreign)
        case.validate_response(response, checks=CHECKS)
        if response.status_code < 300:
            assert not leaked(case, response.json()), f"{case.operation.label} shows this house's data to another house"
        if aim(case, world):  # at this house's own objects
            response = case.call(base_url=BASE_URL, app=app, headers=foreign)
            case.validate_response(response, checks=CHECKS)
            expected = REFUSALS.get(operation_id(case))
            assert response.status_code in expected, f"{case.operation.label}: {response.status_code} {response.text[:200]}"

    # Valid requests only: an invalid one may lack the Authorization header on purpose (Schemathesis then leaves ours out).
    each_operation(test, modes=[GenerationMode.POSITIVE])


# What another house's client gets for a request aimed at this house (see `aim`)
REFUSALS = {
    "actie_ophalen": {404},
    "actie_voortgang_melden": {404},
    "verrijkingsverzoek_beantwoorden": {404},
    "melding_status": {404},
    "melding_indienen": {400, 403, 415},  # invalid input may be refused before the house is looked at
    "zsm_bevraging": {403},
    "zsm_beslissing": {403},
}


@pytest.mark.parametrize("url", ["/api/v1/meldingen?status=%00", "/api/v1/acties?status=%00", "/api/v1/meldingen/M%00"])
def test_a_nul_character_in_an_address_or_filter_is_a_404_not_a_database_error(world, url):
    """Found by hand next to the fuzzing (PostgreSQL text cannot hold NUL); the fuzzer found the same in a body's codes."""
    response = world.clients.a.http.get(url)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
