"""The figures Spil computes, checked against the seed documents."""

import datetime
from decimal import Decimal

import pytest

from spil.finance import calculations, numbers, seed


def parkstad_2025():
    populations = [(name, population) for name, (population, _) in seed.PARKSTAD_CONTRIBUTION_TABLE.items()]
    return calculations.split_contribution(seed.PARKSTAD_CONTRIBUTION, populations)


@pytest.mark.parametrize("municipality", seed.PARKSTAD_CONTRIBUTION_TABLE)
def test_every_municipalitys_contribution_equals_the_seed(municipality):
    rows = {row.municipality: row for row in parkstad_2025().rows}
    assert rows[municipality].amount == seed.PARKSTAD_CONTRIBUTION_TABLE[municipality][1]


def test_the_contribution_table_shows_the_rounding_difference_instead_of_hiding_it():
    table = parkstad_2025()
    assert table.population == 256_180
    assert table.total == Decimal("1658940")
    assert table.sum_of_amounts == Decimal("1658941")
    assert table.rounding_difference == Decimal("1")
    assert table.per_inhabitant_cents == Decimal("6.48")


def test_percentages_are_computed_from_the_populations_not_copied_from_the_seed():
    rows = {row.municipality: row.percentage.quantize(Decimal("0.1")) for row in parkstad_2025().rows}
    # The seed prints 33.9 % for Heerlen; 87,461 of 256,180 inhabitants is 34.1 %.
    assert rows == {
        "Heerlen": Decimal("34.1"),
        "Kerkrade": Decimal("17.7"),
        "Beekdaelen": Decimal("14.0"),
        "Landgraaf": Decimal("14.5"),
        "Simpelveld": Decimal("4.0"),
        "Voerendaal": Decimal("4.8"),
        "Brunssum": Decimal("10.8"),
    }
    assert sum(row.percentage for row in parkstad_2025().rows) == pytest.approx(Decimal(100))


def test_a_contribution_that_divides_evenly_has_no_rounding_difference():
    table = calculations.split_contribution(Decimal("300"), [("A", 1), ("B", 2)])
    assert [row.amount for row in table.rows] == [Decimal("100"), Decimal("200")]
    assert table.rounding_difference == 0


def test_amounts_are_rounded_half_up_to_whole_euros():
    table = calculations.split_contribution(Decimal("5"), [("A", 1), ("B", 1)])
    assert [row.amount for row in table.rows] == [Decimal("3"), Decimal("3")]
    assert table.rounding_difference == Decimal("1")


def test_version_amounts_spread_into_columns_with_differences():
    assert calculations.spread([Decimal(10), Decimal(15), None]) == [Decimal(10), Decimal(15), Decimal(5), None, Decimal(-15)]


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [(1, (2025, 1, 1), (2025, 4, 1)), (2, (2025, 4, 1), (2025, 7, 1)), (3, (2025, 7, 1), (2025, 10, 1)), (4, (2025, 10, 1), (2026, 1, 1))],
)
def test_quarters(quarter, start, end):
    assert calculations.quarter_dates(2025, quarter) == (datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("1658940"), "€\xa01.658.940,00"), (Decimal("-174507"), "€\xa0-174.507,00"), (Decimal("6.475"), "€\xa06,48"), (None, "PM")],
)
def test_money_is_shown_the_dutch_way(value, shown):
    assert numbers.euro(value) == shown


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.658.940,00", Decimal("1658940.00")),
        ("€ 1.658.940", Decimal("1658940")),
        ("1658940", Decimal("1658940")),
        ("6,48", Decimal("6.48")),
        ("6.48", Decimal("6.48")),
        ("1.500", Decimal("1500")),
        ("0,4", Decimal("0.4")),
        ("-174.507", Decimal("-174507")),
        ("", None),
        ("PM", None),
    ],
)
def test_numbers_are_typed_the_dutch_way(typed, value):
    assert numbers.parse(typed) == value


@pytest.mark.parametrize("typed", ["12,34,56", "1.2.3", "abc", "1,5a"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        numbers.parse(typed)
