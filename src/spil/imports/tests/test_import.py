"""Bulk import: a file is checked as a whole, then every row becomes a melding, or none does."""

import datetime
import io
import zipfile

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.imports import services
from spil.imports.models import BatchStatus, ImportBatch, ImportedRow, ImportKind
from spil.imports.testing import bsns, csv_bytes, detention_row, report_row, upload_file, xlsx_bytes
from spil.intake.models import Channel, Report
from spil.logbook.models import Action, ProcessingRecord
from spil.persons.models import Person
from spil.testing.clamd import EICAR, FakeClamd, unreachable_address
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db


def upload(actor, house, rows, *, kind=ImportKind.REPORTS, fmt="csv", **options):
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, **options)
    return services.upload(actor=actor, house=house, kind=kind, uploaded=upload_file(content, f"lijst.{fmt}"))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def problems(batch) -> list[str]:
    return [str(error) for error in batch.errors.all()]


def test_a_semicolon_csv_from_dutch_excel_becomes_one_melding_per_row(
    intake_worker, house, partner, upload_root, django_capture_on_commit_callbacks
):
    [bsn] = bsns(1)
    rows = [
        report_row(partner, bsn=bsn, ontvangen_op="01-03-2026", kanaal="E-mail", strafrechtelijk_kader="ja", rol="betrokkene"),
        report_row(
            partner,
            voornamen="Anna",
            tussenvoegsel="",
            achternaam="de Vries",
            geboortedatum="1988-11-30",
            gemeente="GM0917",
            thema="Consult & Advies (C&A)",
            ontvangen_op="2026-03-02",
        ),
    ]
    with clock.travel_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        batch = upload(intake_worker, house, rows)
        assert batch.status == BatchStatus.VALIDATED and batch.row_count == 2 and not problems(batch)
        assert batch.file_format == "csv" and len(list(upload_root.iterdir())) == 1
        assert batch.preview["rows"][1]["cells"][batch.preview["columns"].index("achternaam")] == "de Vries"
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.confirm(batch, actor=intake_worker)

    assert batch.status == BatchStatus.IMPORTED and batch.rows_imported == 2
    first, second = (row.report for row in ImportedRow.objects.filter(batch=batch).select_related("report"))
    assert first.house == house and first.source_partner == partner and first.received_on == datetime.date(2026, 3, 1)
    assert first.channel == Channel.EMAIL and first.criminal_law and first.form == "algemeen" and first.created_by == intake_worker
    person = first.persons.get()
    assert (person.bsn, person.first_names, person.surname_prefix, person.surname) == (bsn, "Jan", "van der", "Berg")
    assert person.birth_date == datetime.date(1990, 5, 17) and person.municipality.name == "Heerlen"
    assert first.report_persons.get().relation == "betrokkene"
    assert second.requested_case_type.code == "consult-advies" and second.persons.get().birth_date == datetime.date(1988, 11, 30)
    # Provenance in the melding's timeline; the service wrote the processing log of each melding.
    assert Event.objects.filter(report=first, text__startswith=f"Ingelezen uit bulkimport {batch.number}, rij 2").exists()
    assert ProcessingRecord.objects.filter(action=Action.CREATE, object_ref=second.number).count() == 1
    # The file and the preview are gone once imported.
    assert not list(upload_root.iterdir()) and batch.preview == [] and batch.cleared_at is not None


def test_an_xlsx_file_of_detention_notices_uses_the_detention_form(intake_worker, house, prison, django_capture_on_commit_callbacks):
    [bsn] = bsns(1)
    row = detention_row(
        prison,
        bsn=int(bsn),
        geboortedatum=datetime.datetime(1985, 2, 2),
        detention_start=datetime.datetime(2025, 9, 1),
        ontvangen_op=clock.today(),
    )
    batch = upload(intake_worker, house, [row], kind=ImportKind.DETENTION, fmt="xlsx")
    assert batch.status == BatchStatus.VALIDATED, problems(batch)
    assert batch.file_format == "xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(batch, actor=intake_worker)

    report = ImportedRow.objects.get(batch=batch).report
    assert report.form == "detentie"
    assert report.requested_case_type.code == "nazorg" and report.channel == Channel.EMAIL  # the form's defaults
    assert report.details["detention_start"] == "2025-09-01" and report.details["offence_category"] == "ernstig-geweld"
    assert report.details["adult"] is True
    assert report.reason.startswith("Detentiemelding") and report.request
    assert report.persons.get().bsn == bsn and report.persons.get().birth_date == datetime.date(1985, 2, 2)


