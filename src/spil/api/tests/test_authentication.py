"""Who gets in: a client's bearer token (fixed, or short-lived through OAuth2 client credentials); never the web session."""

import base64
import datetime
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from spil.api import services
from spil.api.models import ApiClient, Credential, CredentialKind
from spil.api.testing import Client
from spil.core import clock
from spil.organisations.models import Membership, Role

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_without_a_token_the_answer_is_401_asking_for_a_bearer_token(clients):
    response = APIClient().get("/api/v1/acties")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body["title"] == "Niet geauthenticeerd"


@pytest.mark.parametrize("header", ["Bearer spil_onzin", "Bearer", "Bearer a b", "Token abc", "Basic Zm9vOmJhcg=="])
def test_an_unknown_or_malformed_credential_is_401(clients, header):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=header)
    assert_problem(http.get("/api/v1/acties"), 401)


def test_an_inactive_client_is_401_and_its_technical_user_inactive(clients):
    clients.a.client.active = False
    clients.a.client.save()
    body = assert_problem(clients.a.http.get("/api/v1/acties"), 401)
    assert "niet actief" in body["detail"]
    clients.a.user.refresh_from_db()
    assert not clients.a.user.is_active


def test_a_revoked_token_is_401_while_a_second_token_still_works(clients):
    second = services.issue_credential(clients.a.client)
    services.revoke(Credential.objects.get(client=clients.a.client, hint=clients.a.token[:10]))
    assert_problem(clients.a.http.get("/api/v1/acties"), 401)
    assert Client(clients.a.client, second).http.get("/api/v1/acties").status_code == 200


def test_a_logged_in_web_user_is_not_let_in_through_the_session(clients, client, regisseur):
    client.force_login(regisseur)
    response = client.get("/api/v1/acties")
    assert_problem(response, 401)  # no redirect to the login or two-factor page either


def test_only_a_hash_of_a_credential_is_stored(clients):
    credential = Credential.objects.get(client=clients.a.client)
    assert clients.a.token.startswith("spil_") and len(clients.a.token) > 40
    assert credential.digest != clients.a.token and clients.a.token not in credential.digest
    assert credential.hint == clients.a.token[:10]


def test_the_technical_user_cannot_log_in_and_holds_koppeling_memberships(clients, house):
    user = clients.a.user
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("house", "role", "partner")) == [
        (house.pk, Role.API_CLIENT, clients.police.pk)
    ]


def test_last_use_is_remembered(clients):
    clients.a.http.get("/api/v1/acties")
    clients.a.client.refresh_from_db()
    assert clients.a.client.last_used_at is not None


# --- OAuth2 client credentials ------------------------------------------------------------------------------


@pytest.fixture
def secret(clients):
    return services.issue_credential(clients.a.client, CredentialKind.SECRET)


def test_client_credentials_buy_a_short_lived_token(clients, secret, settings):
    settings.API_TOKEN_MINUTES = 30
    response = APIClient().post(
        "/api/v1/token", {"grant_type": "client_credentials", "client_id": "politie-meldingen", "client_secret": secret}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 30 * 60
    http = Client(clients.a.client, body["access_token"]).http
    assert http.get("/api/v1/acties").status_code == 200
    with clock.travel_to(clock.now() + datetime.timedelta(minutes=31)):
        assert_problem(http.get("/api/v1/acties"), 401)


def test_client_credentials_in_http_basic(clients, secret):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"politie-meldingen:{secret}".encode()).decode())
    assert http.post("/api/v1/token", {"grant_type": "client_credentials"}).status_code == 200


def test_a_client_secret_is_no_bearer_token_and_a_wrong_one_buys_nothing(clients, secret):
    assert_problem(Client(clients.a.client, secret).http.get("/api/v1/acties"), 401)
    wrong = APIClient().post(
        "/api/v1/token", {"grant_type": "client_credentials", "client_id": "politie-meldingen", "client_secret": clients.a.token}
    )
    assert assert_problem(wrong, 401)["error"] == "invalid_client"
    other_id = APIClient().post(
        "/api/v1/token", {"grant_type": "client_credentials", "client_id": "mondriaan-koppeling", "client_secret": secret}
    )
    assert_problem(other_id, 401)


def test_an_inactive_client_gets_no_token(clients, secret):
    ApiClient.objects.filter(pk=clients.a.client.pk).update(active=False)
    response = APIClient().post(
        "/api/v1/token", {"grant_type": "client_credentials", "client_id": "politie-meldingen", "client_secret": secret}
    )
    assert "niet actief" in assert_problem(response, 401)["detail"]


def test_the_token_request_is_validated(clients):
    problem = assert_problem(APIClient().post("/api/v1/token", {"grant_type": "password"}), 400)
    assert problem["invalid-params"][0]["name"] == "grant_type"


# --- management command -------------------------------------------------------------------------------------


def test_create_api_client_shows_the_token_once(house, other_house):
    from spil.testing.factories import PartnerFactory

    PartnerFactory(name="Veilig Thuis Zuid-Limburg")
    out = io.StringIO()
    call_command(
        "create_api_client",
        "--name",
        "Veilig Thuis",
        "--client-id",
        "vt-zl",
        "--partner",
        "Veilig Thuis Zuid-Limburg",
        "--house",
        "parkstad",
        "--house",
        "noord-limburg",
        "--client-secret",
        stdout=out,
    )

    client = ApiClient.objects.get(client_id="vt-zl")
    token = next(line.split()[-1] for line in out.getvalue().splitlines() if line.startswith("Token:"))
    secret = next(line.split()[-1] for line in out.getvalue().splitlines() if line.startswith("Client secret:"))
    assert services.authenticate(token)[0] == client
    assert Credential.objects.filter(client=client, kind=CredentialKind.SECRET).count() == 1 and secret.startswith("spil_")
    assert set(services.client_houses(client).values_list("code", flat=True)) == {"parkstad", "noord-limburg"}
