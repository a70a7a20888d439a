"""Downloads of a table as CSV or XLSX (monitor, finance and every other screen with a table).

A `Table` is a title, column headers and rows of plain values (str, int, Decimal, float, date, datetime, None).

CSV: UTF-8 with a byte-order mark and `;` between fields, the way Dutch Excel opens a file by double-click (its list
separator is `;` because the decimal separator is `,`; decimals are therefore written with a `,`). XLSX: one sheet
per table (openpyxl), header row bold and frozen, numbers and dates as real cells.

Formula injection: a text cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
or a carriage return) gets a leading `'` in both formats; numbers are never changed, so `-3` stays a number.

    table = Table("Meldingen per bron", ["Bron", "Aantal"], [["Politie", 12], ["GGZ", "< 5"]])
    return table_response(table, "xlsx")
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence] = field(default_factory=list)


def neutralise(text: str) -> str:
    """A text that cannot start a formula in a spreadsheet."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_filename(title: str, extension: str) -> str:
    """An ASCII file name from a (Dutch) title: no accents, quotes, slashes or spaces; never empty."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = slugify(ascii_title)[:100].strip("-") or "export"
    return f"{stem}.{extension}"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()
    return neutralise(str(value))


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(column)) for column in table.header])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # Excel has no time zones: write the local wall-clock time.
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return neutralise(str(value))


def _sheet_title(title: str, taken: set[str]) -> str:
    base = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:31] or "Blad"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def xlsx_bytes(*tables: Table) -> bytes:
    """One workbook with a sheet per table, in the given order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append([neutralise(str(column)) for column in table.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(column)) for column in table.header]
        for row in table.rows:
            values = [_xlsx_value(value) for value in row]
            sheet.append(values)
            for index, value in enumerate(values):
                if index < len(widths):
                    widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    if not tables:
        workbook.create_sheet("Blad")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(table: Table, filename: str | None = None) -> HttpResponse:
    return download(csv_bytes(table), CSV_TYPE, safe_filename(filename or table.title, "csv"))


def xlsx_response(*tables: Table, filename: str | None = None) -> HttpResponse:
    title = filename or (tables[0].title if tables else "export")
    return download(xlsx_bytes(*tables), XLSX_TYPE, safe_filename(title, "xlsx"))


def table_response(table: Table, fmt: str, filename: str | None = None) -> HttpResponse:
    """The table as a download in `fmt` ("csv" or "xlsx"); any other format is "niet gevonden"."""
    if fmt == "csv":
        return csv_response(table, filename)
    if fmt == "xlsx":
        return xlsx_response(table, filename=filename)
    raise Http404("Onbekend exportformaat.")
