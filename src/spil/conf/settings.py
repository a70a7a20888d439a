"""Spil's settings: the one place where the effective configuration is read.

Every environment variable is declared through `env()` with its help text; see docs/configuration.md.
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from spil.conf import database, production
from spil.conf.env import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "spil"

ENVIRONMENT = env(
    "SPIL_ENVIRONMENT",
    "development",
    help="'development' or 'production'. Production refuses to start with development keys or DEBUG on, "
    "and turns on secure cookies and HSTS.",
)
PRODUCTION = production.is_production(ENVIRONMENT)

SECRET_KEY = env(
    "SECRET_KEY",
    "spil-development-key-not-for-production",
    help="Django's secret key. Must be set to a long random value in production.",
)
DEBUG = env_bool("DEBUG", False, help="Show Django's debug pages. Never on in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", help="Comma-separated host names Spil answers to.")

_database_url = env(
    "DATABASE_URL",
    help="postgresql:// URL of the database. When unset, Spil starts an embedded PostgreSQL (see SPIL_PGDATA).",
)
_pgdata = env(
    "SPIL_PGDATA",
    str(BASE_DIR / "var" / "pgdata"),
    help="Data directory of the embedded PostgreSQL, used only when DATABASE_URL is unset.",
)
_pgdata_cleanup = env(
    "SPIL_PGDATA_CLEANUP",
    "stop",
    help="What happens to the embedded PostgreSQL when Spil exits: 'stop' keeps the data, 'delete' removes it.",
)
_prepared_statements = env_bool(
    "SPIL_DB_PREPARED_STATEMENTS",
    True,
    help="Let PostgreSQL bind parameters and keep often-run statements prepared per connection (faster pages). Set to false "
    "behind a connection pooler in transaction mode that cannot handle them (PgBouncer before 1.21).",
)
DATABASES = {
    "default": database.from_url(_database_url, prepared_statements=_prepared_statements)
    if _database_url
    else database.embedded(Path(_pgdata), _pgdata_cleanup, prepared_statements=_prepared_statements)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "procrastinate.contrib.django",  # the task queue, docs/adr/0005
    "rest_framework",
    "drf_spectacular",
    "spil.core",
    "spil.organisations",
    "spil.logbook",
    "spil.casetypes",
    "spil.persons",
    "spil.intake",
    "spil.triage",
    "spil.cases",
    "spil.plans",
    "spil.meetings",
    "spil.topx",
    "spil.deadlines",
    "spil.monitor",
    "spil.finance",
    "spil.api",
    "spil.imports",
    "spil.timeline",
    "spil.accounts",
    "spil.privacy",
    "spil.web",
    "spil.demo",
]

MIDDLEWARE = [
    "spil.accounts.middleware.ProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "spil.logbook.tracing.TraceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Account security (see docs/adr/0004): idle timeout first, then the gate that lets only logged-in users
    # who passed two-factor authentication past the allow-list of login, 2FA and logout pages.
    "spil.accounts.middleware.IdleTimeoutMiddleware",
    "spil.accounts.middleware.TwoFactorMiddleware",
    "spil.core.kept.KeptPerRequestMiddleware",
    "spil.core.middleware.DomainErrorMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spil.conf.urls"
WSGI_APPLICATION = "spil.conf.wsgi.application"

# The kerncijfers dashboard keeps its rendered tables (aggregates, never personal data) in PostgreSQL, so every web
# server process reads what one of them rendered: in a per-process cache each process rendered a house's tables again
# (hundreds of rows nationally). Each process keeps a copy of what it read. The table comes with monitor migration
# 0003. Nothing else caches.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "monitor": {"BACKEND": "spil.core.cache.SharedWithLocalCopy", "LOCATION": "monitor_cache"},
    # The list pages' filter forms (`web.forms.OptionsKeptForAMinute`): a minute in the table, a minute in each copy.
    "filter_forms": {
        "BACKEND": "spil.core.cache.SharedWithLocalCopy",
        "LOCATION": "web_filter_forms_cache",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 2000, "LOCAL_MAX_ENTRIES": 300},
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spil.web.context.navigation",
                "spil.accounts.context.account",
            ],
            # Replace Django's `date` filter with one that gives the same text at a tenth of the cost, and its `url` tag
            # with one that keeps the URLs it reversed.
            "builtins": ["spil.web.templatetags.dates", "spil.web.templatetags.urls"],
        },
    }
]

# --- Authentication: password, then TOTP two-factor (django-otp), lockout (django-axes); docs/adr/0004 -----------

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before any password is checked.
    "spil.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django ships a list of 20,000 common (breached) passwords with this validator.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:my-work"
LOGOUT_REDIRECT_URL = "login"

# Two-factor: TOTP (authenticator app) with backup codes. Wrong codes count towards the lockout below instead
# of django-otp's own growing delays, so the user sees one rule: five mistakes and the account is blocked.
OTP_TOTP_ISSUER = "Spil"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
BACKUP_CODE_COUNT = 10

# Lockout: 5 failed passwords or codes for one username (until the bedrijfsbureau unlocks it), or from one
# network address (lifted by itself after SPIL_LOCKOUT_ADDRESS_MINUTES without failures).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = None
AXES_HANDLER = "spil.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "spil.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # reset only after the second factor, in spil.accounts.views
AXES_DISABLE_ACCESS_LOG = True  # the security audit log (logbook.AuditRecord) records logins
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "token", "otp_token"]
AXES_CLIENT_STR_CALLABLE = "spil.accounts.lockout.client_str"  # no username or address in the application log
AXES_VERBOSE = False
LOCKOUT_ADDRESS_MINUTES = int(
    env(
        "SPIL_LOCKOUT_ADDRESS_MINUTES",
        "15",
        help="A network address with 5 failed logins is blocked until this many minutes have passed without a new "
        "failure (a whole organisation may share one address). Accounts stay blocked until the bedrijfsbureau unlocks them.",
    )
)
TRUSTED_PROXIES = int(
    env(
        "SPIL_TRUSTED_PROXIES",
        "0",
        help="Number of reverse proxies in front of Spil that append to X-Forwarded-For and set X-Forwarded-Proto. "
        "0: the client address is the connection's address. Set it behind a proxy, or lockout and the audit log see "
        "only the proxy's address.",
    )
)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Idle timeout: logged out after this much inactivity; the browser warns SESSION_IDLE_WARNING seconds before.
SESSION_IDLE_TIMEOUT = 60 * int(
    env("SPIL_SESSION_IDLE_MINUTES", "15", help="Minutes without activity after which a user is logged out automatically.")
)
SESSION_IDLE_WARNING = 120
SESSION_COOKIE_AGE = 12 * 60 * 60  # a backstop only: the idle timeout above ends sessions long before
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Optional login through the organisation's identity provider (OpenID Connect, mozilla-django-oidc). Off unless
# SPIL_OIDC_CLIENT_ID is set. Users are matched to existing Spil accounts and never created.
OIDC_RP_CLIENT_ID = env(
    "SPIL_OIDC_CLIENT_ID",
    help="OpenID Connect client id of Spil at the identity provider. Setting it turns on 'Inloggen met uw organisatie' "
    "and requires the other SPIL_OIDC_ endpoint variables and the secret.",
)
OIDC_RP_CLIENT_SECRET = env("SPIL_OIDC_CLIENT_SECRET", help="OpenID Connect client secret of Spil.")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("SPIL_OIDC_AUTHORIZATION_ENDPOINT", help="Authorization endpoint URL of the identity provider.")
OIDC_OP_TOKEN_ENDPOINT = env("SPIL_OIDC_TOKEN_ENDPOINT", help="Token endpoint URL of the identity provider.")
OIDC_OP_USER_ENDPOINT = env("SPIL_OIDC_USERINFO_ENDPOINT", help="Userinfo endpoint URL of the identity provider.")
OIDC_OP_JWKS_ENDPOINT = env(
    "SPIL_OIDC_JWKS_ENDPOINT", help="URL of the identity provider's signing keys (JWKS); ID tokens must be RS256-signed."
)
OIDC_USERNAME_CLAIM = env(
    "SPIL_OIDC_USERNAME_CLAIM",
    "email",
    help="The claim that names the Spil account: 'email' matches the account's e-mail address, any other claim "
    "(e.g. 'preferred_username') its username. No match, no login: accounts and roles are managed in Spil.",
)
OIDC_IDP_ENFORCES_MFA = env_bool(
    "SPIL_OIDC_IDP_ENFORCES_MFA",
    False,
    help="Set to true only when the identity provider itself requires multi-factor authentication for Spil; users "
    "who log in through it then skip Spil's own second factor.",
)
OIDC_ENABLED = production.oidc_configured(
    client_id=OIDC_RP_CLIENT_ID,
    client_secret=OIDC_RP_CLIENT_SECRET,
    authorization_endpoint=OIDC_OP_AUTHORIZATION_ENDPOINT,
    token_endpoint=OIDC_OP_TOKEN_ENDPOINT,
    userinfo_endpoint=OIDC_OP_USER_ENDPOINT,
    jwks_endpoint=OIDC_OP_JWKS_ENDPOINT,
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_CALLBACK_CLASS = "spil.accounts.oidc.CallbackView"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("spil.accounts.oidc.OrganisationBackend")

# Dutch for everyone: without English translations of Spil's own texts, following the browser's language would mix
# English dates into Dutch pages. Add django.middleware.locale.LocaleMiddleware once the English catalogue exists.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Static files are served by WhiteNoise straight from the apps: no collectstatic step, no web server needed.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when it is missing
WHITENOISE_AUTOREFRESH = DEBUG

# --- Cookies and security headers ---------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool(
    "SESSION_COOKIE_SECURE", PRODUCTION, help="Send the session and CSRF cookies over HTTPS only. Default: true in production."
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # scripts read the token from the page, never from the cookie
SESSION_COOKIE_SAMESITE = "Lax"  # Lax, not Strict: the identity provider's redirect back must carry the session
CSRF_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:  # __Host- cookies: HTTPS only, this host only, path /
    SESSION_COOKIE_NAME = "__Host-spil-sessie"
    CSRF_COOKIE_NAME = "__Host-spil-csrf"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services may share the parent domain
# No inline script or style anywhere: templates load static files only ('data:' images: the NL DS form icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

BSN_HASH_KEY = env(
    "SPIL_BSN_HASH_KEY",
    "spil-development-bsn-key",
    help="Secret key for the keyed hash (HMAC-SHA256) under which BSNs are matched. Keep it with the backups' keys.",
)

FORM_RENDERER = "spil.web.forms.SpilFormRenderer"
LOGBOOK_PSEUDONYM_KEY = env(
    "SPIL_LOGBOOK_KEY",
    "spil-development-logbook-key",
    help="Secret key for the keyed pseudonyms (HMAC-SHA256) of data subjects and sessions in the logs.",
)

SPIL_UPLOAD_ROOT = env(
    "SPIL_UPLOAD_ROOT",
    str(BASE_DIR / "var" / "uploads"),
    help="Directory for uploaded files (e.g. signed plans), outside the web root; served only through access-checked views. Back it up with the database.",
)
SPIL_UPLOAD_MAX_MB = int(
    env(
        "SPIL_UPLOAD_MAX_MB",
        "20",
        help="Largest file accepted for upload (signed plans, import files), in megabytes. Also cap the request body at "
        "the reverse proxy a little above this (e.g. nginx client_max_body_size).",
    )
)
SPIL_CLAMD_ADDRESS = env(
    "SPIL_CLAMD_ADDRESS",
    help="Address of a ClamAV daemon (clamd) that scans every upload before it is stored: 'unix:/run/clamav/clamd.ctl' "
    "or 'host:port'. Infected files are refused; while it is set but unreachable, uploads are refused (fail closed). "
    "Unset: files are stored and shown as 'niet gescand'.",
)

SPIL_MONITOR_MIN_COUNT = int(
    env(
        "SPIL_MONITOR_MIN_COUNT",
        "5",
        help="The monitor shows counts below this number as '< N' (also in exports), and hides what would reveal them by "
        "subtraction from a total, so no person can be recognised from its figures.",
    )
)

# --- Task queue (Procrastinate on PostgreSQL, docs/adr/0005) and notifications -----------------------------------

# Jobs live in the same database; run a worker with `manage.py procrastinate worker` (`make demo` starts one).
SIGNAL_REFRESH_MINUTES = int(
    env(
        "SPIL_SIGNAL_REFRESH_MINUTES",
        "5",
        help="Every how many minutes (1-59) the worker brings the signals that time changed (deadlines, stagnation) up to "
        "date: nationally about 1 s. Changes in Spil refresh the signals of the cases they touch right away, and every "
        "hour the worker refreshes all signals (nationally about 40 s of one core).",
    )
)
IMPORT_BACKGROUND_ROWS = int(
    env(
        "SPIL_IMPORT_BACKGROUND_ROWS",
        "50",
        help="A bulk import of more rows than this runs on the task queue (with progress shown) instead of in the request. "
        "One in the request holds the yearly melding counter while it runs (nationally about 70 ms a row), so every "
        "registration in the country waits for it; one on the task queue reserves its numbers beforehand.",
    )
)
SPIL_BASE_URL = (
    env(
        "SPIL_BASE_URL",
        "http://localhost:8000",
        help="The address users reach Spil at, for the link in notification e-mails (e.g. https://spil.zvh-parkstad.nl).",
    )
    or ""
).rstrip("/")
_email_host = env(
    "SPIL_EMAIL_HOST",
    help="SMTP server for notification e-mails. Unset: e-mails are written to the console (development).",
)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if _email_host else "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = _email_host or "localhost"
EMAIL_PORT = int(env("SPIL_EMAIL_PORT", "587", help="Port of the SMTP server."))
EMAIL_HOST_USER = env("SPIL_EMAIL_USER", "", help="User name for the SMTP server, if it needs one.")
EMAIL_HOST_PASSWORD = env("SPIL_EMAIL_PASSWORD", "", help="Password for the SMTP server, if it needs one.")
EMAIL_USE_TLS = env_bool("SPIL_EMAIL_USE_TLS", True, help="Use STARTTLS with the SMTP server.")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env(
    "SPIL_EMAIL_FROM", "Spil <noreply@localhost>", help="Sender of notification e-mails. They never contain personal data."
)

PAGE_SIZE = 25

# --- Partner API (spil.api): REST with an OpenAPI 3 schema (docs/api/openapi.yaml) -------------------------------

REST_FRAMEWORK = {
    # Bearer tokens of machine clients only; never the session, so no CSRF and no two-factor redirect (see spil.api.base).
    "DEFAULT_AUTHENTICATION_CLASSES": ["spil.api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["spil.api.permissions.IsApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["spil.api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "spil.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "spil.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Spil partner-API",
    "DESCRIPTION": (
        "Koppeling voor ketenpartners van de Zorg- en Veiligheidshuizen: meldingen indienen en hun status volgen, acties uit plannen van "
        "aanpak lezen en voortgang melden, verrijkingsverzoeken beantwoorden, en voor ZSM een hit/no-hit-bevraging en beslissingen.\n\n"
        "Authenticatie met een bearer-token per koppeling (vast token, of een kortlevend token via OAuth2 client credentials op `/token`). "
        "Elke fout is `application/problem+json` (RFC 9457) met een Nederlandse titel; ongeldige invoer noemt elk veld in `invalid-params`. "
        "Lijsten zijn gepagineerd (`count`, `next`, `previous`, `results`). Per koppeling geldt een maximum aantal verzoeken per minuut "
        "(daarboven 429 met Retry-After). Wat een koppeling ziet en doet, staat in het logboek van de betrokken dossiers."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MeldingstatusEnum": "spil.intake.models.ReportStatus",
        "ActiestatusEnum": "spil.plans.models.ActionStatus",
    },
    "TAGS": [
        {"name": "Meldingen", "description": "Meldingen indienen en hun status volgen."},
        {"name": "Acties", "description": "Acties van uw organisatie in plannen van aanpak, en hun voortgang."},
        {"name": "Verrijking", "description": "Vragen van een Zorg- en Veiligheidshuis aan uw organisatie over een melding."},
        {"name": "ZSM", "description": "Alleen voor het Openbaar Ministerie: hit/no-hit en ZSM-beslissingen."},
        {"name": "Authenticatie", "description": "OAuth2 client credentials."},
    ],
}
API_TOKEN_MINUTES = int(
    env(
        "SPIL_API_TOKEN_MINUTES",
        "60",
        help="How long an access token from the partner API's /api/v1/token (OAuth2 client credentials) stays valid, in minutes.",
    )
)

BENCH_MODE = env_bool(
    "SPIL_BENCH_MODE",
    False,
    help="Performance harness only (bench/run): adds /bench/baseline/ and lets a request switch the processing log off "
    "with the header X-Spil-Bench-Log: off, to measure the log's cost. Refused in production.",
)

if PRODUCTION:
    production.refuse_unsafe(
        secret_key=SECRET_KEY, debug=DEBUG, bsn_hash_key=BSN_HASH_KEY, logbook_key=LOGBOOK_PSEUDONYM_KEY, bench_mode=BENCH_MODE
    )
