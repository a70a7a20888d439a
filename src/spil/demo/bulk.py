"""Loading generated rows with PostgreSQL COPY: millions of rows in minutes, where the ORM would take hours.

`Table` knows a model's columns from its metadata, so a new column with a default needs no change here. Rows are
plain dicts keyed by attribute name (`house_id`, not `house`); a missing key takes the field's default as Django
would fill it (computed once per table, not per row; "" for text, else NULL). Ids are handed out by the caller (`Table.next_id`), so rows can refer to each
other before they are written; `finish` moves the id sequences past them. Nothing else may use the database
connection while a COPY runs, so row generators must not query.
"""

import json
import random
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models


class Table:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields]
        self.columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.json_fields = {field.attname for field in self.fields if isinstance(field, models.JSONField)}
        # Read now: while a COPY runs, the connection can run nothing else (rows are often generated during it).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(model._meta.db_table)}")
            self._next_id = cursor.fetchone()[0]

    def next_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def take_ids(self, count: int) -> range:
        ids = range(self._next_id, self._next_id + count)
        self._next_id += count
        return ids

    def copy(self, rows: Iterable[dict]) -> int:
        """Write the rows with one COPY; returns how many."""
        count = 0
        defaults = list(self.defaults.items())
        with connection.cursor() as cursor:
            sql = f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({self.columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    values = [row.get(name, default) for name, default in defaults]
                    if self.json_fields:
                        values = [self._json(name, value) for (name, _default), value in zip(defaults, values, strict=True)]
                    copy.write_row(values)
                    count += 1
        return count

    def _json(self, name: str, value):
        return json.dumps(value) if name in self.json_fields and value is not None else value

    def copy_lines(self, columns: list[str], pieces: Iterable[bytes], chunk: int = 1 << 19) -> None:
        """Write ready-made COPY text: UTF-8 bytes of tab-separated lines, newline-terminated, in the order of `columns`,
        for tables where building a dict per row costs too much. A piece holds one or more whole lines. The caller
        guarantees the values need no escaping. Pieces go out in chunks of about `chunk` bytes."""
        names = ", ".join(connection.ops.quote_name(self.model._meta.get_field(name).column) for name in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({names}) FROM STDIN") as copy:
                buffer, size = [], 0
                for piece in pieces:
                    buffer.append(piece)
                    size += len(piece)
                    if size >= chunk:
                        copy.write(b"".join(buffer))
                        buffer, size = [], 0
                copy.write(b"".join(buffer))

    @contextmanager
    def deferred_indexes(self):
        """Drop the table's secondary indexes and unique constraints while a large COPY runs, and build them again
        afterwards (in the same transaction): building an index once is far cheaper than maintaining it row by row."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'", [table]
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
                [table, table],
            )
            indexes = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )

    def finish(self) -> None:
        """Move the id sequence past the ids handed out."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))",
                [table],
            )


def some_of(rng: random.Random, items: list, count: int) -> list:
    """Up to `count` different items, in constant time (`random.sample` copies the whole list on every call)."""
    return list(dict.fromkeys(items[rng.randrange(len(items))] for _ in range(count))) if items else []
