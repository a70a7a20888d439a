"""Working days for the minutes term: not a Saturday, Sunday or a public holiday of the Algemene termijnenwet
(art. 3: Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, tweede Pinksterdag, Koningsdag, 5 mei en beide Kerstdagen)."""

import datetime
import functools


def easter(year: int) -> datetime.date:
    """Easter Sunday (Gregorian calendar; anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lam = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lam) // 451
    month, day = divmod(h + lam - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@functools.cache
def holidays(year: int) -> frozenset[datetime.date]:
    sunday = easter(year)
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday the 26th
        kings_day = datetime.date(year, 4, 26)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            sunday + datetime.timedelta(days=1),
            sunday + datetime.timedelta(days=39),
            sunday + datetime.timedelta(days=50),
            kings_day,
            datetime.date(year, 5, 5),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
        }
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (the day itself does not count)."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
