"""Checks that keep an unsafe configuration from starting: settings call these while they are read.

Plain functions of the values (not of `os.environ`), so tests can try every combination without re-importing
the settings.
"""

from django.core.exceptions import ImproperlyConfigured

from spil.conf.env import DECLARED

ENVIRONMENTS = {"development", "production"}
MIN_KEY_LENGTH = 32


def is_production(environment: str | None) -> bool:
    if environment not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"SPIL_ENVIRONMENT must be one of {sorted(ENVIRONMENTS)}, not {environment!r}.")
    return environment == "production"


def refuse_unsafe(
    *, secret_key: str | None, debug: bool, bsn_hash_key: str | None, logbook_key: str | None, bench_mode: bool = False
) -> None:
    """In production: no development keys, no short keys, no debug pages. Names every problem at once."""
    problems = []
    keys = [("SECRET_KEY", secret_key), ("SPIL_BSN_HASH_KEY", bsn_hash_key), ("SPIL_LOGBOOK_KEY", logbook_key)]
    for name, value in keys:
        if not value:
            problems.append(f"{name} is not set")
        elif value == DECLARED[name].default:
            problems.append(f"{name} has its development default")
        elif len(value) < MIN_KEY_LENGTH:
            problems.append(f"{name} is shorter than {MIN_KEY_LENGTH} characters")
    if debug:
        problems.append("DEBUG is on")
    if bench_mode:
        problems.append("SPIL_BENCH_MODE is on (it lets a request switch the processing log off)")
    if len({value for _, value in keys if value}) < len([value for _, value in keys if value]):
        problems.append("SECRET_KEY, SPIL_BSN_HASH_KEY and SPIL_LOGBOOK_KEY must differ from each other")
    if problems:
        raise ImproperlyConfigured(
            "Spil refuses to start with SPIL_ENVIRONMENT=production: "
            + "; ".join(problems)
            + ". Set each key to its own long random value (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
            "and keep DEBUG off; see docs/configuration.md."
        )


def oidc_configured(**values: str | None) -> bool:
    """OpenID Connect is on when its client id is set; then every other value must be set too."""
    if not values.get("client_id"):
        return False
    missing = [name for name, value in values.items() if not value]
    if missing:
        names = ", ".join(f"SPIL_OIDC_{name.upper()}" for name in missing)
        raise ImproperlyConfigured(f"SPIL_OIDC_CLIENT_ID is set, so OpenID Connect login is on, but {names} is missing.")
    return True
