"""Meldformulieren: the general form and the specialised channels, defined as data in `fixtures/channels.toml`.

A form names its default case type and channel, the kinds of partner that usually report on it, whether it is
restricted (the melding's theme must then be a restricted case type) and whether it takes exactly one person
(mensenhandel: a victim and a suspect are two meldingen, so their dossiers never meet), and lists its extra fields.
The values of those fields live on the melding as JSON (`Report.details`). `clean_details` validates and
normalises them for every way in (web form, partner API, bulk import): dates become ISO strings, choices their
configured value, and an error names the field in Dutch.

The file is read and checked once (`definitions()`, at start-up by the intake app); an invalid file fails loudly,
naming the form and the field.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import formats

from spil.core import clock
from spil.core.config_files import check_flags, check_keys, read_toml
from spil.core.errors import DomainError

FIXTURE = Path(__file__).parent / "fixtures" / "channels.toml"

GENERAL = "algemeen"
DETENTION = "detentie"
TRAFFICKING = "mensenhandel"

FIELD_TYPES = ("text", "textarea", "date", "choice", "multichoice", "bool", "integer")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000}

FORM_KEYS = {"code", "name", "description", "case_type", "channel", "source_partner_types", "restricted", "one_person", "field"}
FIELD_KEYS = {"name", "label", "help", "type", "required", "choices", "max_length", "min", "max", "past", "not_before"}
CHOICE_KEYS = {"value", "label"}
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ChannelConfigError(ValueError):
    pass


@dataclass(frozen=True)
class FieldDefinition:
    name: str
    label: str
    type: str
    help: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    past: bool = False  # a date that may not lie in the future
    not_before: str | None = None  # a date not before the date in that other field

    def choice_label(self, value) -> str:
        return dict(self.choices).get(value, str(value))


@dataclass(frozen=True)
class FormDefinition:
    code: str
    name: str
    description: str = ""
    case_type: str | None = None  # code of the default case type
    channel: str | None = None  # default `intake.models.Channel`
    source_partner_types: tuple[str, ...] = ()  # `organisations.models.PartnerType` values
    restricted: bool = False
    one_person: bool = False
    fields: tuple[FieldDefinition, ...] = ()

    def field(self, name: str) -> FieldDefinition | None:
        return next((f for f in self.fields if f.name == name), None)


# --- the configuration file ----------------------------------------------------------------------------------


def read(path: Path = FIXTURE) -> dict:
    return read_toml(path, validate, ChannelConfigError)


def _case_types() -> dict[str, dict]:
    from spil.casetypes import config

    return {entry["code"]: entry for entry in config.read()["case_type"]}


def validate(data: dict, *, case_types: dict[str, dict] | None = None) -> None:
    """Check the whole file before anything uses it; every error names the form (and field) it is about."""
    from spil.intake.models import Channel
    from spil.organisations.models import PartnerType

    case_types = _case_types() if case_types is None else case_types
    if unknown := set(data) - {"form"}:
        raise ChannelConfigError(f"onbekende sectie(s) {', '.join(sorted(unknown))}")
    forms = data.get("form", [])
    codes = [form.get("code") for form in forms]
    if GENERAL not in codes:
        raise ChannelConfigError(f"het algemene formulier '{GENERAL}' ontbreekt")
    for i, form in enumerate(forms):
        where = f"form[{i}] {form.get('code', '?')!r}"
        check_keys(where, form, FORM_KEYS, {"code", "name"}, ChannelConfigError)
        if not CODE.match(form["code"]):
            raise ChannelConfigError(f"{where}: 'code' mag alleen kleine letters, cijfers en streepjes bevatten")
        if form["code"] in codes[:i]:
            raise ChannelConfigError(f"{where}: code komt dubbel voor")
        check_flags(where, form, ["restricted", "one_person"], ChannelConfigError)
        _check_text(where, form, "description")
        code = form.get("case_type")
        if code is not None:
            if code not in case_types:
                raise ChannelConfigError(f"{where}: onbekend casustype '{code}'")
            if case_types[code].get("label_for"):
                raise ChannelConfigError(f"{where}: '{code}' is een label, geen casustype")
        if form.get("restricted"):
            if code is None or not case_types[code].get("restricted"):
                raise ChannelConfigError(f"{where}: een afgeschermd formulier heeft een afgeschermd casustype nodig")
        if form.get("channel") is not None and form["channel"] not in Channel.values:
            raise ChannelConfigError(f"{where}: onbekend kanaal '{form['channel']}' (kies uit {', '.join(Channel.values)})")
        partner_types = form.get("source_partner_types", [])
        if not isinstance(partner_types, list) or any(kind not in PartnerType.values for kind in partner_types):
            raise ChannelConfigError(f"{where}: 'source_partner_types' moet een lijst zijn uit {', '.join(PartnerType.values)}")
        _validate_fields(where, form.get("field", []))


def _check_text(where: str, entry: dict, key: str) -> None:
    if not isinstance(entry.get(key, ""), str):
        raise ChannelConfigError(f"{where}: '{key}' moet een tekst zijn")


def _validate_fields(where: str, fields) -> None:
    if not isinstance(fields, list):
        raise ChannelConfigError(f"{where}: 'field' moet een lijst van velden zijn")
    names = [f.get("name") for f in fields]
    dates = {f.get("name") for f in fields if f.get("type") == "date"}
    for j, f in enumerate(fields):
        field_where = f"{where} field[{j}] {f.get('name', '?')!r}"
        check_keys(field_where, f, FIELD_KEYS, {"name", "label", "type"}, ChannelConfigError)
        if not isinstance(f["name"], str) or not FIELD_NAME.match(f["name"]):
            raise ChannelConfigError(f"{field_where}: 'name' moet met een kleine letter beginnen en alleen a-z, 0-9 en _ bevatten")
        if f["name"] in names[:j]:
            raise ChannelConfigError(f"{field_where}: naam komt dubbel voor")
        if not isinstance(f["label"], str) or not f["label"].strip():
            raise ChannelConfigError(f"{field_where}: 'label' moet een niet-lege tekst zijn")
        _check_text(field_where, f, "help")
        kind = f["type"]
        if kind not in FIELD_TYPES:
            raise ChannelConfigError(f"{field_where}: onbekend type '{kind}' (kies uit {', '.join(FIELD_TYPES)})")
        check_flags(field_where, f, ["required", "past"], ChannelConfigError)
        if kind == "bool" and f.get("required"):
            raise ChannelConfigError(f"{field_where}: een ja/nee-veld kan niet verplicht zijn (niet aangevinkt is 'nee')")
        _check_options(field_where, f, kind, dates)
        if kind in {"choice", "multichoice"}:
            _validate_choices(field_where, f.get("choices"))
        elif "choices" in f:
            raise ChannelConfigError(f"{field_where}: 'choices' hoort alleen bij choice en multichoice")


def _check_options(where: str, f: dict, kind: str, dates: set) -> None:
    allowed = {"text": {"max_length"}, "textarea": {"max_length"}, "integer": {"min", "max"}, "date": {"past", "not_before"}}.get(
        kind, set()
    )
    if misplaced := {"max_length", "min", "max", "past", "not_before"} & set(f) - allowed:
        raise ChannelConfigError(f"{where}: {', '.join(sorted(misplaced))} past niet bij type '{kind}'")
    if "max_length" in f and (not isinstance(f["max_length"], int) or isinstance(f["max_length"], bool) or f["max_length"] <= 0):
        raise ChannelConfigError(f"{where}: 'max_length' moet een positief geheel getal zijn")
    for key in ("min", "max"):
        if key in f and (not isinstance(f[key], int) or isinstance(f[key], bool)):
            raise ChannelConfigError(f"{where}: '{key}' moet een geheel getal zijn")
    if "min" in f and "max" in f and f["min"] > f["max"]:
        raise ChannelConfigError(f"{where}: 'min' is groter dan 'max'")
    if "not_before" in f and (f["not_before"] not in dates or f["not_before"] == f["name"]):
        raise ChannelConfigError(f"{where}: 'not_before' moet een ander datumveld van dit formulier noemen")


def _validate_choices(where: str, choices) -> None:
    if not isinstance(choices, list) or not choices:
        raise ChannelConfigError(f"{where}: 'choices' moet een niet-lege lijst van {{ value, label }} zijn")
    for k, choice in enumerate(choices):
        if not isinstance(choice, dict):
            raise ChannelConfigError(f"{where} choices[{k}]: moet {{ value = ..., label = ... }} zijn")
        check_keys(f"{where} choices[{k}]", choice, CHOICE_KEYS, CHOICE_KEYS, ChannelConfigError)
        for key in CHOICE_KEYS:
            if not isinstance(choice[key], str) or not choice[key].strip():
                raise ChannelConfigError(f"{where} choices[{k}]: '{key}' moet een niet-lege tekst zijn")
    values = [choice["value"] for choice in choices]
    if len(set(values)) != len(values):
        raise ChannelConfigError(f"{where}: een waarde in 'choices' komt dubbel voor")


def build(data: dict) -> dict[str, FormDefinition]:
    """The definitions of a validated file, by code, in file order."""
    return {
        form["code"]: FormDefinition(
            code=form["code"],
            name=form["name"],
            description=" ".join(form.get("description", "").split()),
            case_type=form.get("case_type"),
            channel=form.get("channel"),
            source_partner_types=tuple(form.get("source_partner_types", [])),
            restricted=form.get("restricted", False),
            one_person=form.get("one_person", False),
            fields=tuple(
                FieldDefinition(
                    name=f["name"],
                    label=f["label"],
                    type=f["type"],
                    help=f.get("help", ""),
                    required=f.get("required", False),
                    choices=tuple((choice["value"], choice["label"]) for choice in f.get("choices", [])),
                    max_length=f.get("max_length", DEFAULT_MAX_LENGTH.get(f["type"])),
                    min=f.get("min"),
                    max=f.get("max"),
                    past=f.get("past", False),
                    not_before=f.get("not_before"),
                )
                for f in form.get("field", [])
            ),
        )
        for form in data["form"]
    }


@functools.cache
def definitions() -> dict[str, FormDefinition]:
    return build(read())


def get(code: str) -> FormDefinition:
    try:
        return definitions()[code]
    except KeyError:
        raise DomainError(f"Onbekend meldformulier: {code}.") from None


def choices() -> list[tuple[str, str]]:
    return [(definition.code, definition.name) for definition in definitions().values()]


def restricted_forms() -> list[str]:
    return [code for code, definition in definitions().items() if definition.restricted]


# --- the values of a melding's form --------------------------------------------------------------------------


class DetailsError(DomainError):
    """Bad values for a meldformulier. `errors` maps a field name (None: the melding as a whole) to its Dutch
    message, so a form or the API can show each one beside its field."""

    def __init__(self, definition: FormDefinition, errors: dict[str | None, str]):
        self.errors = errors
        super().__init__(f"{definition.name}: {' '.join(errors.values())}")


def clean_details(form: str, details: dict, *, case_type=None, persons: list | None = None) -> dict:
    """The form's values, checked and normalised for storage as JSON; raises `DetailsError` naming each bad field.

    Empty optional values are left out; a yes/no field is always stored (unticked is "nee"); dates become
    "YYYY-MM-DD" (also accepted as "DD-MM-YYYY"); a choice may be given by its value or its label. When the melding's
    `case_type` and `persons` are given, a restricted form also needs a restricted case type and a one-person form
    exactly one person.
    """
    definition = get(form)
    if not isinstance(details, dict):
        raise DomainError(f"{definition.name}: de gegevens van het formulier moeten velden met waarden zijn.")
    errors: dict[str | None, str] = {}
    for name in details:
        if definition.field(name) is None:
            errors[name] = f"'{name}' is geen veld van dit formulier."
    cleaned = {}
    for f in definition.fields:
        try:
            value = _clean_value(f, details.get(f.name))
        except ValueError as error:
            errors[f.name] = f"'{f.label}' {error}."
            continue
        if value is None:
            if f.required:
                errors[f.name] = f"'{f.label}' is verplicht."
        else:
            cleaned[f.name] = value
    for f in definition.fields:
        earliest = cleaned.get(f.not_before) if f.not_before else None
        if earliest and f.name in cleaned and cleaned[f.name] < earliest:  # ISO dates sort as text
            errors[f.name] = f"'{f.label}' kan niet vóór '{definition.field(f.not_before).label}' liggen."
    whole = []
    if case_type is not None and definition.restricted and not case_type.restricted:
        whole.append(f"Een {definition.name.lower()} is afgeschermd: kies een afgeschermd thema, zoals {_case_type_name(definition)}.")
    if persons is not None and definition.one_person and len(persons) != 1:
        whole.append(f"Een {definition.name.lower()} gaat over precies één persoon; registreer elke persoon met een eigen melding.")
    if whole:
        errors[None] = " ".join(whole)
    if errors:
        raise DetailsError(definition, errors)
    return cleaned


def _case_type_name(definition: FormDefinition) -> str:
    from spil.casetypes.models import CaseType

    return str(CaseType.objects.filter(code=definition.case_type).first() or definition.case_type)


DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YES, NO = {"ja", "j", "true", "waar", "1", "yes"}, {"nee", "n", "false", "onwaar", "0", "no", ""}


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list | tuple) and not value)


def _clean_value(f: FieldDefinition, value):
    """The stored form of one value, None when empty; a ValueError's text completes "'<label>' ..."."""
    if f.type == "bool":
        return _clean_bool(value)
    if _empty(value):
        return None
    return {
        "text": _clean_text,
        "textarea": _clean_text,
        "date": _clean_date,
        "choice": _clean_choice,
        "multichoice": _clean_multichoice,
        "integer": _clean_integer,
    }[f.type](f, value)


