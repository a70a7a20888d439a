"""The monitor's pages: who sees them, the exports read back, the half-year PDF and a bounded number of queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.monitor.models import ManagementText, Snapshot
from spil.monitor.tests.conftest import PERIOD, at
from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report

pytestmark = pytest.mark.django_db

QUERY = f"?van={PERIOD[0]}&tot={PERIOD[1]}"


def test_roles_that_see_the_dashboard_and_those_that_do_not(client, house, other_house):
    for role in [Role.MANAGER, Role.BACK_OFFICE, Role.STEERING_GROUP]:
        client.force_login(member(house, role))
        page = client.get(reverse("monitor:dashboard"))
        assert page.status_code == 200 and "ZVH Parkstad" in page.content.decode()
        assert 'href="/monitor/"' in page.content.decode()  # menu item
    for role in [Role.INTAKE, Role.PROCESS_DIRECTOR, Role.PRIVACY_OFFICER, Role.PROFESSIONAL]:
        client.force_login(member(house, role))
        assert client.get(reverse("monitor:dashboard")).status_code == 403


def test_a_manager_cannot_select_another_house_and_the_landelijk_role_sees_every_house(client, house, other_house):
    client.force_login(member(house, Role.MANAGER))
    page = client.get(reverse("monitor:dashboard") + f"?huis={other_house.pk}")
    assert "ZVH Noord-Limburg" not in page.content.decode()
    assert client.get(reverse("monitor:report", args=[other_house.pk, 2024, 2])).status_code == 404
    client.force_login(member(house, Role.NATIONAL_MONITOR))
    page = client.get(reverse("monitor:dashboard")).content.decode()
    assert "Alle 2 Zorg- en Veiligheidshuizen" in page and "Kerncijfers per Zorg- en Veiligheidshuis" in page
    assert client.get(reverse("monitor:report", args=[other_house.pk, 2024, 2])).status_code == 200


def test_the_dashboard_shows_no_person_or_dossier(client, house, dataset, manager):
    # The page names the logged-in manager: a generated surname may hold "Berg", the persons' surname.
    manager.first_name, manager.last_name = "Anna", "Smit"
    manager.save(update_fields=["first_name", "last_name"])
    client.force_login(manager)
    page = client.get(reverse("monitor:dashboard") + QUERY).content.decode()
    assert "Berg" not in page and "C-2025-" not in page and "M-2025-" not in page
    assert "&lt; 5" in page and "Politie Limburg" in page


def test_csv_and_xlsx_exports_read_back_with_the_suppression(client, house, dataset, manager):
    client.force_login(manager)
    response = client.get(reverse("monitor:export", args=["meldingen-bron", "csv"]) + QUERY)
    assert (
        response["Content-Disposition"] == 'attachment; filename="meldingen-per-melder-organisatie-kerncijfers-2025-01-01-2025-06-30.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Melder", "Meldingen"], ["Politie Limburg", "x"], ["GGZ Mondriaan", "< 5"], ["Totaal", "9"]]

    response = client.get(reverse("monitor:export", args=["alle-tabellen", "xlsx"]) + QUERY)
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Doorlooptijden (kalenderdagen)" in workbook.sheetnames
    lead = [list(row) for row in workbook["Doorlooptijden (kalenderdagen)"].iter_rows(values_only=True)]
    assert lead[0] == ["Doorlooptijd", "Aantal", "Mediaan", "90e percentiel"]
    assert ["Melding → weging", 6, 3.5, 15] in lead
    cases = [list(row) for row in workbook["Casussen per aanpak"].iter_rows(values_only=True)]
    assert cases[1:] == [["Persoonsgerichte Aanpak (PGA)", 6, 5, "< 5"], ["Totaal", 6, 5, "x"]]

    assert client.get(reverse("monitor:export", args=["onbekend", "csv"]) + QUERY).status_code == 404
    assert client.get(reverse("monitor:export", args=["alle-tabellen", "csv"]) + QUERY).status_code == 404


def _texts(box):
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_the_half_year_report_has_the_managers_text_and_the_figures(client, house, dataset, manager):
    client.force_login(manager)
    with clock.travel_to(at(datetime.date(2025, 7, 10))):
        url = reverse("monitor:report-text", args=[house.pk, 2025, 1])
        assert client.post(url, {"text": "Meer meldingen van de politie.\n\nDe doorlooptijd daalt."}).status_code == 302
        text = ManagementText.objects.get(house=house, year=2025, half=1)
        # A second manager's form was opened before the first saved: refused, not overwritten.
        stale = client.post(url, {"text": "Oud", "version": ""})
        assert "gewijzigd door een ander" in stale.content.decode()
        pdf = client.get(reverse("monitor:report-pdf", args=[house.pk, 2025, 1]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert pdf["Content-Disposition"] == f'attachment; filename="halfjaarrapportage-{house.code}-2025-1.pdf"'
        page = client.get(reverse("monitor:report", args=[house.pk, 2025, 1]))
    # The PDF's text, as WeasyPrint lays it out from the same template and context.
    from weasyprint import HTML

    html = render_to_string("monitor/pdf/report.html", {**page.context, "printed_at": clock.now()})
    document = HTML(string=html).render()
    words = " ".join(text for p in document.pages for text in _texts(p._page_box))
    for expected in [
        "Halfjaarrapportage ZVH Parkstad",
        "Meer meldingen van de politie.",
        "De doorlooptijd daalt.",
        "Melding → weging",
        "3,5",
        "Per maand, met dezelfde maand een jaar eerder",
        "< 5",
    ]:
        assert expected in words, expected
    assert text.version == 1


def test_only_the_manager_writes_the_text_and_not_for_a_half_year_to_come(client, house):
    client.force_login(member(house, Role.STEERING_GROUP))
    with clock.travel_to(at(datetime.date(2025, 7, 10))):
        assert client.get(reverse("monitor:report", args=[house.pk, 2025, 1])).status_code == 200
        assert client.get(reverse("monitor:report-text", args=[house.pk, 2025, 1])).status_code == 403
        client.force_login(member(house, Role.MANAGER))
        assert client.get(reverse("monitor:report", args=[house.pk, 2026, 1])).status_code == 404


def _add_cases(house, director, count):
    pga = CaseType.objects.get(code="pga")
    for _ in range(count):
        report = register_report(director, house, persons=[person_data()])
        case = case_services.open_case(
            actor=director,
            house=house,
            case_type=pga,
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=director,
        )
        case_services.close_case(case, actor=director, result="doel_bereikt", note="", expected_version=case.version)


def test_the_dashboard_query_count_does_not_grow_with_the_number_of_cases(client, house, other_house):
    """When it computes the figures (no snapshot yet); reading a snapshot: test_snapshots."""
    director = member(house, Role.PROCESS_DIRECTOR, Role.INTAKE)
    client.force_login(member(house, Role.NATIONAL_MONITOR))
    _add_cases(house, director, 2)

    def queries():
        Snapshot.objects.all().delete()
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("monitor:dashboard")).status_code == 200
        return len(context)

    few = queries()
    _add_cases(house, director, 12)
    assert queries() == few
