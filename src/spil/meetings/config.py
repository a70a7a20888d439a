"""Reading, validating and loading the meeting types (`fixtures/meeting_types.toml`).

Like the case types: the loader takes an app registry so the data migration can run it against historical models,
and an invalid file fails loudly, naming the offending entry, before anything is written.
"""

from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

from spil.core.config_files import check_flags, check_keys, check_positive_int, read_toml

FIXTURE = Path(__file__).parent / "fixtures" / "meeting_types.toml"

KEYS = {"code", "name", "description", "default_rhythm_days", "billable", "per_municipality"}
REQUIRED = {"code", "name", "default_rhythm_days"}


class MeetingTypeConfigError(ValueError):
    pass


def read(path: Path = FIXTURE) -> dict:
    return read_toml(path, validate, MeetingTypeConfigError)


def validate(data: dict) -> None:
    if unknown := set(data) - {"meeting_type"}:
        raise MeetingTypeConfigError(f"onbekende sectie(s) {', '.join(sorted(unknown))}")
    entries = data.get("meeting_type", [])
    if not entries:
        raise MeetingTypeConfigError("geen enkel meeting_type gedefinieerd")
    codes, names = set(), set()
    for i, entry in enumerate(entries):
        where = f"meeting_type[{i}] {entry.get('code', '?')!r}"
        check_keys(where, entry, KEYS, REQUIRED, MeetingTypeConfigError)
        check_positive_int(where, "default_rhythm_days", entry["default_rhythm_days"], MeetingTypeConfigError)
        check_flags(where, entry, ["billable", "per_municipality"], MeetingTypeConfigError)
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
