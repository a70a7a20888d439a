"""Checks that keep the repository honest: migrations, documented configuration, compiled translations."""

import ast
import gettext
import re
from io import StringIO
from pathlib import Path

import pytest
import django
import rest_framework
from django.core.management import call_command

from spil.conf.env import DECLARED

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.MULTILINE))
    assert documented == set(DECLARED)


def _po_catalog(path: Path) -> dict[str, str]:
    pairs = re.findall(r'^msgid (".*")\nmsgstr (".*")$', path.read_text(), re.MULTILINE)
    return {ast.literal_eval(msgid): ast.literal_eval(msgstr) for msgid, msgstr in pairs if msgid != '""'}


def _mo_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return {key: value for key, value in gettext.GNUTranslations(file)._catalog.items() if key}


def test_translations_are_compiled_and_keep_djangos_wording():
    """Spil's .mo matches its .po, and overrides every message that Django REST framework words differently from
    Django (DRF's app translations would otherwise win, e.g. "Dit veld is vereist." on every form)."""
    messages = ROOT / "src" / "spil" / "locale" / "nl" / "LC_MESSAGES"
    ours = _po_catalog(messages / "django.po")
    assert _mo_catalog(messages / "django.mo") == ours, "run: msgfmt -o django.mo django.po"
    djangos = _mo_catalog(Path(django.__file__).parent / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.mo")
    drfs = _mo_catalog(Path(rest_framework.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo")
    differing = {msgid for msgid in drfs if msgid in djangos and drfs[msgid] != djangos[msgid]}
    assert {msgid: ours.get(msgid) for msgid in differing} == {msgid: djangos[msgid] for msgid in differing}