def test_a_comma_separated_csv_without_byte_order_mark_is_read_too(intake_worker, house, partner):
    batch = upload(intake_worker, house, [report_row(partner, aanleiding="Zorgen, overlast en schulden")], delimiter=",", bom=False)
    assert batch.status == BatchStatus.VALIDATED, problems(batch)
    assert batch.preview["rows"][0]["cells"][batch.preview["columns"].index("aanleiding")] == "Zorgen, overlast en schulden"


def test_every_problem_of_every_row_is_listed_in_dutch_and_nothing_is_imported(intake_worker, house, partner):
    before = Report.objects.count()
    rows = [
        report_row(partner),
        report_row(partner, geboortedatum="31-02-1980", bsn="123456789"),
        report_row(partner, melder_organisatie="Onbekende Stichting", gemeente="Atlantis", voornamen=""),
        report_row(partner, thema="pga-radicalisering", kanaal="postduif", strafrechtelijk_kader="misschien"),
        report_row(partner, postcode="6411 ABCD", ontvangen_op="2099-01-01"),
    ]
    batch = upload(intake_worker, house, rows)

    assert batch.status == BatchStatus.REJECTED
    assert problems(batch) == [
        "Rij 3, kolom geboortedatum: '31-02-1980' is geen geldige datum (dd-mm-jjjj of jjjj-mm-dd).",
        "Rij 3, kolom bsn: '123456789' is geen geldig BSN (9 cijfers die voldoen aan de 11-proef).",
        "Rij 4, kolom melder_organisatie: 'Onbekende Stichting' is geen bekende ketenpartner in Spil.",
        "Rij 4, kolom voornamen: is verplicht maar leeg.",
        "Rij 4, kolom gemeente: 'Atlantis' is geen bekende gemeente (naam of CBS-code, zoals GM0917).",
        "Rij 5, kolom kanaal: 'postduif' is geen kanaal (kies uit telefoon, email, formulier, overleg, koppeling, anders).",
        "Rij 5, kolom thema: PGA radicalisering is afgeschermd en kan niet via een import worden ingelezen; registreer deze melding afzonderlijk.",
        "Rij 5, kolom strafrechtelijk_kader: 'misschien' is geen ja of nee.",
        "Rij 6, kolom postcode: '6411 ABCD' is te lang: hoogstens 7 tekens, nu 9.",
        "Rij 6, kolom ontvangen_op: De datum van ontvangst kan niet in de toekomst liggen.",
    ]
    assert batch.file_key == "" and Report.objects.count() == before
    with pytest.raises(IllegalTransition):
        services.confirm(batch, actor=intake_worker)


def test_the_detention_forms_fields_are_checked_by_the_channel(intake_worker, house, prison):
    rows = [detention_row(prison, article="art-99", detention_start="01-09-2025", expected_release="01-01-2025", establishment="")]
    batch = upload(intake_worker, house, rows, kind=ImportKind.DETENTION)
    assert batch.status == BatchStatus.REJECTED
    found = problems(batch)
    assert any(text.startswith("Rij 2, kolom article: 'Soort detentiemelding' heeft een onbekende waarde 'art-99'") for text in found), (
        found
    )
    assert "Rij 2, kolom establishment: 'Penitentiaire inrichting' is verplicht." in found
    assert any(text.startswith("Rij 2, kolom expected_release: 'Verwachte datum vrijlating' kan niet vóór") for text in found), found


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Het bestand is leeg."),
        (
            csv_bytes([{"voornamen": "Jan", "achternaam": "Berg"}]),
            "Deze verplichte kolommen ontbreken: ontvangen_op, melder_organisatie, naam_melder, thema, aanleiding, hulpvraag.",
        ),
        (b"\xd0\xcf\x11\xe0oud", "Oude Excel-bestanden (.xls) worden niet ondersteund."),
        ("naam;datum\n".encode("utf-16"), "Dit bestand kan niet worden gelezen."),
        (b"PK\x03\x04kapot", "Dit bestand kan niet worden gelezen."),
        (_zip({"document.txt": b"geen werkmap"}), "Dit bestand kan niet worden gelezen."),  # a zip, but no XLSX
        (b"naam;datum\n\x00\x00", "Dit bestand kan niet worden gelezen."),  # text with NULs is no CSV
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole_is_refused_without_a_batch(intake_worker, house, content, message):
    with pytest.raises(DomainError) as refused:
        services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    assert refused.value.message.startswith(message)
    assert not ImportBatch.objects.exists()


