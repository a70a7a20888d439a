"""Reading files: CSV dialects, XLSX cells, row numbers as a spreadsheet shows them."""

import datetime

import pytest

from spil.core.errors import DomainError
from spil.imports import parsing
from spil.imports.testing import xlsx_bytes


def test_column_names_are_read_the_way_people_type_them():
    assert parsing.normalise_header(" Ontvangen op") == "ontvangen_op"
    assert parsing.normalise_header("\ufeffMelder-Organisatie") == "melder_organisatie"
    assert parsing.normalise_header(None) == ""


def test_rows_keep_the_numbers_a_spreadsheet_shows_also_after_empty_rows_and_line_breaks_in_a_cell():
    content = 'achternaam;aanleiding\n"Berg";"twee\nregels"\n;\n\nJansen;x\n'.encode()
    sheet = parsing.read(content)
    assert sheet.file_format == "csv" and sheet.header == ["achternaam", "aanleiding"]
    assert sheet.rows == [(2, ["Berg", "twee\nregels"]), (5, ["Jansen", "x"])]


def test_the_delimiter_is_taken_from_the_header():
    assert parsing.read(b"achternaam,voornamen\nBerg,Jan\n").rows == [(2, ["Berg", "Jan"])]
    assert parsing.read(b"achternaam;voornamen\nBerg;Jan, Piet\n").rows == [(2, ["Berg", "Jan, Piet"])]


def test_xlsx_cells_keep_their_type():
    sheet = parsing.read(xlsx_bytes([{"achternaam": "Berg", "geboortedatum": datetime.date(1990, 5, 17), "bsn": 111222333}]))
    assert sheet.file_format == "xlsx"
    assert sheet.rows == [(2, ["Berg", datetime.datetime(1990, 5, 17), 111222333])]


def test_a_file_with_too_many_rows_is_refused_as_a_whole(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)
    with pytest.raises(DomainError, match="meer dan 2 rijen"):
        parsing.read(b"achternaam\nA\nB\nC\n")
    assert len(parsing.read(b"achternaam\nA\nB\n").rows) == 2


def test_only_column_names_is_no_file_to_import():
    with pytest.raises(DomainError, match="alleen kolomnamen"):
        parsing.read(b"achternaam;voornamen\r\n")
