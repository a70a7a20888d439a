"""Properties of the inwonerbijdrage and of the instalments of a plustaak, over generated amounts (Hypothesis).

No database: the distribution and the instalments are plain arithmetic on what was entered.
"""

import datetime
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import example, given
from hypothesis import strategies as st

from spil.finance import calculations
from spil.testing.properties import pure

# A total as entered (whole euros or cents, up to a billion) and the gemeenten of a house with their populations.
totals = st.decimals(min_value=0, max_value=1_000_000_000, places=2, allow_nan=False, allow_infinity=False)
populations = st.lists(
    st.tuples(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), st.integers(0, 1_000_000)),
    min_size=1,
    max_size=12,
    unique_by=lambda row: row[0],
)


@pure
@given(totals, populations)
def test_the_amounts_add_up_to_the_total_but_for_the_rounding_difference_shown(total, rows):
    table = calculations.split_contribution(total, rows)
    assert table.sum_of_amounts == sum(row.amount for row in table.rows)
    assert table.sum_of_amounts - table.rounding_difference == total
    if table.population:
        # each amount is off by at most half a euro, so together by at most half a euro per gemeente
        assert abs(table.rounding_difference) <= Decimal(len(rows)) / 2


@pure
@given(totals, populations)
def test_each_amount_is_the_exact_share_rounded_to_whole_euros(total, rows):
    table = calculations.split_contribution(total, rows)
    assert [(row.municipality, row.population) for row in table.rows] == rows
    for row in table.rows:
        assert row.amount >= 0 and row.amount == row.amount.to_integral_value()
        if table.population:
            exact = Fraction(total) * row.population / table.population
            assert abs(Fraction(row.amount) - exact) <= Fraction(1, 2)
        else:
            assert row.amount == 0


@pure
@given(totals, populations)
def test_more_inhabitants_never_pay_less_and_the_percentages_make_a_hundred(total, rows):
    table = calculations.split_contribution(total, rows)
    by_population = sorted(table.rows, key=lambda row: row.population)
    assert all(a.amount <= b.amount for a, b in zip(by_population, by_population[1:], strict=False))
    if table.population:
        # exact quotients to 28 significant digits: 100 up to the last digits
        assert abs(sum(row.percentage for row in table.rows) - 100) < Decimal("1e-20")


@pure
@given(totals, populations, st.randoms(use_true_random=False))
def test_the_order_of_the_gemeenten_does_not_change_their_amounts(total, rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    amounts = {row.municipality: row.amount for row in calculations.split_contribution(total, rows).rows}
    assert {row.municipality: row.amount for row in calculations.split_contribution(total, shuffled).rows} == amounts


@pure
@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False), st.integers(2020, 2040))
@example(Decimal("0.02"), 2020)  # three rounded quarters and the rest: the fourth was -0.01
def test_a_yearly_plustaak_is_billed_in_four_instalments_that_add_up_to_the_price(price, year):
    contract = SimpleNamespace(starts_on=datetime.date(year, 1, 1), ends_on=None, per_delivery=False, price=price)
    instalments = [line for quarter in calculations.QUARTERS for line in calculations.invoice_lines(contract, year, quarter)]
    assert len(instalments) == 4
    assert calculations.invoice_total(instalments) == price
    for line in instalments:
        assert line.amount >= 0 and line.amount == line.amount.quantize(calculations.CENT)
        assert abs(line.amount - price / 4) <= Decimal("0.015")  # a quarter, but for at most 3 half cents
