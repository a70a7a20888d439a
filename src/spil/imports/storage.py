"""Where an uploaded import file waits between the preview and the import: under `SPIL_UPLOAD_ROOT/imports/`, outside
the web root, with a random name (the user's file name is metadata only), readable by Spil's user alone. Never
served back: the batch page shows what Spil read from it. Removed once imported, cancelled or expired.
"""

import os
import re
import secrets
from pathlib import Path

from spil.core import uploads

KEY = re.compile(r"^[0-9a-f]{32}$")


def _path(key: str) -> Path:
    # Keys are made here (hex only); anything else could point outside the directory.
    if not KEY.match(key):
        raise ValueError("invalid import file key")
    return uploads.root() / "imports" / key


def store(data: bytes) -> str:
    key = secrets.token_hex(16)
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return key


def read(key: str) -> bytes:
    return _path(key).read_bytes()


def remove(key: str) -> None:
    if key:
        _path(key).unlink(missing_ok=True)
