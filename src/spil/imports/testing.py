"""Import files for tests and the authorization matrix, made in memory."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from spil.core import clock
from spil.imports import services
from spil.imports.models import ImportKind
from spil.persons.bsn import check_digit


def bsns(count: int, start: int = 10_000_000):
    """`count` different valid BSNs (11-proef)."""
    found, head = [], start
    while len(found) < count:
        digit = check_digit(f"{head:08d}")
        if digit is not None:
            found.append(f"{head:08d}{digit}")
        head += 1
    return found


def report_row(partner, **overrides) -> dict:
    """One row of a 'meldingen' file, as a user would type it."""
    row = {
        "ontvangen_op": clock.today().strftime("%d-%m-%Y"),
        "melder_organisatie": partner.name,
        "naam_melder": "A. Wijkagent",
        "kanaal": "telefoon",
        "thema": "pga",
        "aanleiding": "Herhaaldelijk overlast en zorgen over de thuissituatie.",
        "hulpvraag": "Procesregie op zorg en veiligheid.",
        "voornamen": "Jan",
        "tussenvoegsel": "van der",
        "achternaam": "Berg",
        "geboortedatum": "17-05-1990",
        "gemeente": "Heerlen",
    }
    row.update(overrides)
    return row


def detention_row(partner, **overrides) -> dict:
    """One row of a 'detentiemeldingen' file."""
    row = {
        "ontvangen_op": clock.today().strftime("%d-%m-%Y"),
        "melder_organisatie": partner.name,
        "naam_melder": "Medewerker MMD",
        "voornamen": "Piet",
        "achternaam": "Jansen",
        "geboortedatum": "02-02-1985",
        "gemeente": "Heerlen",
        "article": "art-18",
        "establishment": "PI Limburg Zuid",
        "detention_start": "01-09-2025",
        "expected_release": "15-06-2026",
        "offence_category": "ernstig-geweld",
        "adult": "ja",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, delimiter: str = ";", bom: bool = True) -> bytes:
    header = list(dict.fromkeys(name for row in rows for name in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] for row in rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    header = list(dict.fromkeys(name for row in rows for name in row))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(content: bytes, name: str = "meldingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def matrix_world(users, *, house, other_house, settings, tmp_path) -> dict:
    """A checked batch waiting for confirmation in each house (tests/test_authorization_matrix.py)."""
    from spil.testing.factories import PartnerFactory

    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")
    partner = PartnerFactory(name="Politie (bulkimport)")
    batches = []
    for user, house_, surname in [(users["intake"], house, "Import"), (users["intake_other_house"], other_house, "Elders")]:
        content = csv_bytes([report_row(partner, achternaam=surname, gemeente="")])
        batches.append(services.upload(actor=user, house=house_, kind=ImportKind.REPORTS, uploaded=upload_file(content)))
    return {"import_batch": batches}
