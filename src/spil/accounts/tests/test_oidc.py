"""Optional login through the organisation (OpenID Connect): existing accounts only, 2FA unless the IdP does it."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse

from spil.accounts.oidc import OrganisationBackend
from spil.accounts.services import IDP_MFA_SESSION_KEY
from spil.logbook.models import AuditEvent, AuditRecord
from spil.organisations.models import Role
from spil.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db
BACKEND = "spil.accounts.oidc.OrganisationBackend"


def configure(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "spil"
    settings.OIDC_RP_CLIENT_SECRET = "geheim"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.ROOT_URLCONF = "spil.accounts.tests.urls_oidc"
    return settings


@pytest.fixture
def oidc(settings):
    return configure(settings)


def test_the_login_page_offers_the_organisation_only_when_configured(client, settings):
    assert "Inloggen met uw organisatie" not in client.get(reverse("login")).content.decode()
    configure(settings)
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie" in page and 'href="/oidc/authenticate/"' in page


def test_off_by_default_and_its_urls_absent(settings):
    from spil.conf import urls

    assert settings.OIDC_ENABLED is False
    assert not any("oidc" in str(pattern.pattern) for pattern in urls.urlpatterns)
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS


@pytest.fixture
def backend(oidc):
    return OrganisationBackend()


def login_with_claims(backend, monkeypatch, claims):
    monkeypatch.setattr(backend, "get_userinfo", lambda access_token, id_token, payload: claims)
    return backend.get_or_create_user("access", "id", {})


def test_an_existing_account_is_found_by_email(backend, monkeypatch, house):
    user = member(house, Role.INTAKE, user=UserFactory(email="Marieke.Smeets@Heerlen.nl"))
    assert login_with_claims(backend, monkeypatch, {"email": "marieke.smeets@heerlen.nl"}) == user


def test_or_by_username_when_configured(backend, monkeypatch, settings, house):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    user = member(house, Role.INTAKE)
    assert login_with_claims(backend, monkeypatch, {"preferred_username": user.username, "email": "x@y.nl"}) == user
    with pytest.raises(SuspiciousOperation):  # without the claim: refused
        login_with_claims(backend, monkeypatch, {"email": "x@y.nl"})


def test_no_account_is_ever_created_and_ambiguous_or_inactive_ones_are_refused(backend, monkeypatch, django_user_model):
    before = django_user_model.objects.count()
    assert login_with_claims(backend, monkeypatch, {"email": "nieuw@gemeente.nl"}) is None
    UserFactory(email="dubbel@gemeente.nl")
    UserFactory(email="dubbel@gemeente.nl")
    with pytest.raises(SuspiciousOperation):  # authenticate() turns this into no login
        login_with_claims(backend, monkeypatch, {"email": "dubbel@gemeente.nl"})
    UserFactory(email="weg@gemeente.nl", is_active=False)
    assert login_with_claims(backend, monkeypatch, {"email": "weg@gemeente.nl"}) is None
    assert django_user_model.objects.count() == before + 3
    with pytest.raises(SuspiciousOperation):
        backend.create_user({"email": "nieuw@gemeente.nl"})


def callback(monkeypatch, user):
    """The identity provider sends the browser back with a code; exchanging it is mocked, the rest is real."""
    import mozilla_django_oidc.views

    def authenticate(**kwargs):
        if user is not None:
            user.backend = BACKEND
        return user

    monkeypatch.setattr(mozilla_django_oidc.views.auth, "authenticate", authenticate)
    browser = Client()
    session = browser.session
    session["oidc_states"] = {"state-1": {"nonce": "nonce-1", "code_verifier": "v"}}
    session.save()
    return browser, browser.get("/oidc/callback/?code=abc&state=state-1", follow=True)


def test_after_the_organisation_spil_still_asks_its_own_second_step(oidc, monkeypatch, house):
    user = member(house, Role.INTAKE)
    browser, response = callback(monkeypatch, user)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor-setup"))
    assert IDP_MFA_SESSION_KEY not in browser.session
    login = AuditRecord.objects.get(event=AuditEvent.LOGIN, user=user)
    assert login.detail == "Stap 1 van 2: via de eigen organisatie (OpenID Connect)"


def test_unless_the_identity_provider_enforces_mfa(oidc, monkeypatch, house):
    oidc.OIDC_IDP_ENFORCES_MFA = True
    user = member(house, Role.INTAKE)
    browser, response = callback(monkeypatch, user)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("web:my-work")
    assert browser.get(reverse("cases:list")).status_code == 200
    assert "ingelogd via uw eigen organisatie" in browser.get(reverse("accounts:home")).content.decode()
    # A password login in another session does not get that exemption.
    other = Client()
    other.force_login(user)
    assert other.get(reverse("cases:list")).url.startswith(reverse("accounts:two-factor-setup"))


def test_an_unknown_user_is_sent_back_to_the_login_page_with_an_explanation(oidc, monkeypatch):
    browser, response = callback(monkeypatch, None)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Inloggen via uw organisatie is niet gelukt" in response.content.decode()


def test_a_partner_systems_technical_user_never_logs_in_through_the_organisation(backend, monkeypatch, settings, house):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    system = member(house, Role.API_CLIENT)
    assert login_with_claims(backend, monkeypatch, {"preferred_username": system.username}) is None
