"""Progress of a background import, visible while its one transaction is still open.

The import writes thousands of meldingen in a single transaction, so nothing it does is visible to others until it
commits: a progress counter written in that transaction would jump from 0 to done. The counter is therefore written
through a second database connection of its own, in autocommit mode, to `ImportProgress` (a row of its own, committed
when the batch was created). The import's transaction never touches that row and the counter never touches the
batch row the import holds locked, so neither waits for the other. If the import rolls back, the counter simply
stops short; the batch's status (written by the import's transaction, or after its rollback) is what counts.
"""

import time

from django.db import DEFAULT_DB_ALIAS, connections

from spil.core import clock
from spil.imports.models import ImportProgress

EVERY_ROWS = 25
EVERY_SECONDS = 1.0


class ProgressWriter:
    """`with ProgressWriter(batch_id) as progress: ... progress(done)`; writes at most every few rows or a second."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.written = -1
        self.written_at = 0.0
        self._db = None

    def __enter__(self):
        self._db = connections.create_connection(DEFAULT_DB_ALIAS)  # not the thread's connection: autocommit
        self.write(0)
        return self

    def __exit__(self, *exc_info):
        self._db.close()
        self._db = None

    def __call__(self, done: int, *, final: bool = False) -> None:
        due = done - self.written >= EVERY_ROWS or time.monotonic() - self.written_at >= EVERY_SECONDS
        if final or due:
            self.write(done)

    def write(self, done: int) -> None:
        with self._db.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportProgress._meta.db_table} SET done = %s, updated_at = %s WHERE batch_id = %s",
                [done, clock.now(), self.batch_id],
            )
        self.written, self.written_at = done, time.monotonic()
