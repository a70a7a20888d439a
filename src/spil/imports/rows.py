"""Checking the rows of a file and turning each into the arguments of `intake.services.register_report`.

Every row is checked and every problem collected (never only the first), in Dutch, naming the row as a spreadsheet
shows it and the column. The known partners, themes and gemeenten are loaded once (`Lookups.load`: three queries),
so checking 10,000 rows asks the database nothing per row.

Two levels:
- reading a cell (a date, a BSN with its 11-proef, a partner, theme or gemeente that exists, required and too long
  values): needed to build the service's arguments, so done at upload and again at import;
- the service's own rules checked in advance (`early_rules`: the date of receipt not in the future, the form's
  fields through `channels.clean_details`), so the preview shows those errors too. At import the service applies
  them itself and is the authority: what it refuses stops the whole import (`services`).
"""

import datetime
import re
from dataclasses import dataclass, field

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError
from spil.imports import columns as columns_module
from spil.imports.columns import Column
from spil.imports.parsing import Sheet
from spil.intake import channels
from spil.intake.models import Channel
from spil.organisations.models import Municipality, Partner
from spil.persons.bsn import is_valid_bsn, normalise

PREVIEW_ROWS = 10
QUOTE_LENGTH = 40

DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]+)?$")
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}
CHANNEL_ALIASES = {"e-mail": Channel.EMAIL, "mail": Channel.EMAIL}


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def describe(row: int, column: str, message: str) -> str:
    """'Rij 9.998, kolom geboortedatum: ...'; row 0 is the file as a whole."""
    if not row:
        return message
    where = f"Rij {thousands(row)}" + (f", kolom {column}" if column else "")
    return f"{where}: {message}"


def quote(value) -> str:
    text = display(value)
    return f"'{text[:QUOTE_LENGTH]}…'" if len(text) > QUOTE_LENGTH else f"'{text}'"


def display(value) -> str:
    """A cell as text, the way the user typed it (for the preview and the error messages)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y") if not isinstance(value, datetime.datetime) else value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).strip()


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self):
        return describe(self.row, self.column, self.message)


@dataclass
class Row:
    """One melding: the arguments of `register_report`."""

    number: int
    fields: dict
    person: dict
    details: dict


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    preview: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Lookups:
    partners: dict
    case_types: dict
    municipalities: dict

    @classmethod
    def load(cls) -> "Lookups":
        case_types = {}
        for case_type in CaseType.objects.for_intake():
            case_types[case_type.code.casefold()] = case_type
            case_types[case_type.name.casefold()] = case_type
        municipalities = {}
        for municipality in Municipality.objects.all():
            municipalities[municipality.name.casefold()] = municipality
            municipalities[municipality.cbs_code.casefold()] = municipality
        return cls(
            partners={partner.name.casefold(): partner for partner in Partner.objects.all()},
            case_types=case_types,
            municipalities=municipalities,
        )


class CellError(ValueError):
    pass


def check_header(kind: str, header: list[str]) -> None:
    """The file's columns as a whole: a missing required column, an unknown or a repeated one refuses the file."""
    known = {column.name: column for column in columns_module.columns(kind)}
    unknown = [name or "(zonder naam)" for name in header if name not in known]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    missing = [name for name, column in known.items() if column.required and name not in header]
    problems = []
    if missing:
        problems.append(f"Deze verplichte kolommen ontbreken: {', '.join(missing)}.")
    if unknown:
        problems.append(f"Deze kolommen zijn onbekend: {', '.join(unknown)}.")
    if repeated:
        problems.append(f"Deze kolommen staan er meer dan eens in: {', '.join(repeated)}.")
    if problems:
        problems.append("Gebruik de kolomnamen van het sjabloon (de eerste rij van het bestand).")
        raise DomainError(" ".join(problems))


