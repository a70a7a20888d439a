"""Logging in for real in the browser: password, then two-factor (first the app is set up, later its code is asked);
and the idle-timeout warning, which the page's script shows before the server logs the user out."""

import base64
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import TOTP
from playwright.sync_api import expect

from spil.accounts import services
from spil.accounts.middleware import LAST_ACTIVITY_KEY
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.testing.totp import fresh_code, wrong_code

PASSWORD = "correct-horse-battery"  # every UserFactory user's


def code_of(key: bytes) -> str:
    """The 6 digits an authenticator app with this key shows now (before the server has the device confirmed)."""
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def idle_for(page, seconds: int) -> None:
    """As if this browser's last request was `seconds` ago."""
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=key)
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_first_login_sets_up_the_app_and_the_next_login_asks_its_code(page, assert_accessible, house):
    user = member(house, Role.INTAKE)

    page.goto("/casussen/")
    expect(page).to_have_url("/inloggen/?next=/casussen/")
    assert_accessible(page, "inloggen")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # The first time, the user adds Spil to the app: by QR code, or by typing the key the page shows.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    assert_accessible(page, "tweestapsverificatie-instellen")
    key = base64.b32decode(page.locator("code.spil-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code uit de app").fill(code_of(key))
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("reservecodes")
    assert_accessible(page, "reservecodes")
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    expect(page).to_have_url("/casussen/")

    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url("/inloggen/")

    # The next time: password, then the app's current code; a wrong code is refused with the reason beside the field.
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    expect(page.get_by_label("Code", exact=True)).to_be_focused()  # autofocus: type the code straight away
    device = services.app_device(user)
    page.get_by_label("Code", exact=True).fill(wrong_code(device))
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_text("Deze code klopt niet").first).to_be_visible()
    assert_accessible(page, "code-onjuist")
    # The code of the step used to set up the app is never accepted twice; the server allows for the drift it learnt then.
    page.get_by_label("Code", exact=True).fill(fresh_code(device))
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    expect(page).to_have_url("/")


def test_the_idle_warning_appears_and_blijf_ingelogd_keeps_the_session(page, log_in, assert_accessible, house, settings):
    # A session that ends 5 seconds after the warning time: the script asks the server 3 seconds after loading.
    settings.SESSION_IDLE_WARNING = 120
    settings.SESSION_IDLE_TIMEOUT = 123
    log_in(page, member(house, Role.INTAKE))
    page.goto("/meldingen/")

    warning = page.get_by_role("alertdialog", name="U wordt bijna automatisch uitgelogd")
    expect(warning).to_be_visible(timeout=15_000)
    stay = warning.get_by_role("button", name="Blijf ingelogd")
    expect(stay).to_be_focused()
    expect(warning).to_contain_text("minuten wordt u uitgelogd")
    assert_accessible(page, "waarschuwing-uitloggen")

    # The server records activity at most every 30 seconds; as if the warning had been showing for a minute:
    idle_for(page, 60)
    with page.expect_response(lambda response: response.url.endswith("/account/sessie/") and response.request.method == "POST") as answer:
        page.keyboard.press("Enter")
    status = answer.value.json()
    assert status["authenticated"] and 120 < status["remaining"] <= 123  # a new idle period (give or take a second)
    expect(warning).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
