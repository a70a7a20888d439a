"""Signals as the rows of a list (Mijn werk, the house's signals): the columns the table shows and, for the
processing log, their case as a case-list row (`cases.rows`), rather than model instances with their cases, case types
and persons joined and prefetched.
"""

import datetime
from dataclasses import dataclass

from spil.cases.rows import CaseRow, case_rows
from spil.deadlines import registry, urgency
from spil.deadlines.models import Signal


@dataclass(frozen=True, slots=True)
class SignalRow:
    pk: int
    kind: str
    due: datetime.datetime
    title: str
    url: str
    urgency: urgency.Urgency
    case: CaseRow | None

    @property
    def kind_label(self) -> str:
        kind = registry.kinds().get(self.kind)
        return kind.label if kind else self.kind


# The columns a row is made of, in the order `signal_rows_with_cases` takes them.
COLUMNS = ("pk", "kind", "due", "title", "url", "case_id")


def signal_rows(ids: list[int], now: datetime.datetime) -> list[SignalRow]:
    """The signals of `ids` as rows, in the order of `ids`, with their urgency at `now`. The ids must come from a query
    with the user's visibility rule (`web.listing`); a signal about a case is visible exactly when its case is."""
    values = {row[0]: row for row in Signal.objects.filter(pk__in=ids).order_by().values_list(*COLUMNS)} if ids else {}
    return signal_rows_with_cases([values[pk] for pk in ids if pk in values], now, [])[0]


def signal_rows_with_cases(values: list[tuple], now: datetime.datetime, case_ids: list[int]) -> tuple[list[SignalRow], list[CaseRow]]:
    """Signals as rows from their `COLUMNS` values (read with the visibility rule), in that order, and the cases of
    `case_ids` (ids from a query with the visibility rule) as rows in that order, read together with the signals'
    cases: for a page that lists both (Mijn werk), one read of cases and their persons."""
    signal_case_ids = [case_id for *_, case_id in values if case_id is not None]
    cases = {row.pk: row for row in case_rows(list(dict.fromkeys([*case_ids, *signal_case_ids])))}
    rows = [SignalRow(pk, kind, due, title, url, urgency.of(due, now), cases.get(case_id)) for pk, kind, due, title, url, case_id in values]
    return rows, [cases[pk] for pk in case_ids if pk in cases]
