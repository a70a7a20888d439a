"""The Verwerkingsregister as data: `fixtures/processing_activities.toml`, validated and loaded by code."""

import tomllib
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

FIXTURE = Path(__file__).parent / "fixtures" / "processing_activities.toml"
TEXT_FIELDS = ["name", "purpose", "legal_basis", "categories_of_persons", "categories_of_data", "recipients"]
FIELDS = {"code", "retention_years", *TEXT_FIELDS}


class RegisterError(ValueError):
    pass


def read(path: Path = FIXTURE) -> list[dict]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RegisterError(f"{path.name}: geen geldige TOML: {exc}") from exc
    activities = data.get("activity", [])
    validate(activities)
    return activities


def validate(activities: list[dict]) -> None:
    if not activities:
        raise RegisterError("het register bevat geen enkele verwerkingsactiviteit")
    codes = set()
    for i, activity in enumerate(activities):
        where = f"activity[{i}] {activity.get('code', '?')!r}"
        if unknown := set(activity) - FIELDS:
            raise RegisterError(f"{where}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        for key in ["code", *TEXT_FIELDS]:
            if not isinstance(activity.get(key), str) or not activity[key].strip():
                raise RegisterError(f"{where}: '{key}' moet een niet-lege tekst zijn")
        years = activity.get("retention_years")
        if not isinstance(years, int) or isinstance(years, bool) or years <= 0:
            raise RegisterError(f"{where}: 'retention_years' moet een positief geheel getal zijn, niet {years!r}")
        if activity["code"] in codes:
            raise RegisterError(f"{where}: code komt dubbel voor")
        codes.add(activity["code"])


@transaction.atomic
def load(activities: list[dict], apps=global_apps) -> None:
    ProcessingActivity = apps.get_model("logbook", "ProcessingActivity")
    for activity in activities:
        values = {key: activity[key] for key in [*TEXT_FIELDS, "retention_years"]}
        ProcessingActivity.objects.update_or_create(code=activity["code"], defaults=values)
