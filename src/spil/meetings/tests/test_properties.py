"""Properties of working days (the minutes term), over generated dates (Hypothesis). No database."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from spil.meetings import workdays
from spil.testing.properties import pure

DAY = datetime.timedelta(days=1)
days = st.dates(min_value=datetime.date(2014, 1, 1), max_value=datetime.date(2100, 12, 31))
counts = st.integers(0, 40)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`, counted one by one."""
    return sum(workdays.is_working_day(start + n * DAY) for n in range(1, (end - start).days + 1))


@pure
@given(days, counts)
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(day, count):
    result = workdays.add_working_days(day, count)
    assert working_days_between(day, result) == count
    if count:
        assert result > day and workdays.is_working_day(result)
    else:
        assert result == day


@pure
@given(days, counts, counts)
def test_working_days_add_up(day, first, second):
    assert workdays.add_working_days(workdays.add_working_days(day, first), second) == workdays.add_working_days(day, first + second)


@pure
@given(days, counts)
def test_a_term_never_ends_sooner_than_the_same_number_of_calendar_days(day, count):
    result = workdays.add_working_days(day, count)
    # at most 8 public holidays a year (fewer when two coincide: Hemelvaart on 5 May in 2016), so a term of n working days takes at most a few weeks more than n
    assert count * DAY <= result - day <= (count * 7 // 5 + 12) * DAY


@pure
@given(st.integers(2014, 2100))  # Koningsdag since 2014
def test_the_public_holidays_of_a_year(year):
    easter = workdays.easter(year)
    assert easter.weekday() == 6 and datetime.date(year, 3, 22) <= easter <= datetime.date(year, 4, 25)
    holidays = workdays.holidays(year)
    assert all(day.year == year for day in holidays)
    assert {datetime.date(year, 1, 1), datetime.date(year, 5, 5), datetime.date(year, 12, 25), datetime.date(year, 12, 26)} <= holidays
    assert {easter + DAY, easter + 39 * DAY, easter + 50 * DAY} <= holidays  # tweede Paasdag, Hemelvaart, tweede Pinksterdag
    kings_day = datetime.date(year, 4, 27)
    assert (kings_day in holidays) != (kings_day.weekday() == 6)  # on a Sunday, Koningsdag is the Saturday before
    assert kings_day.weekday() != 6 or kings_day - DAY in holidays
    assert not any(workdays.is_working_day(day) for day in holidays)


@pure
@given(days)
def test_weekends_are_never_working_days(day):
    if day.weekday() >= 5:
        assert not workdays.is_working_day(day)
