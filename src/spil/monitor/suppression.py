"""Small-count suppression: no figure of the monitor may let anyone recognise a person.

Rules (threshold t = `SPIL_MONITOR_MIN_COUNT`, default 5), applied to every column of counts that adds up to a total
that is shown somewhere (the rows of a distribution):

1. **Primary**: a count from 1 to t-1 is shown as "< t". Zero is shown as 0 (it describes nobody).
2. **Secondary (subtraction)**: the hidden cells of a column, taken together, equal the total minus the shown
   cells, so that sum is known to the reader. The hidden cells must then still leave every small cell undetermined:
   while they do not, the smallest shown cell is hidden too, as "x". Without an "x" that needs at least two small
   cells whose sum is neither the minimum nor the maximum they could have (two cells of 1, or two of 4, would be
   exact); with "x" cells every small cell must still be able to be 2 or more.
3. When even hiding the whole column cannot protect a small cell (e.g. 5 and 1 with total 6), the column's total
   is hidden as well ("x").

A count that is not part of a distribution (the number behind a median) is shown as "< t" when small, and the
statistics it summarises are left out.
"""

from dataclasses import dataclass

from django.conf import settings

HIDDEN = "x"


def threshold() -> int:
    return settings.SPIL_MONITOR_MIN_COUNT


def small_label(t: int | None = None) -> str:
    return f"< {t or threshold()}"


def _safe(values: list[int], hidden: set[int], t: int) -> bool:
    small = [values[i] for i in hidden if 0 < values[i] < t]
    if not small:
        return True
    if t - 1 < 2:  # a small cell can only be 1: it is always exact once the total is known
        return False
    big = [values[i] for i in hidden if values[i] >= t]
    total, k = sum(values[i] for i in hidden), len(small)
    if big:
        return total >= k + 1 + len(big) * t
    return k >= 2 and k < total < k * (t - 1)


@dataclass(frozen=True)
class Protected:
    cells: list  # int or a marker string, in the order of the input
    total_hidden: bool


def protect(values: list[int], t: int | None = None) -> Protected:
    """The cells of one column as they may be shown."""
    t = threshold() if t is None else t
    if t <= 1:
        return Protected(list(values), False)
    hidden = {i for i, value in enumerate(values) if 0 < value < t}
    while not _safe(values, hidden, t):
        candidates = [i for i, value in enumerate(values) if i not in hidden and value > 0]
        if not candidates:
            break
        hidden.add(min(candidates, key=lambda i: (values[i], i)))
    cells = [(small_label(t) if value < t else HIDDEN) if i in hidden else value for i, value in enumerate(values)]
    return Protected(cells, not _safe(values, hidden, t))


def count(value: int, t: int | None = None):
    """One count on its own: "< t" when small."""
    t = threshold() if t is None else t
    return small_label(t) if 0 < value < t else value


def total(value: int, protected: Protected | None = None, t: int | None = None):
    """A column's total: hidden when rule 3 applies, "< t" when small."""
    if protected is not None and protected.total_hidden:
        return HIDDEN
    return count(value, t)


def is_small(value: int, t: int | None = None) -> bool:
    t = threshold() if t is None else t
    return value < t
