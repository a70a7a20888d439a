"""Django's PostgreSQL backend with one addition: work that runs just before a transaction commits.

Django's `on_commit` runs after the commit, outside the transaction. `before_commit` runs inside it, as its last
statements: the processing log's chains take their partition's lock there (`logbook.chain`), so the lock is held for
the few milliseconds of the commit instead of the whole request. A callback is dropped with the savepoint or the
transaction it was registered in, exactly as `on_commit`'s are.
"""

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_before_commit = []  # (savepoint ids, order, callback)

    def before_commit(self, func, *, order=()):
        """Run `func` just before the open transaction commits; callbacks run sorted by `order`, then as registered
        (callbacks that take locks give the lock's key, so every transaction takes them in the same order)."""
        if not self.in_atomic_block:
            raise RuntimeError("before_commit() needs an open transaction (transaction.atomic)")
        self.run_before_commit.append((set(self.savepoint_ids), order, func))

    def commit(self):
        pending, self.run_before_commit = self.run_before_commit, []
        try:
            for _sids, _order, func in sorted(pending, key=lambda entry: entry[1]):
                func()
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
