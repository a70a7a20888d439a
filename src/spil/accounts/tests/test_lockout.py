"""Lockout over HTTP: 5 failures per username (until the bedrijfsbureau unlocks) or per address (for a while).

Wrong passwords and wrong codes at the second step count together. Each browser plays a computer of its own
(its X-Forwarded-For address, see conftest).
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from spil.accounts import services
from spil.accounts.tests.conftest import enrol, path_of
from spil.testing.totp import wrong_code
from spil.logbook.models import AuditEvent, AuditRecord
from spil.organisations.models import Role
from spil.testing.factories import member

LOCKED = "Inloggen is geblokkeerd"


def fail_passwords(browser_, username, times):
    for _ in range(times):
        response = browser_.login(username, "wrong-password-123")
    return response


def test_five_wrong_passwords_block_the_account_on_every_computer(browser, worker):
    for attempt in range(4):
        response = browser(f"192.0.2.{attempt + 1}").login(worker.username, "wrong-password-123")
        assert response.status_code == 200 and "Gebruikersnaam of wachtwoord onjuist" in response.text
    response = browser("192.0.2.5").login(worker.username, "wrong-password-123")
    assert response.status_code == 429 and LOCKED in response.text

    # The right password no longer helps, from anywhere.
    response = browser("198.51.100.99").login(worker.username)
    assert response.status_code == 429 and LOCKED in response.text
    assert "bedrijfsbureau" in response.text

    lockouts = AuditRecord.objects.filter(event=AuditEvent.LOCKOUT, user=worker)
    assert lockouts.exists()
    assert AuditRecord.objects.filter(event=AuditEvent.LOGIN_FAILED, user=worker, detail="Wachtwoord onjuist").count() == 4
    assert (
        AuditRecord.objects.filter(event=AuditEvent.LOGIN_FAILED, user=worker, detail="Wachtwoord onjuist; daarmee geblokkeerd").count()
        == 1
    )
    assert (
        AuditRecord.objects.filter(
            event=AuditEvent.LOGIN_FAILED, user=worker, detail="Geweigerd: account of adres was al geblokkeerd"
        ).count()
        == 1
    )
    assert not AuditRecord.objects.filter(event=AuditEvent.LOGIN, user=worker).exists()
    # The address of the request is in the audit record (through the trusted proxy).
    assert str(lockouts.first().ip_address) == "192.0.2.5"


def test_five_failures_from_one_address_block_that_address_for_a_while(browser, house, worker):
    others = [member(house, Role.INTAKE) for _ in range(5)]
    office = browser("198.51.100.7")
    for other in others:
        response = office.login(other.username, "wrong-password-123")
    assert response.status_code == 429

    # Another user at the same address is refused too; the same user elsewhere is not.
    assert browser("198.51.100.7").login(worker.username).status_code == 429
    assert path_of(browser("192.0.2.44").login(worker.username)) == "/account/tweestapsverificatie/"

    # No account is blocked by this: each name failed once.
    assert not services.locked_accounts(member(house, Role.BACK_OFFICE))

    # After SPIL_LOCKOUT_ADDRESS_MINUTES without failures the address may try again.
    AccessAttempt.objects.filter(ip_address="198.51.100.7").update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert path_of(browser("198.51.100.7").login(worker.username)) == "/account/tweestapsverificatie/"


def test_wrong_codes_at_the_second_step_count_towards_the_same_lockout(browser, worker):
    device = services.app_device(worker)
    me = browser()
    fail_passwords(me, worker.username, 2)
    assert path_of(me.login(worker.username)) == "/account/tweestapsverificatie/"
    me.second_step(wrong_code(device))
    me.second_step(wrong_code(device))
    response = me.second_step(wrong_code(device))  # the fifth failure
    assert response.status_code == 429 and LOCKED in response.text
    # The half-finished login is over.
    assert path_of(me.get("/")) == "/inloggen/"
    assert AuditRecord.objects.filter(event=AuditEvent.LOGOUT, user=worker, detail__contains="blokkade").exists()
    assert browser("203.0.113.5").login(worker.username).status_code == 429


def test_a_wrong_code_limit_cannot_be_reset_by_giving_the_password_again(browser, worker):
    device = services.app_device(worker)
    for _ in range(2):
        me = browser()
        assert path_of(me.login(worker.username)) == "/account/tweestapsverificatie/"
        me.second_step(wrong_code(device))
        me.second_step(wrong_code(device))
    me = browser()
    me.login(worker.username)
    assert me.second_step(wrong_code(device)).status_code == 429


@pytest.fixture
def locked(worker):
    for n in range(5):
        AccessAttempt.objects.create(
            username=worker.username,
            ip_address=f"192.0.2.{n + 1}",
            user_agent="x",
            failures_since_start=1,
            attempt_time=timezone.now(),
            get_data="",
            post_data="",
            http_accept="",
            path_info="/inloggen/",
        )
    return worker


def test_the_bedrijfsbureau_of_the_house_unlocks_the_account(browser, house, locked):
    back_office = member(house, Role.BACK_OFFICE)
    enrol(back_office)
    assert browser("192.0.2.77").login(locked.username).status_code == 429

    desk = browser("192.0.2.200")
    desk.log_in_fully(back_office)
    assert "Geblokkeerde accounts" in desk.get("/account/").text
    listing = desk.get("/account/blokkades/")
    assert locked.username in listing.text and "5" in listing.text
    confirm = desk.get(f"/account/blokkades/{locked.pk}/vrijgeven/")
    assert confirm.status_code == 200 and "Account vrijgeven" in confirm.text

    response = desk.post(f"/account/blokkades/{locked.pk}/vrijgeven/")
    assert path_of(response) == "/account/blokkades/"
    assert "is vrijgegeven" in response.text and "Er zijn geen geblokkeerde accounts" in response.text
    assert path_of(browser("192.0.2.77").login(locked.username)) == "/account/tweestapsverificatie/"
    unlock = AuditRecord.objects.get(event=AuditEvent.UNLOCK)
    assert unlock.user == back_office and locked.username in unlock.detail


def test_only_the_bedrijfsbureau_of_the_users_own_house_may_unlock(browser, house, other_house, locked):
    elsewhere = member(other_house, Role.BACK_OFFICE)
    colleague = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    for user in (elsewhere, colleague):
        enrol(user)

    desk = browser("192.0.2.201")
    desk.log_in_fully(elsewhere)
    assert locked.username not in desk.get("/account/blokkades/").text
    assert desk.get(f"/account/blokkades/{locked.pk}/vrijgeven/").status_code == 404
    response = desk.post(f"/account/blokkades/{locked.pk}/vrijgeven/", form_page="/account/reservecodes/")
    assert response.status_code == 404

    other = browser("192.0.2.202")
    other.log_in_fully(colleague)
    assert other.get("/account/blokkades/").status_code == 403
    assert other.get(f"/account/blokkades/{locked.pk}/vrijgeven/").status_code == 403
    assert "Geblokkeerde accounts" not in other.get("/account/").text

    assert browser("192.0.2.77").login(locked.username).status_code == 429
    assert not AuditRecord.objects.filter(event=AuditEvent.UNLOCK).exists()
    assert AuditRecord.objects.filter(event=AuditEvent.DENIED, user=elsewhere).exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "seen"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client's own (spoofed) entry is not believed
        (2, "198.51.100.1, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, seen):
    from spil.accounts.middleware import ProxyClientAddressMiddleware

    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    ProxyClientAddressMiddleware(lambda r: None)(request)
    assert request.META["REMOTE_ADDR"] == seen
