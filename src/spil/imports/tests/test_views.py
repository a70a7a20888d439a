"""The import pages: upload, preview, confirm, progress, and who sees a batch."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.imports import rows, services
from spil.imports.columns import columns
from spil.imports.models import BatchStatus, ImportBatch, ImportKind
from spil.imports.testing import csv_bytes, report_row, upload_file
from spil.logbook.models import AuditRecord
from spil.organisations.models import Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def post_file(client, house, content: bytes, kind=ImportKind.REPORTS, name="lijst.csv"):
    return client.post(reverse("imports:index"), {"house": house.pk, "kind": kind, "file": upload_file(content, name)})


def test_upload_preview_confirm_and_the_imported_meldingen(client, house, intake_worker, partner):
    client.force_login(intake_worker)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert reverse("imports:sample", args=["detentiemeldingen", "xlsx"]) in page.content.decode()
    assert "Er zijn nog geen imports." in page.content.decode()

    response = post_file(client, house, csv_bytes([report_row(partner, achternaam="Voorbeeldig")]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[batch.pk])
    detail = client.get(response.url).content.decode()
    assert "Voorbeeldig" in detail and "1 melding importeren" in detail
    assert AuditRecord.objects.filter(detail__contains=f"Bulkimport {batch.number}", detail__endswith="ingezien").exists()

    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED
    detail = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    number = batch.imported_rows.get().report.number
    assert reverse("intake:detail", args=[number]) in detail and "Voorbeeldig" not in detail  # the preview is gone


def test_errors_are_shown_with_their_rows_and_the_file_can_be_corrected(client, house, intake_worker, partner):
    client.force_login(intake_worker)
    post_file(client, house, csv_bytes([report_row(partner), report_row(partner, geboortedatum="32-01-1990")]))
    batch = ImportBatch.objects.get()
    detail = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "Rij 3, kolom geboortedatum: &#x27;32-01-1990&#x27; is geen geldige datum" in detail
    assert reverse("imports:confirm", args=[batch.pk]) not in detail

    post_file(client, house, csv_bytes([report_row(partner), report_row(partner, geboortedatum="31-01-1990")]))
    assert ImportBatch.objects.filter(status=BatchStatus.VALIDATED).exists()


def test_a_file_uploaded_before_is_refused_with_a_link_to_the_earlier_import(client, house, intake_worker, partner):
    client.force_login(intake_worker)
    content = csv_bytes([report_row(partner)])
    post_file(client, house, content)
    earlier = ImportBatch.objects.get()
    page = post_file(client, house, content, name="opnieuw.csv").content.decode()
    assert "Dit bestand is al geüpload als" in page and reverse("imports:detail", args=[earlier.pk]) in page
    assert ImportBatch.objects.count() == 1


def test_a_file_that_cannot_be_read_is_an_error_beside_the_field(client, house, intake_worker):
    client.force_login(intake_worker)
    page = post_file(client, house, b"\xd0\xcf\x11\xe0", name="oud.xls").content.decode()
    assert "Oude Excel-bestanden (.xls) worden niet ondersteund" in page
    assert not ImportBatch.objects.exists()


def test_progress_is_polled_while_the_worker_runs_and_the_page_reloads_when_done(client, house, intake_worker, partner, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1
    client.force_login(intake_worker)
    batch = services.upload(
        actor=intake_worker,
        house=house,
        kind=ImportKind.REPORTS,
        uploaded=upload_file(csv_bytes([report_row(partner), report_row(partner, voornamen="Piet")])),
    )
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    url = reverse("imports:progress", args=[batch.pk])

    detail = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert f'hx-get="{url}"' in detail and "Voortgang vernieuwen" in detail  # polls with htmx, a link without it
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'hx-trigger="every 2s"' in fragment.content.decode()
    assert client.get(url).status_code == 302  # without htmx: the whole page

    services.run(batch.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_another_house_never_sees_a_batch(client, house, other_house, intake_worker, partner):
    batch = services.upload(
        actor=intake_worker,
        house=house,
        kind=ImportKind.REPORTS,
        uploaded=upload_file(csv_bytes([report_row(partner, achternaam="Geheim")])),
    )
    stranger = member(other_house, Role.INTAKE, Role.BACK_OFFICE)
    client.force_login(stranger)
    for name in ["detail", "progress"]:
        assert client.get(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    for name in ["confirm", "discard"]:
        assert client.post(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    index = client.get(reverse("imports:index")).content.decode()
    assert batch.number not in index and "Geheim" not in index
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED

    colleague = member(house, Role.BACK_OFFICE)
    client.force_login(colleague)
    assert "Geheim" in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()


def test_without_the_role_the_import_pages_are_forbidden(client, house, regisseur):
    client.force_login(regisseur)
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:sample", args=["meldingen", "csv"])).status_code == 403
    assert reverse("imports:index") not in client.get(reverse("intake:inbox")).content.decode()


def test_the_samples_hold_exactly_the_columns_of_their_kind(client, house, intake_worker):
    from openpyxl import load_workbook

    client.force_login(intake_worker)
    for kind in ImportKind:
        names = [column.name for column in columns(kind)]
        csv_sample = client.get(reverse("imports:sample", args=[kind.value, "csv"]))
        assert csv_sample["Content-Disposition"].startswith("attachment")
        content = b"".join(csv_sample.streaming_content) if csv_sample.streaming else csv_sample.content
        header = content.decode("utf-8-sig").strip().split(";")
        assert header == names
        rows.check_header(kind, header)  # every column known, none missing or repeated

        xlsx_sample = client.get(reverse("imports:sample", args=[kind.value, "xlsx"]))
        workbook = load_workbook(io.BytesIO(xlsx_sample.content), read_only=True)
        first, explanation = workbook.worksheets
        assert [cell for cell in next(first.iter_rows(values_only=True))] == names
        assert len(list(explanation.iter_rows(values_only=True))) == len(names) + 1
    assert client.get(reverse("imports:sample", args=["onbekend", "csv"])).status_code == 404
    assert client.get(reverse("intake:inbox")).content.decode().count(reverse("imports:index")) == 1


def test_the_list_of_imports_costs_the_same_queries_however_many_there_are(client, house, intake_worker, partner):
    client.force_login(intake_worker)

    def add(count, start):
        for i in range(count):
            services.upload(
                actor=intake_worker,
                house=house,
                kind=ImportKind.REPORTS,
                uploaded=upload_file(csv_bytes([report_row(partner, voornamen=f"P{start + i}")])),
            )

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("imports:index")).status_code == 200
        return len(context)

    add(2, 0)
    few = queries()
    add(6, 2)
    assert queries() == few
