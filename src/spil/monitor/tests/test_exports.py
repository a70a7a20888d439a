"""spil.web.exports: a table as CSV (Dutch Excel) or XLSX, without formula injection."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from spil.web.exports import Table, csv_bytes, safe_filename, table_response, xlsx_bytes

TABLE = Table(
    "Meldingen per bron — 1e halfjaar",
    ["Bron", "Aantal", "Bedrag", "Datum"],
    [
        ["Politie", 12, Decimal("1234.50"), dt.date(2026, 3, 1)],
        ['=HYPERLINK("http://x")', -3, None, None],
        ["+31 6", 0, 1.5, None],
        ["@SUM(A1)", "< 5", None, None],
        ["-minus", "Één", None, None],
    ],
)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_uses_semicolons_a_bom_dutch_decimals_and_neutralises_formulas():
    rows = read_csv(csv_bytes(TABLE))
    assert rows == [
        ["Bron", "Aantal", "Bedrag", "Datum"],
        ["Politie", "12", "1234,50", "2026-03-01"],
        ['\'=HYPERLINK("http://x")', "-3", "", ""],
        ["'+31 6", "0", "1,5", ""],
        ["'@SUM(A1)", "< 5", "", ""],
        ["'-minus", "Één", "", ""],
    ]


def test_xlsx_has_one_sheet_per_table_with_real_numbers_and_no_formulas():
    other = Table("Meldingen per bron — 1e halfjaar", ["x"], [[1]])
    workbook = load_workbook(io.BytesIO(xlsx_bytes(TABLE, other)))
    assert workbook.sheetnames == ["Meldingen per bron — 1e halfjaa", "Meldingen per bron — 1e hal (2)"]
    sheet = workbook.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Bron", "Aantal", "Bedrag", "Datum"]
    assert values[1][:3] == ["Politie", 12, 1234.5]
    assert values[1][3].date() == dt.date(2026, 3, 1)
    assert values[2][:2] == ['\'=HYPERLINK("http://x")', -3]
    assert [row[0] for row in values[3:]] == ["'+31 6", "'@SUM(A1)", "'-minus"]
    assert values[4][1] == "< 5"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Kerncijfers Parkstad 2026 (1e halfjaar)", "kerncijfers-parkstad-2026-1e-halfjaar.csv"),
        ('Één "rare"/naam\\..', "een-rarenaam.csv"),
        ("", "export.csv"),
    ],
)
def test_file_names_are_safe_ascii(title, expected):
    assert safe_filename(title, "csv") == expected


def test_table_response_sets_type_name_and_refuses_unknown_formats():
    response = table_response(TABLE, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="meldingen-per-bron-1e-halfjaar.xlsx"'
    assert response["Cache-Control"] == "no-store"
    assert table_response(TABLE, "csv")["Content-Type"] == "text/csv; charset=utf-8"
    with pytest.raises(Http404):
        table_response(TABLE, "html")
