from django.db import connection

from spil.core.models import Counter


def next_number(prefix: str, year: int) -> str:
    """Hand out the next number in a yearly series, e.g. `M-2026-000123`; gap-free under concurrency.

    One statement creates or bumps the series' counter; its row stays locked until the caller's transaction ends (a
    rolled-back registration gives its number back), so callers take the number as late as they can."""
    series = f"{prefix}-{year}"
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, value) VALUES (%s, 1) "
            f"ON CONFLICT (series) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [series],
        )
        (value,) = cursor.fetchone()
    return f"{series}-{value:06d}"
