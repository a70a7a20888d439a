"""Security headers and cookies on real responses, and a policy that forbids inline script and style."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from spil.accounts.tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2]


def test_every_response_carries_the_security_headers(browser, worker):
    me = browser()
    pages = [me.get("/inloggen/")]
    me.log_in_fully(worker)
    pages += [me.get("/"), me.get("/account/"), me.get("/bestaat-niet/")]
    for response in pages:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


def test_session_and_csrf_cookies_are_httponly_and_samesite(browser, worker):
    me = browser()
    page = me.get("/inloggen/")
    csrf_cookie = page.raw.headers.getlist("Set-Cookie")
    response = me.post("/inloggen/", {"username": worker.username, "password": PASSWORD}, allow_redirects=False)
    cookies = csrf_cookie + response.raw.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("sessionid="))
    csrf = next(c for c in cookies if c.startswith("csrftoken="))
    for cookie in (session, csrf):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


@pytest.mark.django_db
def test_hsts_is_sent_over_https_with_the_production_value(client, settings):
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


TEMPLATES = [path for path in SRC.rglob("templates/**/*.html") if "pdf" not in path.parts]
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(SRC)))
def test_templates_have_no_inline_script_or_style(template):
    """The CSP forbids them (no 'unsafe-inline'); browsers would silently drop them."""
    text = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(SRC)}: {found}"
