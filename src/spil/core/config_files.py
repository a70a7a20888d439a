"""Configuration as data (case types, meeting types): TOML files checked before anything is loaded.

Each config module has its own error class and Dutch messages that name the offending entry, so a wrong edit fails
loudly and says where. These are the checks they share.
"""

import tomllib
from collections.abc import Callable
from pathlib import Path


def read_toml(path: Path, validate: Callable[[dict], None], error: type[Exception]) -> dict:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path.name}: geen geldige TOML: {exc}") from exc
    validate(data)
    return data


def check_keys(where: str, entry: dict, allowed: set[str], required: set[str], error: type[Exception]) -> None:
    """No unknown or missing keys; `code` and `name`, where present, are non-empty texts."""
    if unknown := set(entry) - allowed:
        raise error(f"{where}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
    if missing := required - set(entry):
        raise error(f"{where}: ontbrekende sleutel(s) {', '.join(sorted(missing))}")
    for key in {"code", "name"} & set(entry):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise error(f"{where}: '{key}' moet een niet-lege tekst zijn")


def check_positive_int(where: str, key: str, value, error: type[Exception]) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise error(f"{where}: '{key}' moet een positief geheel getal zijn, niet {value!r}")


def check_flags(where: str, entry: dict, flags: list[str], error: type[Exception]) -> None:
    for flag in flags:
        if not isinstance(entry.get(flag, False), bool):
            raise error(f"{where}: '{flag}' moet true of false zijn")
