"""Django's PostgreSQL backend with one addition: work that runs just before a transaction commits.

Django's `on_commit` runs after the commit, outside the transaction. `before_commit` runs inside it, as its last
statements: the processing log's chains take their partition's lock there (`logbook.chain`), so the lock is held for
the few milliseconds of the commit instead of the whole request. What was registered is dropped with the savepoint or
the transaction it was registered in, exactly as `on_commit`'s callbacks are.
"""

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_before_commit = []  # (savepoint ids, key, item, flush)

    def before_commit(self, flush, item, *, key):
        """Just before the open transaction commits, call `flush(items)` once for each key, in key order, with the
        items registered under that key in the order they came. A key that names a lock keeps every transaction taking
        its locks in the same order; one call per key lets the work of a whole transaction go in one statement."""
        if not self.in_atomic_block:
            raise RuntimeError("before_commit() needs an open transaction (transaction.atomic)")
        self.run_before_commit.append((set(self.savepoint_ids), key, item, flush))

    def commit(self):
        self.validate_no_atomic_block()  # before the work is taken off the list: a refused commit keeps it
        pending, self.run_before_commit = self.run_before_commit, []
        batches = {}
        for _sids, key, item, flush in pending:
            batches.setdefault(key, (flush, []))[1].append(item)
        try:
            for key in sorted(batches):
                flush, items = batches[key]
                flush(items)
        except BaseException:
            self.rollback()  # nothing of a transaction whose last statements failed may commit
            raise
        super().commit()

    def rollback(self):
        self.run_before_commit = []
        super().rollback()

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        self.run_before_commit = [entry for entry in self.run_before_commit if sid not in entry[0]]

    def close(self):
        self.run_before_commit = []
        super().close()

    def connect(self):
        self.run_before_commit = []
        super().connect()
