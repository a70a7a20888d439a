"""Mijn werk's signals: the most urgent of those addressed to the user and of the cases they direct, and how many there
are of each urgency, in one statement.

Written out rather than built as a queryset (`Signal.objects.open().visible_to(user).for_user(user)` with the counts as
window aggregates): Django took about 5 ms of CPU to build and compile that on every start page, several times what
PostgreSQL needs to run it (docs/performance.md, round twenty-one). The conditions are those of `for_user` and of
`policy.visible_signal_sql`; the tests compare the two forms.
"""

import datetime

from django.db import connection

from spil.access import policy
from spil.deadlines import urgency
from spil.deadlines.rows import COLUMNS

# The signal's columns in the order of `rows.COLUMNS`, then the counts.
_MOST_URGENT_SQL = """
SELECT my_signal.id, my_signal.kind, my_signal.due, my_signal.title, my_signal.url, my_signal.case_id, {counts}
  FROM (SELECT signal_id FROM deadlines_signalrecipient WHERE user_id = %s
        UNION
        SELECT directed_signal.id FROM deadlines_signal directed_signal
          JOIN cases_case directed ON directed.id = directed_signal.case_id
         WHERE (directed.process_director_id = %s OR directed.case_director_id = %s)
           AND directed_signal.resolved_at IS NULL) for_me
  JOIN deadlines_signal my_signal ON my_signal.id = for_me.signal_id
 WHERE my_signal.resolved_at IS NULL
   AND {visible}
 ORDER BY my_signal.due, my_signal.id
 LIMIT %s
"""


def most_urgent(user, now: datetime.datetime, limit: int) -> tuple[list[tuple], dict[str, int]]:
    """The `rows.COLUMNS` of the user's `limit` most urgent open signals, and the counts of all of them per urgency
    (`urgency.COUNT_KEYS`)."""
    counts, count_params = urgency.counts_sql("my_signal.due", now)
    visible, visible_params = policy.visible_signal_sql(user, "my_signal")
    with connection.cursor() as cursor:
        cursor.execute(
            _MOST_URGENT_SQL.format(counts=counts, visible=visible),
            [*count_params, user.pk, user.pk, user.pk, *visible_params, limit],
        )
        rows = cursor.fetchall()
    width = len(COLUMNS)
    totals = dict(zip(urgency.COUNT_KEYS, rows[0][width:], strict=True)) if rows else dict.fromkeys(urgency.COUNT_KEYS, 0)
    return [row[:width] for row in rows], totals