def _clean_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in YES | NO:
        return value.strip().lower() in YES
    raise ValueError("moet ja of nee zijn")


def _clean_text(f: FieldDefinition, value) -> str | None:
    if not isinstance(value, str):
        raise ValueError("moet een tekst zijn")
    text = " ".join(value.split()) if f.type == "text" else value.replace("\r\n", "\n").strip()
    if f.max_length and len(text) > f.max_length:
        raise ValueError(f"is te lang: hoogstens {f.max_length} tekens, nu {len(text)}")
    return text


def _clean_date(f: FieldDefinition, value) -> str:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date | str):
        raise ValueError("is geen geldige datum")
    if isinstance(value, str):
        text = value.strip()
        try:
            if ISO_DATE.match(text):
                value = datetime.date.fromisoformat(text)
            elif match := DUTCH_DATE.match(text):
                value = datetime.date(int(match[3]), int(match[2]), int(match[1]))
            else:
                raise ValueError
        except ValueError:
            raise ValueError("is geen geldige datum (jjjj-mm-dd of dd-mm-jjjj)") from None
    if f.past and value > clock.today():
        raise ValueError("kan niet in de toekomst liggen")
    return value.isoformat()


def _clean_choice(f: FieldDefinition, value) -> str:
    if not isinstance(value, str):
        raise ValueError("moet een van de keuzes zijn")
    text = value.strip()
    for choice, label in f.choices:
        if text == choice or text.lower() == label.lower():
            return choice
    raise ValueError(f"heeft een onbekende waarde '{text}' (kies uit {', '.join(choice for choice, _ in f.choices)})")


