"""Login tests over real HTTP: a cookie session (requests) against pytest-django's live server.

The live server needs committed data (a transactional database); `django_db_serialized_rollback` puts the data
that migrations load back afterwards, for the tests that run later.
"""

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings

from spil.accounts import services
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.testing.totp import fresh_code, totp_code

PASSWORD = "correct-horse-battery"  # the password of every UserFactory user
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One browser: cookies kept between requests, forms posted with the CSRF token of the page they are on.

    `address` is sent as X-Forwarded-For; with SPIL_TRUSTED_PROXIES=1 Spil takes it as the client's address, so
    a test can play several computers (documentation-range addresses; nothing is sent to them).
    """

    def __init__(self, base_url: str, address: str | None = None):
        self.base_url = base_url
        self.http = requests.Session()
        if address:
            self.http.headers["X-Forwarded-For"] = address

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base_url + path, timeout=20, **kwargs)

    def post(self, path: str, data: dict | None = None, *, form_page: str | None = None, **kwargs) -> requests.Response:
        page = self.get(form_page or path)
        match = CSRF_FIELD.search(page.text)
        assert match, f"no form with a CSRF token on {form_page or path} (got {path_of(page)})"
        data = {**(data or {}), "csrfmiddlewaretoken": match[1]}
        return self.http.post(self.base_url + path, data=data, headers={"Referer": self.base_url + path}, timeout=20, **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/inloggen/", {"username": username, "password": password})

    def second_step(self, code: str) -> requests.Response:
        return self.post("/account/tweestapsverificatie/", {"code": code})

    def log_in_fully(self, user) -> None:
        """Password and a code from the user's authenticator app."""
        assert path_of(self.login(user.username)) == "/account/tweestapsverificatie/"
        response = self.second_step(fresh_code(services.app_device(user)))
        assert path_of(response) == "/", response.text

    @property
    def session_key(self) -> str:
        return self.http.cookies[settings.SESSION_COOKIE_NAME]


def path_of(response: requests.Response) -> str:
    return urlsplit(response.url).path


def enrol(user) -> list[str]:
    """Give a user a confirmed authenticator app and backup codes, as the setup page does."""
    device = services.pending_device(user)
    return services.confirm_enrolment(user, device, totp_code(device))


@pytest.fixture
def browser(live_server, django_db_serialized_rollback, settings):
    settings.TRUSTED_PROXIES = 1
    opened = []

    def open_browser(address: str = "192.0.2.10") -> Browser:
        opened.append(Browser(live_server.url, address))
        return opened[-1]

    yield open_browser
    # Closing the kept-alive connections ends the server's request threads, and with them their database sessions.
    for one in opened:
        one.http.close()


@pytest.fixture
def worker(house):
    """An intake worker of Parkstad with an authenticator app."""
    user = member(house, Role.INTAKE)
    user.backup_codes = enrol(user)
    # The enrolment used the current code; a login now needs the next one (codes are never accepted twice).
    device = services.app_device(user)
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return user
