"""`spil.core.uploads`: files are checked by content, stored under a random name outside the web root."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spil.core import uploads
from spil.core.errors import DomainError

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


def test_too_large_and_empty_files_are_refused(upload_root, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 10)
    with pytest.raises(DomainError, match="groter dan"):
        uploads.store(SimpleUploadedFile("plan.pdf", b"%PDF-" + b"x" * 20))
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
