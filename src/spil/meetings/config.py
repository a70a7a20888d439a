"""Reading, validating and loading the meeting types (`fixtures/meeting_types.toml`).

Like the case types: the loader takes an app registry so the data migration can run it against historical models,
and an invalid file fails loudly, naming the offending entry, before anything is written.
"""

import tomllib
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

FIXTURE = Path(__file__).parent / "fixtures" / "meeting_types.toml"

KEYS = {"code", "name", "description", "default_rhythm_days", "billable", "per_municipality"}
REQUIRED = {"code", "name", "default_rhythm_days"}


class MeetingTypeConfigError(ValueError):
    pass


def read(path: Path = FIXTURE) -> dict:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise MeetingTypeConfigError(f"{path.name}: geen geldige TOML: {exc}") from exc
    validate(data)
    return data


def validate(data: dict) -> None:
    if unknown := set(data) - {"meeting_type"}:
        raise MeetingTypeConfigError(f"onbekende sectie(s) {', '.join(sorted(unknown))}")
    entries = data.get("meeting_type", [])
    if not entries:
        raise MeetingTypeConfigError("geen enkel meeting_type gedefinieerd")
    codes, names = set(), set()
    for i, entry in enumerate(entries):
        where = f"meeting_type[{i}] {entry.get('code', '?')!r}"
        if unknown := set(entry) - KEYS:
            raise MeetingTypeConfigError(f"{where}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        if missing := REQUIRED - set(entry):
            raise MeetingTypeConfigError(f"{where}: ontbrekende sleutel(s) {', '.join(sorted(missing))}")
        for key in ["code", "name"]:
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise MeetingTypeConfigError(f"{where}: '{key}' moet een niet-lege tekst zijn")
        days = entry["default_rhythm_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
            raise MeetingTypeConfigError(f"{where}: 'default_rhythm_days' moet een positief geheel getal zijn, niet {days!r}")
        for flag in ["billable", "per_municipality"]:
            if not isinstance(entry.get(flag, False), bool):
                raise MeetingTypeConfigError(f"{where}: '{flag}' moet true of false zijn")
        if not isinstance(entry.get("description", ""), str):
            raise MeetingTypeConfigError(f"{where}: 'description' moet een tekst zijn")
        if entry["code"] in codes:
            raise MeetingTypeConfigError(f"{where}: code '{entry['code']}' komt dubbel voor")
        if entry["name"] in names:
            raise MeetingTypeConfigError(f"{where}: naam '{entry['name']}' komt dubbel voor")
        codes.add(entry["code"])
        names.add(entry["name"])


@transaction.atomic
def load(data: dict, apps=global_apps) -> None:
    """Create or update meeting types by code. Assumes `validate(data)` passed."""
    MeetingType = apps.get_model("meetings", "MeetingType")
    for entry in data["meeting_type"]:
        MeetingType.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", "").strip(),
                "default_rhythm_days": entry["default_rhythm_days"],
                "billable": entry.get("billable", False),
                "per_municipality": entry.get("per_municipality", False),
            },
        )
