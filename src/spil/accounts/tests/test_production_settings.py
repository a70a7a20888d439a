"""Settings refuse to start in production with development keys or DEBUG on; production turns on HSTS."""

import json
import os
import subprocess
import sys

import pytest

from spil.conf import production


def production_settings(**overrides) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SPIL_ENVIRONMENT": "production",
        "SECRET_KEY": "s" * 50,
        "SPIL_BSN_HASH_KEY": "b" * 40,
        "SPIL_LOGBOOK_KEY": "l" * 40,
        "DATABASE_URL": "postgresql://spil@localhost/spil",  # read, not connected to
        "DEBUG": "false",
        **overrides,
    }
    code = (
        "import json; from spil.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_NAME', 'DEBUG']}))"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_turn_on_hsts_and_secure_cookies():
    result = production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["DEBUG"] is False


def test_production_settings_refuse_the_development_keys():
    result = production_settings(SECRET_KEY="spil-development-key-not-for-production", DEBUG="true")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY has its development default" in result.stderr and "DEBUG is on" in result.stderr


def test_the_production_check_names_every_problem():
    good = {"secret_key": "s" * 50, "debug": False, "bsn_hash_key": "b" * 40, "logbook_key": "l" * 40}
    production.refuse_unsafe(**good)  # no error
    cases = {
        "SECRET_KEY has its development default": {"secret_key": "spil-development-key-not-for-production"},
        "SPIL_BSN_HASH_KEY is not set": {"bsn_hash_key": ""},
        "SPIL_BSN_HASH_KEY has its development default": {"bsn_hash_key": "spil-development-bsn-key"},
        "SPIL_LOGBOOK_KEY is not set": {"logbook_key": None},
        "SPIL_LOGBOOK_KEY has its development default": {"logbook_key": "spil-development-logbook-key"},
        "SECRET_KEY is shorter than 32 characters": {"secret_key": "short"},
        "DEBUG is on": {"debug": True},
        "SPIL_BENCH_MODE is on": {"bench_mode": True},
        "must differ from each other": {"logbook_key": "b" * 40},
    }
    for message, change in cases.items():
        with pytest.raises(production.ImproperlyConfigured, match=message):
            production.refuse_unsafe(**{**good, **change})


def test_the_environment_must_be_known():
    assert production.is_production("production") and not production.is_production("development")
    with pytest.raises(production.ImproperlyConfigured, match="SPIL_ENVIRONMENT"):
        production.is_production("prod")


def test_openid_connect_is_all_or_nothing():
    assert not production.oidc_configured(client_id=None, client_secret=None, token_endpoint=None)
    assert production.oidc_configured(client_id="spil", client_secret="x", token_endpoint="https://idp/token")
    with pytest.raises(production.ImproperlyConfigured, match="SPIL_OIDC_TOKEN_ENDPOINT"):
        production.oidc_configured(client_id="spil", client_secret="x", token_endpoint="")
