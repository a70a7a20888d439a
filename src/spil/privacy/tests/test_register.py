import csv
import io

import pytest
from django.urls import reverse

from spil.logbook.models import AuditRecord, ProcessingActivity, ProcessingRecord
from spil.web.exports import Table, csv_bytes

pytestmark = pytest.mark.django_db


def test_the_register_lists_every_activity_with_its_case_types(client, officer):
    client.force_login(officer)
    page = client.get(reverse("privacy:register")).content.decode()
    for activity in ProcessingActivity.objects.all():
        assert activity.name in page
    assert "Afhandeling van verzoeken van betrokkenen" in page
    assert "Persoonsgerichte Aanpak (PGA)" in page


def test_the_csv_export_opens_in_dutch_excel(client, officer):
    client.force_login(officer)
    response = client.get(reverse("privacy:register-export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # byte-order mark: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == ProcessingActivity.objects.count()
    procesregie = next(row for row in rows if row["Code"] == "procesregie")
    assert procesregie["Bewaartermijn (jaren na afsluiten)"] == "5"
    assert "PGA" in procesregie["Casustypen"] and "Grondslag" in rows[0]
    rights = next(row for row in rows if row["Code"] == "rechten-betrokkenen")
    assert "AVG art. 15" in rights["Verwerkingsactiviteit"] and rights["Casustypen"] == ""


def test_the_pdf_export_is_a_pdf(client, officer):
    client.force_login(officer)
    response = client.get(reverse("privacy:register-export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_unknown_export_format_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get(reverse("privacy:register-export", args=["xlsx"])).status_code == 404


def test_viewing_the_register_is_not_a_processing_of_personal_data(client, officer):
    client.force_login(officer)
    client.get(reverse("privacy:register"))
    client.get(reverse("privacy:register-export", args=["csv"]))
    assert not ProcessingRecord.objects.exists() and not AuditRecord.objects.exists()


def test_csv_cells_that_look_like_formulas_are_neutralised():
    text = csv_bytes(Table("t", ["a", "b"], [['=HYPERLINK("http://x")', "gewoon; met puntkomma"]])).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "gewoon; met puntkomma"]
