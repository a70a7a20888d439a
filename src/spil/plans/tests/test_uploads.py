"""`spil.core.uploads`: files are checked by content, stored under a random name outside the web root."""

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spil.core import malware, uploads
from spil.core.errors import DomainError
from spil.testing.clamd import EICAR, FakeClamd, unreachable_address

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


@pytest.mark.parametrize("content, expected", [(b"%PDF-1.4 x", "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_accepted_types_are_recognised_by_their_first_bytes(upload_root, content, expected):
    stored = uploads.store(SimpleUploadedFile("scan.exe", content, content_type="application/x-msdownload"))
    assert stored.content_type == expected and stored.original_name == "scan.exe"
    assert (upload_root / stored.key).read_bytes() == content


@pytest.mark.parametrize("content", [b"<script>alert(1)</script>", b"MZ\x90\x00", b"GIF89a"])
def test_other_content_is_refused_whatever_its_name(upload_root, content):
    with pytest.raises(DomainError, match="niet geaccepteerd"):
        uploads.store(SimpleUploadedFile("plan.pdf", content, content_type="application/pdf"))
    assert not upload_root.exists() or not any(upload_root.rglob("*.*"))


def test_too_large_and_empty_files_are_refused(upload_root, settings):
    settings.SPIL_UPLOAD_MAX_MB = 1
    with pytest.raises(DomainError, match="groter dan 1 MB"):
        uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-" + b"x" * 1024 * 1024))
    uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-" + b"x" * (1024 * 1024 - 5)))  # exactly the limit
    with pytest.raises(DomainError, match="leeg"):
        uploads.store(SimpleUploadedFile("plan.pdf", b""))


def test_the_stored_name_is_random_and_the_given_name_only_metadata(upload_root):
    first = uploads.store(SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1"))
    second = uploads.store(SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1"))
    assert first.key != second.key and "passwd" not in first.key
    assert first.original_name == "passwd.pdf"
    assert (upload_root / first.key).resolve().is_relative_to(upload_root.resolve())


def test_a_key_can_never_point_outside_the_root(upload_root):
    for key in ["../x", "ab/../../etc/passwd", "zz/" + "0" * 32, "ab/" + "0" * 31]:
        with pytest.raises(ValueError):
            uploads.remove(key)


def test_stored_files_are_readable_by_spil_alone(upload_root):
    stored = uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-1"))
    assert stat.S_IMODE((upload_root / stored.key).stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "given, content_type, saved_as",
    [
        ("ondertekend plan.pdf", "application/pdf", "ondertekend plan.pdf"),
        ("plan.html", "application/pdf", "plan.html.pdf"),  # never opened as a web page
        ("foto.JPEG", "image/jpeg", "foto.JPEG"),
        ('C:\\Users\\x\\"scan"\r\nSet-Cookie: a.png', "image/png", '"scan"Set-Cookie: a.png'),
        ("", "image/png", "bestand.png"),
    ],
)
def test_the_download_name_is_the_given_name_cleaned_with_the_real_type_as_extension(given, content_type, saved_as):
    assert uploads.download_name(given, content_type) == saved_as


# --- malware scan (clamd over INSTREAM; a fake daemon stands in for ClamAV) -----------------------------------------


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.SPIL_CLAMD_ADDRESS = server.address
    yield server
    server.close()


def test_without_a_scanner_the_file_is_stored_as_not_scanned(upload_root, settings):
    settings.SPIL_CLAMD_ADDRESS = None
    stored = uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-1"))
    assert stored.scan_status == malware.ScanStatus.NOT_SCANNED


def test_with_a_scanner_the_whole_file_is_streamed_to_clamd_and_recorded_as_scanned(upload_root, clamd):
    content = b"%PDF-1.7\n" + bytes(range(256)) * 1000  # several INSTREAM chunks
    stored = uploads.store(SimpleUploadedFile("plan.pdf", content))
    assert stored.scan_status == malware.ScanStatus.CLEAN
    assert clamd.received == [content]


@pytest.mark.parametrize("name, content", [("eicar.com", EICAR), ("plan.pdf", b"%PDF-1.4\n" + EICAR)])
def test_an_infected_file_is_refused_and_not_stored(upload_root, clamd, name, content):
    with pytest.raises(malware.Infected, match="schadelijke inhoud \\(Eicar-Test-Signature\\)"):
        uploads.store(SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert not upload_root.exists() or not any(path.is_file() for path in upload_root.rglob("*"))


def test_a_configured_scanner_that_cannot_be_reached_or_fails_refuses_the_upload(upload_root, clamd, settings):
    clamd.answer = b"INSTREAM size limit exceeded. ERROR"
    with pytest.raises(malware.ScannerUnavailable, match="niet op virussen worden gescand"):
        uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-1"))
    settings.SPIL_CLAMD_ADDRESS = unreachable_address()
    with pytest.raises(malware.ScannerUnavailable):
        uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-1"))
    settings.SPIL_CLAMD_ADDRESS = "unix:/nonexistent/clamd.ctl"
    with pytest.raises(malware.ScannerUnavailable):
        uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-1"))
    assert not upload_root.exists() or not any(path.is_file() for path in upload_root.rglob("*"))