def test_unknown_and_repeated_columns_refuse_the_file(intake_worker, house, partner):
    content = csv_bytes([{**report_row(partner), "geboorte_datum": "1-1-1990"}]).replace(b"gemeente", b"thema", 1)
    with pytest.raises(DomainError) as refused:
        services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    assert "Deze kolommen zijn onbekend: geboorte_datum." in refused.value.message
    assert "Deze kolommen staan er meer dan eens in: thema." in refused.value.message


def test_a_bad_row_at_the_end_of_10000_rows_is_named_and_nothing_is_imported(intake_worker, house, partner):
    rows = [report_row(partner, bsn=bsn, voornamen=f"Persoon{i}") for i, bsn in enumerate(bsns(10_000))]
    rows[-1]["geboortedatum"] = "31-02-1980"
    before = (Report.objects.count(), Person.objects.count())
    with CaptureQueriesContext(connection) as queries:
        batch = upload(intake_worker, house, rows)

    assert len(queries) < 30  # the lookups are loaded once: no query per row
    assert batch.status == BatchStatus.REJECTED and batch.row_count == 10_000
    assert problems(batch) == ["Rij 10.001, kolom geboortedatum: '31-02-1980' is geen geldige datum (dd-mm-jjjj of jjjj-mm-dd)."]
    assert (Report.objects.count(), Person.objects.count()) == before
    with pytest.raises(IllegalTransition):
        services.confirm(batch, actor=intake_worker)


def test_a_row_the_service_refuses_at_import_rolls_back_every_melding_of_the_file(
    intake_worker, house, partner, upload_root, django_capture_on_commit_callbacks
):
    tomorrow = clock.now() + datetime.timedelta(days=1)
    rows = [report_row(partner, voornamen=f"Persoon{i}") for i in range(5)]
    rows.append(report_row(partner, voornamen="Laatste", ontvangen_op=clock.local_text(tomorrow, "%d-%m-%Y")))
    # Checked on a day the last date was today: the preview sees no problem.
    with clock.travel_to(tomorrow):
        batch = upload(intake_worker, house, rows)
    assert batch.status == BatchStatus.VALIDATED, problems(batch)
    before = (Report.objects.count(), Person.objects.count(), Event.objects.count(), ProcessingRecord.objects.count())

    # Imported today: register_report refuses the last row after five meldingen were registered.
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.confirm(batch, actor=intake_worker)

    assert batch.status == BatchStatus.FAILED and batch.rows_imported == 0
    assert problems(batch) == ["Rij 7: De datum van ontvangst kan niet in de toekomst liggen."]
    assert (Report.objects.count(), Person.objects.count(), Event.objects.count(), ProcessingRecord.objects.count()) == before
    assert not ImportedRow.objects.exists() and not Person.objects.filter(first_names__startswith="Persoon").exists()
    assert not list(upload_root.iterdir())  # the file is removed after a failure too
    with pytest.raises(IllegalTransition):
        services.confirm(batch, actor=intake_worker)


def test_the_same_file_is_never_imported_twice_into_a_house(intake_worker, house, other_house, partner):
    from spil.organisations.models import Role
    from spil.testing.factories import member

    content = csv_bytes([report_row(partner)])
    first = services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    with pytest.raises(services.AlreadyUploaded) as again:
        services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content, "andere-naam.csv"))
    assert again.value.batch == first and first.number in again.value.message

    services.confirm(first, actor=intake_worker)
    with pytest.raises(services.AlreadyUploaded):
        services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    # Another house may import the same file into its own register.
    elsewhere = member(other_house, Role.INTAKE)
    assert (
        services.upload(actor=elsewhere, house=other_house, kind=ImportKind.REPORTS, uploaded=upload_file(content)).status
        == BatchStatus.VALIDATED
    )


