"""Signals as the rows of a list (Mijn werk, the house's signals): the columns the table shows and, for the
processing log, their case as a case-list row (`cases.rows`), rather than model instances with their cases, case types
and persons joined and prefetched.
"""

import datetime
from dataclasses import dataclass

from spil.cases.models import Case
from spil.cases.rows import CaseRow, case_rows
from spil.deadlines import registry, urgency


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


def signal_rows(queryset, ids: list[int], now: datetime.datetime) -> list[SignalRow]:
    """The signals of `ids` as rows, in the order of `ids`, read through `queryset` (its visibility rule), with their
    urgency at `now`."""
    if not ids:
        return []
    values = queryset.filter(pk__in=ids).order_by().values_list("pk", "kind", "due", "title", "url", "case_id")
    signals = {row[0]: row for row in values}
    # A signal about a case is visible exactly when its case is (policy.visible_signals), so the cases of the signals
    # just read are read without compiling the cases' visibility rule a second time.
    case_ids = [row[-1] for row in signals.values() if row[-1] is not None]
    cases = {row.pk: row for row in case_rows(Case.objects.all(), case_ids)}
    return [
        SignalRow(pk, kind, due, title, url, urgency.of(due, now), cases.get(case_id))
        for pk, kind, due, title, url, case_id in (signals[pk] for pk in ids if pk in signals)
    ]
