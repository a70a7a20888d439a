"""Uploaded files (signed agreements, later other attachments): stored outside the web root, served only by views.

- Files live under `settings.SPIL_UPLOAD_ROOT` with a random name (`<2 hex>/<32 hex>`); the name the user gave is
  metadata only and never touches the file system.
- Only PDF, PNG and JPEG are accepted, recognised by their first bytes (not by the name or the browser's claim),
  up to `MAX_BYTES`.
- An app keeps the metadata in its own model that extends the abstract `StoredFile`, and serves the file through
  a view that fetched that row from a `visible_to(user)` queryset and wrote the processing log, with `download()`
  (always `Content-Disposition: attachment`, so the browser never renders it in Spil's origin).
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models
from django.http import FileResponse

from spil.core import clock
from spil.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024

# First bytes of each accepted type; the content type we store and serve is derived from these, never from the upload.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
]
ACCEPTED = ", ".join(label for *_, label in SIGNATURES)


@dataclass(frozen=True)
class Stored:
    key: str
    original_name: str
    content_type: str
    size: int


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
    name = Path(name or "").name.strip().replace("\x00", "")
    return name[-200:] or "bestand"


def store(uploaded) -> Stored:
    """Check and store an uploaded file (a Django `UploadedFile`); raise DomainError with a Dutch reason."""
    if uploaded is None:
        raise DomainError("Kies een bestand.")
    if uploaded.size > MAX_BYTES:
        raise DomainError(f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB.")
    if uploaded.size == 0:
        raise DomainError("Het bestand is leeg.")
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
    with open(path, "xb") as out:
        for chunk in uploaded.chunks():
            written += len(chunk)
            if written > MAX_BYTES:
                out.close()
                path.unlink(missing_ok=True)
                raise DomainError(f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB.")
            out.write(chunk)
    return Stored(key=key, original_name=_clean_name(uploaded.name), content_type=content_type, size=written)


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

    class Meta:
        abstract = True

    @classmethod
    def from_stored(cls, stored: Stored, *, uploaded_by, **fields):
        return cls(
            file_key=stored.key,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            uploaded_by=uploaded_by,
            **fields,
        )

    def download(self) -> FileResponse:
        response = FileResponse(open(_path(self.file_key), "rb"), as_attachment=True, filename=self.original_name)
        response["Content-Type"] = self.content_type
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