def test_a_cancelled_file_may_be_uploaded_again_and_the_database_refuses_two_live_batches(intake_worker, house, partner):
    content = csv_bytes([report_row(partner)])
    first = services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    services.discard(first, actor=intake_worker)
    second = services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content))
    assert second.status == BatchStatus.VALIDATED

    # Two uploads at the same moment both pass the check; the partial unique constraint lets one of them win.
    copy = ImportBatch.objects.get(pk=second.pk)
    copy.pk, copy.number = None, "I-2026-999999"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_cancelling_removes_the_file_and_the_preview(intake_worker, house, partner, upload_root, django_capture_on_commit_callbacks):
    batch = upload(intake_worker, house, [report_row(partner)])
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.discard(batch, actor=intake_worker)
    assert batch.status == BatchStatus.CANCELLED and batch.preview == [] and batch.file_key == ""
    assert not list(upload_root.iterdir())
    with pytest.raises(IllegalTransition):
        services.confirm(batch, actor=intake_worker)


def test_refused_and_unconfirmed_batches_lose_their_data_after_a_week(
    intake_worker, house, partner, upload_root, django_capture_on_commit_callbacks
):
    waiting = upload(intake_worker, house, [report_row(partner)])
    refused = upload(intake_worker, house, [report_row(partner, geboortedatum="gisteren")])
    recent = upload(intake_worker, house, [report_row(partner, voornamen="Nieuw")])
    recent.uploaded_at = clock.now() + datetime.timedelta(days=3)
    recent.save()
    assert refused.errors.exists()

    with clock.travel_to(clock.now() + datetime.timedelta(days=services.KEEP_DAYS, hours=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.clear_expired() == 2

    waiting.refresh_from_db()
    refused.refresh_from_db()
    assert waiting.status == BatchStatus.CANCELLED and waiting.preview == [] and waiting.file_key == ""
    assert refused.status == BatchStatus.REJECTED and refused.preview == [] and not refused.errors.exists()
    assert [path.name for path in upload_root.iterdir()] == [ImportBatch.objects.get(pk=recent.pk).file_key]


def test_only_intake_and_the_back_office_of_the_house_may_import(house, partner, regisseur):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(regisseur, house, [report_row(partner)])


def test_restricted_themes_are_not_imported_so_colleagues_may_see_every_batch(intake_worker, house, partner):
    assert CaseType.objects.filter(code="zoco-mensenhandel", restricted=True).exists()
    batch = upload(intake_worker, house, [report_row(partner, thema="zoco-mensenhandel")])
    assert batch.status == BatchStatus.REJECTED
    assert "is afgeschermd en kan niet via een import worden ingelezen" in problems(batch)[0]


def test_every_file_is_scanned_before_it_is_read_and_an_infected_one_is_refused(intake_worker, house, partner, upload_root, settings):
    def upload_rows(content: bytes, name="meldingen.csv"):
        return services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(content, name))

    unscanned = upload_rows(csv_bytes([report_row(partner)]))
    assert unscanned.scan_status == "niet_gescand"  # no scanner configured; the batch page says so
    clamd = FakeClamd()
    settings.SPIL_CLAMD_ADDRESS = clamd.address
    try:
        clean = csv_bytes([report_row(partner, achternaam="Schoon")])
        scanned = upload_rows(clean)
        assert scanned.scan_status == "gescand" and clamd.received == [clean]
        with pytest.raises(DomainError, match="Eicar-Test-Signature"):
            upload_rows(EICAR, "eicar.csv")
    finally:
        clamd.close()
    settings.SPIL_CLAMD_ADDRESS = unreachable_address()
    with pytest.raises(DomainError, match="niet op virussen worden gescand"):
        upload_rows(csv_bytes([report_row(partner, achternaam="Anders")]))
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {unscanned.pk, scanned.pk}
    assert {path.name for path in upload_root.iterdir()} == {unscanned.file_key, scanned.file_key}
