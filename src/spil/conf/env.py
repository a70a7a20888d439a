"""Environment variables: each one declared once, with its help text.

`docs/configuration.md` is checked against `DECLARED` by a test, so the documentation cannot drift.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str | None
    help: str


DECLARED: dict[str, Variable] = {}


def env(name: str, default: str | None = None, *, help: str) -> str | None:
    DECLARED[name] = Variable(name, default, help)
    return os.environ.get(name, default)


def env_bool(name: str, default: bool, *, help: str) -> bool:
    value = env(name, "true" if default else "false", help=help)
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str, *, help: str) -> list[str]:
    value = env(name, default, help=help) or ""
    return [item.strip() for item in value.split(",") if item.strip()]
