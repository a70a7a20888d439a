"""The manager's kerncijfers in the browser: the dashboard is accessible and its tables download as CSV and XLSX."""

import io

import openpyxl
from playwright.sync_api import expect

from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report


def test_the_dashboard_downloads_a_table_as_csv_and_all_tables_as_xlsx(page, log_in, assert_accessible, house):
    intake = member(house, Role.INTAKE)
    for surname in ["Aalders", "Bakker", "Claes", "Dekker", "Evers", "Faber"]:
        register_report(intake, house, persons=[person_data(surname=surname)])
    log_in(page, member(house, Role.MANAGER))

    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerncijfers")
    assert_accessible(page, "kerncijfers")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV", exact=True).first.click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    assert len(text.splitlines()) >= 2 and ";" in text.splitlines()[0]  # a header and rows, Dutch Excel separator
    assert "Bakker" not in text  # aggregates only

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Alle tabellen (Excel)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()), read_only=True)
    assert len(workbook.sheetnames) > 1
