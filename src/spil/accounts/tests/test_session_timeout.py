"""Idle timeout over HTTP: after 15 minutes without a request the session ends; the login page says why."""

import time

from django.contrib.sessions.backends.db import SessionStore

from spil.accounts.middleware import LAST_ACTIVITY_KEY
from spil.accounts.tests.conftest import path_of
from spil.logbook.models import AuditEvent, AuditRecord

MESSAGE = "U bent automatisch uitgelogd na 15 minuten zonder activiteit"


def idle_for(me, seconds: int) -> None:
    """As if the last request of this browser was `seconds` ago."""
    session = SessionStore(session_key=me.session_key)
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_after_15_idle_minutes_the_next_page_is_the_login_page_with_the_reason(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    idle_for(me, 14 * 60)
    assert path_of(me.get("/casussen/")) == "/casussen/"  # still in time, and that request was activity

    idle_for(me, 15 * 60 + 1)
    response = me.get("/casussen/")
    assert path_of(response) == "/inloggen/"
    assert MESSAGE in response.text
    assert response.url.endswith("/inloggen/?next=/casussen/")
    assert path_of(me.get("/")) == "/inloggen/"  # the session is gone, not just hidden
    assert AuditRecord.objects.filter(
        event=AuditEvent.LOGOUT, user=worker, detail="Uitgelogd automatisch na 15 minuten zonder activiteit"
    ).exists()


def test_the_warning_asks_without_extending_and_blijf_ingelogd_extends(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    idle_for(me, 14 * 60)
    status = me.get("/account/sessie/").json()
    assert status["authenticated"] and 55 <= status["remaining"] <= 60
    assert me.get("/account/sessie/").json()["remaining"] <= 60  # asking is no activity

    response = me.post("/account/sessie/", form_page="/account/reservecodes/")  # "Blijf ingelogd"
    assert response.json() == {"authenticated": True, "remaining": 15 * 60}
    idle_for(me, 14 * 60)
    assert path_of(me.get("/")) == "/"


def test_the_status_after_expiry_says_logged_out_and_the_page_then_explains(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    idle_for(me, 20 * 60)
    assert me.get("/account/sessie/").json() == {"authenticated": False, "remaining": 0}
    # The script then reloads the page, which lands on the login page with the message.
    response = me.get("/casussen/")
    assert path_of(response) == "/inloggen/" and MESSAGE in response.text


def test_the_timeout_length_is_a_setting(browser, worker, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    me = browser()
    me.log_in_fully(worker)
    idle_for(me, 61)
    response = me.get("/")
    assert path_of(response) == "/inloggen/" and "na 1 minuut zonder activiteit" in response.text


def test_pages_load_the_warning_script_with_the_timeout(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    html = me.get("/").text
    assert 'src="/static/spil/session-timeout.js"' in html
    assert 'data-idle-seconds="900"' in html and 'data-warning-seconds="120"' in html
    script = me.get("/static/spil/session-timeout.js")
    assert script.status_code == 200 and "Blijf ingelogd" in script.text
    assert "session-timeout.js" not in browser().get("/inloggen/").text  # not before logging in


def test_activity_is_recorded_at_most_every_30_seconds_not_written_on_every_page(browser, worker):
    me = browser()
    me.log_in_fully(worker)
    idle_for(me, 10)
    me.get("/")
    assert int(time.time()) - SessionStore(session_key=me.session_key)[LAST_ACTIVITY_KEY] >= 10  # not rewritten

    idle_for(me, 31)
    me.get("/")
    assert int(time.time()) - SessionStore(session_key=me.session_key)[LAST_ACTIVITY_KEY] <= 1
