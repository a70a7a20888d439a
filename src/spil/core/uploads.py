"""Uploaded files (signed agreements, later other attachments): stored outside the web root, served only by views.

- Files live under `settings.SPIL_UPLOAD_ROOT` with a random name (`<2 hex>/<32 hex>`); the name the user gave is
  metadata only and never touches the file system.
- Only PDF, PNG and JPEG are accepted, recognised by their first bytes (not by the name or the browser's claim),
  up to `settings.SPIL_UPLOAD_MAX_MB` (`max_bytes()`). Files are written readable by Spil's user only (0600).
- Before it is stored, a file is scanned for malware by clamd when configured (`malware.py`); the outcome is kept
  with it (`scan_status`: scanned, or "niet gescand" when no scanner is configured) and shown where it is listed.
- An app keeps the metadata in its own model that extends the abstract `StoredFile`, and serves the file through
  a view that fetched that row from a `visible_to(user)` queryset and wrote the processing log, with `download()`
  (always `Content-Disposition: attachment`, so the browser never renders it in Spil's origin).
"""

import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models
from django.http import FileResponse

from spil.core import clock, malware
from spil.core.errors import DomainError
from spil.core.malware import ScanStatus

# First bytes of each accepted type; the content type we store and serve is derived from these, never from the upload.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
]
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}
ACCEPTED = ", ".join(label for *_, label in SIGNATURES)


@dataclass(frozen=True)
class Stored:
    key: str
    original_name: str
    content_type: str
    size: int
    scan_status: str


def max_bytes() -> int:
    return settings.SPIL_UPLOAD_MAX_MB * 1024 * 1024


def too_large() -> DomainError:
    return DomainError(f"Het bestand is groter dan {settings.SPIL_UPLOAD_MAX_MB} MB.")


def root() -> Path:
    return Path(settings.SPIL_UPLOAD_ROOT)


def _path(key: str) -> Path:
    # Keys are generated here (hex only); refuse anything else so a key can never point outside the root.
    head, _, tail = key.partition("/")
    if len(head) != 2 or len(tail) != 32 or not all(c in "0123456789abcdef" for c in head + tail):
        raise ValueError("invalid upload key")
    return root() / head / tail


def sniff(head: bytes) -> str | None:
    for signature, content_type, _ in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _clean_name(name: str) -> str:
    name = Path((name or "").replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # no control or format characters
    return " ".join(name.split())[-200:] or "bestand"


def download_name(name: str, content_type: str) -> str:
    """The name a file is saved under: its given name, with the extension of what it really is (a PDF named
    "x.html" is saved as "x.html.pdf", so no program opens it as something else)."""
    name = _clean_name(name)
    extensions = EXTENSIONS.get(content_type, ())
    if extensions and not name.lower().endswith(extensions):
        name = f"{name}{extensions[0]}"
    return name


def store(uploaded) -> Stored:
    """Check and store an uploaded file (a Django `UploadedFile`); raise DomainError with a Dutch reason."""
    if uploaded is None:
        raise DomainError("Kies een bestand.")
    limit = max_bytes()
    if uploaded.size > limit:
        raise too_large()
    if uploaded.size == 0:
        raise DomainError("Het bestand is leeg.")
    # Scanned first, so an infected file is refused (and logged) as such, whatever its type.
    uploaded.seek(0)
    scan_status = malware.scan(uploaded.chunks())
    uploaded.seek(0)
    content_type = sniff(uploaded.read(16))
    if content_type is None:
        raise DomainError(f"Dit soort bestand wordt niet geaccepteerd; alleen {ACCEPTED}.")
    uploaded.seek(0)
    token = secrets.token_hex(17)
    key = f"{token[:2]}/{token[2:]}"
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    # Readable by Spil's user only, and never over an existing file (O_EXCL).
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in uploaded.chunks():
            written += len(chunk)
            if written > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise too_large()
            out.write(chunk)
    return Stored(key=key, original_name=_clean_name(uploaded.name), content_type=content_type, size=written, scan_status=scan_status)


def remove(key: str) -> None:
    _path(key).unlink(missing_ok=True)


class StoredFile(models.Model):
    """Metadata of one stored upload; concrete models add what the file belongs to."""

    file_key = models.CharField(max_length=40, unique=True, editable=False)
    original_name = models.CharField("bestandsnaam", max_length=200)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField("grootte (bytes)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)
    scan_status = models.CharField("virusscan", max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def from_stored(cls, stored: Stored, *, uploaded_by, **fields):
        return cls(
            file_key=stored.key,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            scan_status=stored.scan_status,
            uploaded_by=uploaded_by,
            **fields,
        )

    def download(self) -> FileResponse:
        response = FileResponse(
            open(_path(self.file_key), "rb"), as_attachment=True, filename=download_name(self.original_name, self.content_type)
        )
        response["Content-Type"] = self.content_type
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
