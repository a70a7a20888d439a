"""Loaded with `-p` before pytest-django reads the settings: tests get a throw-away embedded PostgreSQL.

Set DATABASE_URL (or SPIL_PGDATA) yourself to test against another server.
"""

import os
import tempfile

if "DATABASE_URL" not in os.environ and "SPIL_PGDATA" not in os.environ:
    os.environ["SPIL_PGDATA"] = tempfile.mkdtemp(prefix="spil-test-pgdata-")
    os.environ["SPIL_PGDATA_CLEANUP"] = "delete"
