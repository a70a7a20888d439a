"""Properties of deadline arithmetic over generated moments (Hypothesis): the urgency of a signal, date deadlines,
and the term of a huisverbod across changes of summer time."""

import datetime
import zoneinfo

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from spil.core import clock
from spil.deadlines import services, urgency
from spil.deadlines.models import Measure
from spil.deadlines.tests.conftest import open_case
from spil.deadlines.urgency import Urgency
from spil.testing.properties import pure, with_database

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
ORDER = [Urgency.OVERDUE, Urgency.TODAY, Urgency.THIS_WEEK, Urgency.LATER]

days = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31))
# Any moment, in local time; every day includes the days on which summer time starts or ends.
moments = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1), max_value=datetime.datetime(2030, 12, 31), timezones=st.just(AMSTERDAM), allow_imaginary=False
)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@pure
@given(moments, moments, moments)
def test_a_later_deadline_is_never_more_urgent(now, due, later):
    earlier, later = sorted([due, later])
    assert ORDER.index(urgency.of(earlier, now)) <= ORDER.index(urgency.of(later, now))
    assert (urgency.of(due, now) == Urgency.OVERDUE) == (due < now)


@pure
@given(days, st.integers(0, 24 * 60 * 60 * 1_000_000 - 1))
@example(datetime.date(2026, 5, 6), (23 * 3600 + 59 * 60 + 30) * 1_000_000)  # half a minute before midnight
def test_a_date_deadline_is_today_all_day_and_overdue_only_after_it(day, microseconds):
    now = local_midnight(day) + datetime.timedelta(microseconds=microseconds)
    if timezone.localdate(now) != day:  # a day of 23 hours (summer time starts) has fewer microseconds
        return
    assert urgency.of(urgency.end_of_day(day), now) == Urgency.TODAY
    assert urgency.of(urgency.end_of_day(day), local_midnight(day + datetime.timedelta(days=1))) == Urgency.OVERDUE
    assert urgency.of(urgency.end_of_day(day - datetime.timedelta(days=1)), now) == Urgency.OVERDUE


@pure
@given(moments, st.integers(1, 30))
def test_a_date_deadline_later_this_week_is_this_week_and_next_week_later(now, ahead):
    today = timezone.localdate(now)
    due_on = today + datetime.timedelta(days=ahead)
    same_week = due_on.isocalendar()[:2] == today.isocalendar()[:2]
    assert urgency.of(urgency.end_of_day(due_on), now) == (Urgency.THIS_WEEK if same_week else Urgency.LATER)


# --- The term of a huisverbod (WTH, 10 days from imposing, extendable to 28 in total) ----------------------------


@pytest.fixture
def wth_case(house, regisseur):
    with clock.travel_to(timezone.make_aware(datetime.datetime(2024, 1, 1, 9, 0))):
        return open_case(house, regisseur, "wth")


@pytest.mark.django_db
@with_database
@given(imposed_at=moments, hours_later=st.integers(0, 9 * 24))
@example(imposed_at=datetime.datetime(2026, 3, 19, 14, 0, tzinfo=AMSTERDAM), hours_later=1)  # ends after summer time starts
@example(imposed_at=datetime.datetime(2026, 10, 22, 14, 0, tzinfo=AMSTERDAM), hours_later=1)  # ends after it ends
@example(imposed_at=datetime.datetime(2024, 10, 27, 2, 0, tzinfo=AMSTERDAM), hours_later=0)  # in the repeated hour
@example(imposed_at=datetime.datetime(2027, 2, 28, 2, 0, tzinfo=AMSTERDAM), hours_later=0)  # latest end in the missing hour
def test_a_huisverbod_ends_ten_calendar_days_later_at_the_same_time_of_day(wth_case, regisseur, imposed_at, hours_later):
    """Imposed at 14:00, it ends at 14:00 ten days later, also across a change of summer time (so the term is then
    239 or 241 hours); a time of day that does not exist on the last day (02:30 when summer time starts) moves on."""
    imposed_at = imposed_at.replace(second=0, microsecond=0)
    with transaction.atomic():
        with clock.travel_to(imposed_at + datetime.timedelta(hours=hours_later)):
            measure = services.impose_measure(wth_case, actor=regisseur, imposed_at=imposed_at)
        measure = Measure.objects.get(pk=measure.pk)  # as stored
        transaction.set_rollback(True)
    imposed, ends, latest = (timezone.localtime(m) for m in [measure.imposed_at, measure.ends_at, measure.max_ends_at])
    # Compared in UTC: an ambiguous local time (the repeated hour in October) never equals another zone's (PEP 495).
    assert measure.imposed_at == imposed_at.astimezone(datetime.UTC)
    for end, term in ((ends, 10), (latest, 28)):
        # The same time of day on the last day, as a moment: where that time does not exist on that day (02:30 when
        # summer time starts) the moment is read before the change, so the measure ends at 03:30. Compared in UTC too:
        # two times in the same zone compare by their clock, and 03:30 is not 02:30 on the clock.
        same_time = datetime.datetime.combine(imposed.date() + datetime.timedelta(days=term), imposed.time(), tzinfo=AMSTERDAM)
        assert end.astimezone(datetime.UTC) == same_time.astimezone(datetime.UTC)
        assert abs((end - measure.imposed_at) - datetime.timedelta(days=term)) <= datetime.timedelta(hours=1)
