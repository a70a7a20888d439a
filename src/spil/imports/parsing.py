"""Reading an uploaded file into a header and rows of cells: CSV (UTF-8, with or without byte-order mark, `;` or `,`
between fields) or XLSX (the first sheet, read-only). The kind of file is recognised by its first bytes, never by
its name. The header is on the first row; row numbers are those a spreadsheet shows (the header is row 1).

CSV cells are text; XLSX cells keep their type (a date cell is a `datetime`, a number an `int` or `float`), and
`rows.py` reads either.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from spil.core.errors import DomainError

MAX_ROWS = 20_000  # rows of data; a larger file is refused as a whole
MAX_LINES = 100_000  # empty rows included: a file is never read further than this
MAX_COLUMNS = 60

XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX file is a zip archive
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # an XLSX of 20,000 rows of 60 columns unpacks to far less

UNREADABLE = (
    "Dit bestand kan niet worden gelezen. Gebruik een Excel-werkmap (.xlsx) of een CSV-bestand in UTF-8 "
    "(in Excel: Opslaan als 'CSV UTF-8 (door komma's gescheiden)')."
)


@dataclass(frozen=True)
class Sheet:
    file_format: str  # "csv" or "xlsx"
    header: list[str]  # normalised column names, in file order
    rows: list[tuple[int, list]]  # (row number, cells) of the rows that are not empty


def normalise_header(name) -> str:
    """A column name as the columns are defined: lower case, spaces and hyphens become underscores
    ('Ontvangen op' is `ontvangen_op`, ' BSN' is `bsn`)."""
    text = str(name if name is not None else "").replace("\ufeff", "").strip().lower()
    return "_".join(text.replace("-", " ").split())


def detect_format(data: bytes) -> str:
    if data.startswith(XLSX_SIGNATURE):
        _check_workbook(data)
        return "xlsx"
    if data.startswith(XLS_SIGNATURE):
        raise DomainError(
            "Oude Excel-bestanden (.xls) worden niet ondersteund. Sla het bestand op als Excel-werkmap (.xlsx) of als CSV UTF-8."
        )
    return "csv"


def _check_workbook(data: bytes) -> None:
    """A zip archive is an XLSX workbook only with an Office Open XML manifest; and it may not unpack to far more
    than it weighs (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DomainError(UNREADABLE) from None
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise DomainError(UNREADABLE)
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise DomainError("Deze Excel-werkmap is uitgepakt te groot om te lezen; splits het bestand in kleinere bestanden.")


def read(data: bytes) -> Sheet:
    """The header and the non-empty rows of a file; DomainError (Dutch) when the file as a whole is unusable."""
    file_format = detect_format(data)
    lines = _xlsx_lines(data) if file_format == "xlsx" else _csv_lines(data)
    header: list[str] | None = None
    rows = []
    for number, cells in lines:
        if number > MAX_LINES:
            raise DomainError(f"Het bestand heeft meer dan {MAX_LINES:,} rijen (ook lege); verwijder de lege rijen.".replace(",", "."))
        if header is None:
            header = [normalise_header(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise DomainError(f"Het bestand heeft meer dan {MAX_COLUMNS} kolommen.")
            continue
        if all(_blank(cell) for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise DomainError(f"Het bestand heeft meer dan {MAX_ROWS:,} rijen; splits het in kleinere bestanden.".replace(",", "."))
        rows.append((number, list(cells[: len(header)])))
    if not header:
        raise DomainError("Het bestand is leeg: de eerste rij moet de kolomnamen bevatten.")
    if not rows:
        raise DomainError("Het bestand bevat alleen kolomnamen en geen rijen met gegevens.")
    return Sheet(file_format=file_format, header=header, rows=rows)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _csv_lines(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(UNREADABLE) from None
    if "\x00" in text:
        raise DomainError(UNREADABLE)
    first_line = text.split("\n", 1)[0]
    # Dutch Excel writes `;` (its decimal separator is the comma); elsewhere `,`. Column names contain neither.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record's number counts records, not lines: a quoted cell may hold a line break, as Excel shows it.
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        raise DomainError(UNREADABLE) from None


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise DomainError(UNREADABLE) from None
    try:
        if not workbook.worksheets:
            raise DomainError(UNREADABLE)
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()
