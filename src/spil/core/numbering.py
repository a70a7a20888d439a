from django.db import connection

from spil.core.models import Counter


def next_number(prefix: str, year: int) -> str:
    """Hand out the next number in a yearly series, e.g. `M-2026-000123`; gap-free under concurrency.

    One statement creates or bumps the series' counter; its row stays locked until the caller's transaction ends (a
    rolled-back registration gives its number back), so callers take the number as late as they can."""
    (number,) = reserve_numbers(prefix, year, 1)
    return number


def reserve_numbers(prefix: str, year: int, count: int) -> list[str]:
    """`count` consecutive numbers of a yearly series in one statement, for a transaction that registers many and runs
    for minutes (a bulk import): it takes them in a short transaction of its own beforehand, so the counter is not
    locked, nor every other registration kept waiting, until it commits. Numbers it then does not use (it rolled back)
    are not given back; the caller records which they were, so the gap they leave is accounted for."""
    series = f"{prefix}-{year}"
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, value) VALUES (%s, %s) "
            f"ON CONFLICT (series) DO UPDATE SET value = {table}.value + EXCLUDED.value RETURNING value",
            [series, count],
        )
        (last,) = cursor.fetchone()
    return [f"{series}-{value:06d}" for value in range(last - count + 1, last + 1)]