def _clean_multichoice(f: FieldDefinition, value) -> list[str] | None:
    items = re.split(r"[;,]", value) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("moet een lijst van keuzes zijn")
    chosen = {_clean_choice(f, item) for item in items if not _empty(item)}
    return [choice for choice, _ in f.choices if choice in chosen] or None


def _clean_integer(f: FieldDefinition, value) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("moet een geheel getal zijn")
    if f.min is not None and value < f.min:
        raise ValueError(f"moet minstens {f.min} zijn")
    if f.max is not None and value > f.max:
        raise ValueError(f"mag hoogstens {f.max} zijn")
    return value


# --- showing them ----------------------------------------------------------------------------------------------


def display(form: str, details: dict) -> list[tuple[str, str]]:
    """(label, text) for each stored value, in the form's order; values of fields no longer configured follow under
    their own name, so nothing that was stored is hidden."""
    definition = definitions().get(form) or FormDefinition(code=form, name=form)
    rows = []
    for f in definition.fields:
        if f.name in details:
            rows.append((f.label, _text(f, details[f.name])))
    rows += [(name, str(value)) for name, value in details.items() if definition.field(name) is None]
    return rows


def _text(f: FieldDefinition, value) -> str:
    if f.type == "bool":
        return "ja" if value else "nee"
    if f.type == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "j F Y")
        except (TypeError, ValueError):
            return str(value)
    if f.type == "choice":
        return f.choice_label(value)
    if f.type == "multichoice" and isinstance(value, list):
        return ", ".join(f.choice_label(item) for item in value)
    return str(value)