def check(kind: str, sheet: Sheet, lookups: Lookups, *, early_rules: bool = True) -> Checked:
    """Every row of the sheet: the service arguments of the good rows and the problems of all rows."""
    check_header(kind, sheet.header)
    form = columns_module.form_of(kind)
    definition = channels.get(form)
    defaults = columns_module.default_texts(kind)
    by_name = {column.name: column for column in columns_module.columns(kind)}
    present = [(index, by_name[name]) for index, name in enumerate(sheet.header)]
    today = clock.today()
    result = Checked(preview={"columns": list(sheet.header), "rows": []})
    for number, cells in sheet.rows:
        if len(result.preview["rows"]) < PREVIEW_ROWS:
            result.preview["rows"].append({"row": number, "cells": [display(cells[i]) if i < len(cells) else "" for i, _ in present]})
        values = {"report": {}, "person": {}, "details": {}}
        problems = []
        for index, column in present:
            cell = cells[index] if index < len(cells) else None
            try:
                value = read_cell(column, cell, lookups)
            except CellError as error:
                problems.append(Problem(number, column.name, str(error)))
                continue
            if value is not None:
                values[column.target][column.field] = value
        report = values["report"]
        report.setdefault("requested_case_type", lookups.case_types.get((definition.case_type or "").casefold()))
        report.setdefault("channel", definition.channel or Channel.OTHER)
        report.setdefault("criminal_law", False)
        for name, text in defaults.items():
            report.setdefault(name, text)
        report["form"] = form
        if early_rules and report.get("received_on") and report["received_on"] > today:
            problems.append(Problem(number, "ontvangen_op", "De datum van ontvangst kan niet in de toekomst liggen."))
        person = values["person"]
        if early_rules:
            try:
                channels.clean_details(form, values["details"], case_type=report["requested_case_type"], persons=[person])
            except channels.DetailsError as error:
                problems += [Problem(number, name or "", message) for name, message in error.errors.items()]
            except DomainError as error:
                problems.append(Problem(number, "", error.message))
        if problems:
            result.problems += problems
        else:
            result.rows.append(Row(number=number, fields=report, person=person, details=values["details"]))
    return result


def read_cell(column: Column, cell, lookups: Lookups):
    """The value of one cell for the service, None when empty; CellError with a Dutch reason when it cannot be."""
    if column.kind == "bool":
        return read_bool(cell)
    if column.kind == "detail":
        return read_detail(cell)
    if display(cell) == "":
        if column.required:
            raise CellError("is verplicht maar leeg.")
        return None
    reader = READERS[column.kind]
    return reader(column, cell, lookups)


def read_text(column: Column, cell, lookups) -> str:
    text = display(cell)
    if column.max_length:  # a one-line value: spaces and line breaks become one space
        text = " ".join(text.split())
        if len(text) > column.max_length:
            raise CellError(f"{quote(text)} is te lang: hoogstens {column.max_length} tekens, nu {len(text)}.")
    return text.replace("\r\n", "\n")


def read_date(column: Column, cell, lookups) -> datetime.date:
    value = parse_date(cell)
    if value is None:
        raise CellError(f"{quote(cell)} is geen geldige datum (dd-mm-jjjj of jjjj-mm-dd).")
    if column.past and value > clock.today():
        raise CellError(f"{quote(cell)} ligt in de toekomst.")
    return value


def parse_date(cell) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = display(cell)
    try:
        if match := DUTCH_DATE.match(text):
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        if match := ISO_DATE.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def read_bsn(column: Column, cell, lookups) -> str:
    bsn = normalise(display(cell))
    if not is_valid_bsn(bsn):
        raise CellError(f"{quote(cell)} is geen geldig BSN (9 cijfers die voldoen aan de 11-proef).")
    return bsn


def read_bool(cell) -> bool:
    text = display(cell).casefold()
    if text in YES:
        return True
    if text in NO or text == "":
        return False
    raise CellError(f"{quote(cell)} is geen ja of nee.")


def read_partner(column: Column, cell, lookups: Lookups) -> Partner:
    partner = lookups.partners.get(display(cell).casefold())
    if partner is None:
        raise CellError(f"{quote(cell)} is geen bekende ketenpartner in Spil.")
    return partner


def read_case_type(column: Column, cell, lookups: Lookups) -> CaseType:
    case_type = lookups.case_types.get(display(cell).casefold())
    if case_type is None:
        raise CellError(f"{quote(cell)} is geen thema waarvoor een melding kan worden gedaan.")
    if case_type.restricted:
        raise CellError(f"{case_type} is afgeschermd en kan niet via een import worden ingelezen; registreer deze melding afzonderlijk.")
    return case_type


def read_municipality(column: Column, cell, lookups: Lookups) -> Municipality:
    text = display(cell).casefold()
    if text.isdigit():
        text = f"gm{int(text):04d}"
    municipality = lookups.municipalities.get(text)
    if municipality is None:
        raise CellError(f"{quote(cell)} is geen bekende gemeente (naam of CBS-code, zoals GM0917).")
    return municipality


def read_channel(column: Column, cell, lookups) -> str:
    text = display(cell).casefold()
    for value, label in Channel.choices:
        if text in (value, label.casefold()):
            return value
    if text in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[text]
    raise CellError(f"{quote(cell)} is geen kanaal (kies uit {', '.join(Channel.values)}).")


def read_detail(cell):
    """A form field's raw value, None when empty; `channels.clean_details` (in the service) checks and normalises it,
    required fields included."""
    if display(cell) == "":
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell.strip() if isinstance(cell, str) else cell


READERS = {
    "text": read_text,
    "date": read_date,
    "bsn": read_bsn,
    "partner": read_partner,
    "case_type": read_case_type,
    "municipality": read_municipality,
    "channel": read_channel,
}
