"""Checks that keep the repository honest: migrations, documented configuration."""

import re
from io import StringIO
from pathlib import Path

import pytest
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
