"""Logging in over HTTP: password, then the second step (set up an authenticator app, or give its code)."""

import re

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from spil.accounts import services
from spil.accounts.tests.conftest import path_of
from spil.testing.totp import fresh_code, totp_code, wrong_code
from spil.logbook.models import AuditEvent, AuditRecord
from spil.organisations.models import Role
from spil.testing.factories import member

SECRET = re.compile(r'<code class="spil-secret">([A-Z2-7 ]+)</code>')
BACKUP_CODE = re.compile(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>")


def test_a_first_login_sets_up_the_app_and_shows_ten_backup_codes_once(browser, house):
    user = member(house, Role.INTAKE)
    me = browser()

    response = me.login(user.username)
    assert path_of(response) == "/account/tweestapsverificatie/instellen/"
    assert re.search(r'<svg [^>]*class="spil-qr" role="img"', response.text)
    secret = SECRET.search(response.text)[1].replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret == services.secret_of(device).replace(" ", "")

    # Until the second step, every page leads back to it.
    for page in ["/", "/casussen/", "/meldingen/", "/account/", "/bestaat-niet/"]:
        assert path_of(me.get(page)) == "/account/tweestapsverificatie/instellen/", page

    response = me.post("/account/tweestapsverificatie/instellen/", {"code": wrong_code(device)})
    assert "Deze code klopt niet" in response.text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    response = me.post("/account/tweestapsverificatie/instellen/", {"code": totp_code(device)})
    codes = BACKUP_CODE.findall(response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "maar één keer" in response.text
    device.refresh_from_db()
    assert device.confirmed

    response = me.get("/")
    assert response.status_code == 200 and "Mijn werk" in response.text
    # The codes are not shown again.
    assert not BACKUP_CODE.search(me.get("/account/").text)
    assert "10 ongebruikt" in me.get("/account/").text

    events = list(AuditRecord.objects.filter(user=user).order_by("id").values_list("event", "detail"))
    assert events[0] == (AuditEvent.LOGIN, "Stap 1 van 2: wachtwoord juist")
    assert (AuditEvent.TWO_FACTOR, "Authenticator-app gekoppeld; 10 reservecodes aangemaakt") in events
    assert (AuditEvent.LOGIN, "Stap 2 van 2: authenticator-app gekoppeld") in events


def test_the_second_step_refuses_a_wrong_code_and_accepts_the_right_one(browser, worker):
    me = browser()
    response = me.login(worker.username)
    assert path_of(response) == "/account/tweestapsverificatie/"
    assert "reservecode" in response.text

    device = services.app_device(worker)
    response = me.second_step(wrong_code(device))
    assert response.status_code == 200 and "Deze code klopt niet" in response.text
    assert path_of(me.get("/casussen/")) == "/account/tweestapsverificatie/"

    response = me.second_step(fresh_code(device))
    assert path_of(response) == "/"
    assert path_of(me.get("/casussen/")) == "/casussen/"
    failed = AuditRecord.objects.get(event=AuditEvent.LOGIN_FAILED, user=worker)
    assert failed.detail == "Code onjuist bij de tweede stap"
    assert AuditRecord.objects.filter(event=AuditEvent.LOGIN, user=worker, detail="Stap 2 van 2: code uit de authenticator-app").exists()


def test_the_second_step_goes_back_to_the_page_asked_for(browser, worker):
    me = browser()
    assert path_of(me.get("/casussen/?status=open")) == "/inloggen/"
    response = me.post(
        "/inloggen/?next=/casussen/%3Fstatus%3Dopen",
        {"username": worker.username, "password": "correct-horse-battery", "next": "/casussen/?status=open"},
    )
    assert path_of(response) == "/account/tweestapsverificatie/"
    response = me.post(
        response.url.removeprefix(me.base_url), {"code": fresh_code(services.app_device(worker)), "next": "/casussen/?status=open"}
    )
    assert response.url.endswith("/casussen/?status=open")


def test_a_backup_code_works_once(browser, worker):
    code = worker.backup_codes[0]
    me = browser()
    me.login(worker.username)
    response = me.second_step(code.upper().replace("-", " "))  # as people type it
    assert path_of(response) == "/"
    assert "nog 9" in response.text
    assert not StaticToken.objects.filter(device__user=worker, token=code.replace("-", "")).exists()
    me.post("/uitloggen/", form_page="/")

    again = browser()
    again.login(worker.username)
    response = again.second_step(code)
    assert "Deze code klopt niet" in response.text
    assert path_of(again.get("/")) == "/account/tweestapsverificatie/"


def test_logging_out_ends_the_session_and_is_audited(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    response = me.post("/uitloggen/", form_page="/")
    assert path_of(response) == "/inloggen/"
    assert path_of(me.get("/")) == "/inloggen/"
    assert AuditRecord.objects.filter(event=AuditEvent.LOGOUT, user=worker, detail="Uitgelogd door de gebruiker").exists()


def test_no_password_or_code_reaches_the_logs(browser, worker):
    from axes.models import AccessAttempt

    me = browser()
    me.login(worker.username, "my-secret-typo-123")
    me.login(worker.username)
    bad = wrong_code(services.app_device(worker))
    me.second_step(bad)
    me.second_step(worker.backup_codes[1])
    logged = " ".join(str(value) for row in AuditRecord.objects.values() for value in row.values())
    logged += " ".join(str(value) for row in AccessAttempt.objects.values() for value in row.values())
    for secret in ["my-secret-typo-123", "correct-horse-battery", bad, worker.backup_codes[1], worker.backup_codes[1].replace("-", "")]:
        assert secret not in logged
