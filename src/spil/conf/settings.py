"""Spil's settings: the one place where the effective configuration is read.

Every environment variable is declared through `env()` with its help text; see docs/configuration.md.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from spil.conf import database
from spil.conf.env import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "spil"

SECRET_KEY = env(
    "SECRET_KEY",
    "spil-development-key-not-for-production",
    help="Django's secret key. Must be set to a long random value in production.",
)
DEBUG = env_bool("DEBUG", False, help="Show Django's debug pages. Never on in production.")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", help="Comma-separated host names Spil answers to."
)

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
DATABASES = {
    "default": database.from_url(_database_url)
    if _database_url
    else database.embedded(Path(_pgdata), _pgdata_cleanup)
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
    "spil.core",
    "spil.organisations",
    "spil.logbook",
    "spil.casetypes",
    "spil.persons",
    "spil.intake",
    "spil.triage",
    "spil.cases",
    "spil.timeline",
    "spil.accounts",
    "spil.privacy",
    "spil.web",
    "spil.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "spil.logbook.tracing.TraceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spil.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "spil.conf.urls"
WSGI_APPLICATION = "spil.conf.wsgi.application"

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
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:my-work"
LOGOUT_REDIRECT_URL = "login"

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False, help="Send the session cookie over HTTPS only.")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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

PAGE_SIZE = 25
