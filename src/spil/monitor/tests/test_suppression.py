"""Small counts are shown as "< 5", and nothing on the page lets a reader work them out from a total."""

import pytest

from spil.monitor.suppression import HIDDEN, count, protect, total

S = "< 5"


@pytest.mark.parametrize(
    "values, shown, total_hidden",
    [
        ([7, 9, 0], [7, 9, 0], False),  # nothing small: unchanged, zero is zero
        ([10, 3], [HIDDEN, S], False),  # one small cell: total - 10 would give it, so 10 is hidden too
        ([10, 3, 2], [10, S, S], False),  # two small cells summing to 5: could be 1+4, 2+3, 3+2, 4+1
        ([10, 1, 1], [HIDDEN, S, S], False),  # 1+1: both exact from the total, so the 10 is hidden too
        ([20, 10, 4, 4], [20, HIDDEN, S, S], False),  # 4+4: both exact (the maximum), the smallest other hides
        ([5, 1], [HIDDEN, S], True),  # 6 = 5 + 1 is the only way: the total must go as well
        ([3], [S], True),
    ],
)
def test_primary_and_secondary_suppression(values, shown, total_hidden):
    protected = protect(values, 5)
    assert protected.cells == shown
    assert protected.total_hidden is total_hidden


def test_threshold_is_configurable(settings):
    settings.SPIL_MONITOR_MIN_COUNT = 10
    assert count(9) == "< 10" and count(10) == 10 and count(0) == 0
    assert protect([12, 9, 8]).cells == [12, "< 10", "< 10"]


def test_a_total_is_shown_unless_it_would_reveal_a_small_cell():
    assert total(13, protect([10, 3], 5)) == 13
    assert total(6, protect([5, 1], 5)) == HIDDEN
    assert total(4, None, 5) == S
