"""Loading generated rows with PostgreSQL COPY: millions of rows in minutes, where the ORM would take hours.

`Table` knows a model's columns from its metadata, so a new column with a default needs no change here. Rows are
plain dicts keyed by attribute name (`house_id`, not `house`); a missing key takes the field's default as Django
would fill it (computed once per table, not per row; "" for text, else NULL). Ids are handed out by the caller (`Table.next_id`), so rows can refer to each
other before they are written; `finish` moves the id sequences past them. Nothing else may use the database
connection while a COPY runs, so row generators must not query.
"""

import json
from collections.abc import Iterable

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

    def copy(self, rows: Iterable[dict]) -> int:
        """Write the rows with one COPY; returns how many."""
        count = 0
        names = [field.attname for field in self.fields]
        with connection.cursor() as cursor:
            sql = f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({self.columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    values = []
                    for name in names:
                        value = row[name] if name in row else self.defaults[name]
                        if name in self.json_fields and value is not None:
                            value = json.dumps(value)
                        values.append(value)
                    copy.write_row(values)
                    count += 1
        return count

    def finish(self) -> None:
        """Move the id sequence past the ids handed out."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))",
                [table],
            )
