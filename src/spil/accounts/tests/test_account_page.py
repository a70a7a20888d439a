"""Mijn account: new backup codes, re-enrolment of the authenticator app (new phone)."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from spil.accounts import services
from spil.accounts.middleware import OPEN, OWN_AUTHENTICATION, SECOND_STEP
from spil.accounts.tests.conftest import PASSWORD, enrol
from spil.logbook.models import AuditEvent, AuditRecord
from spil.organisations.models import Role
from spil.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(house):
    user = member(house, Role.PROCESS_DIRECTOR)
    user.backup_codes = enrol(user)
    return user


def test_the_account_page_shows_the_second_step_and_its_actions(client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "Gekoppeld" in page and "10 ongebruikt" in page
    assert reverse("accounts:backup-codes") in page and reverse("accounts:two-factor-reset") in page
    assert "Geblokkeerde accounts" not in page  # not the bedrijfsbureau
    assert reverse("accounts:home") in client.get(reverse("web:my-work")).content.decode()  # linked in the header


def test_new_backup_codes_replace_the_old_ones(client, user):
    client.force_login(user)
    assert "Nieuwe reservecodes maken?" in client.get(reverse("accounts:backup-codes")).content.decode()
    response = client.post(reverse("accounts:backup-codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(user.backup_codes)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == {services.normalise(code) for code in new}
    assert services.verify_code(user, user.backup_codes[0]) is None
    assert services.verify_code(user, new[0]) is not None
    assert AuditRecord.objects.filter(event=AuditEvent.TWO_FACTOR, user=user, detail__startswith="10 nieuwe reservecodes").exists()


def test_reenrolment_needs_the_password_and_starts_the_setup_again(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:two-factor-reset"), {"password": "not-my-password"})
    assert response.status_code == 200 and "Dit wachtwoord klopt niet" in response.content.decode()
    assert services.app_device(user) is not None

    response = client.post(reverse("accounts:two-factor-reset"), {"password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:two-factor-setup")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert AuditRecord.objects.filter(event=AuditEvent.TWO_FACTOR, user=user, detail__contains="opnieuw koppelen").exists()


def test_the_setup_page_is_only_for_users_without_an_app(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:two-factor-setup")).url == reverse("accounts:home")


def all_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route:
            continue  # the admin's few regex routes; its other pages are plain paths
        yield "/" + re.sub(r"<[^>]+>", "1", route)


def test_a_user_who_only_gave_a_password_gets_nowhere_but_the_second_step():
    """The gate works from an allow-list: every URL pattern, also ones added later, needs the second step."""
    user = UserFactory(is_staff=True, is_superuser=True)
    enrol(user)
    password_only = Client()
    password_only.force_login(user)  # a plain client: no second step
    second_step = (reverse("accounts:two-factor-verify"), reverse("accounts:two-factor-setup"))
    checked = 0
    for url in all_routes():
        if resolve(url).view_name in SECOND_STEP or resolve(url).namespace in OWN_AUTHENTICATION:
            continue
        for method in (password_only.get, password_only.post):
            response = method(url)
            assert response.status_code == 302 and response.url.startswith(second_step), f"{method.__name__} {url}"
        checked += 1
    assert checked > 40


def test_an_anonymous_user_gets_nowhere_but_the_login_page(client):
    for url in all_routes():
        if resolve(url).view_name in OPEN or resolve(url).namespace in OWN_AUTHENTICATION:
            continue  # the partner API answers 401 itself: tests/test_api_authorization.py
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
