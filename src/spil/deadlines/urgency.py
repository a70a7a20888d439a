"""Urgency of a signal, from its due moment and the current time: verlopen, vandaag, deze week, later.

Filtered and counted in the database, so lists count without loading every signal; the rows shown get theirs from `of`.
Deadlines that are a date (a phase due on a day) are stored as the end of that day, so they are "vandaag" on the
day itself and "verlopen" only after it.
"""

import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class Urgency(models.TextChoices):
    OVERDUE = "verlopen", "Verlopen"
    TODAY = "vandaag", "Vandaag"
    THIS_WEEK = "deze-week", "Deze week"
    LATER = "later", "Later"


def _boundaries(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Start of tomorrow and start of next Monday, local time."""
    today = timezone.localdate(now)
    tomorrow = today + datetime.timedelta(days=1)
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    midnight = datetime.time.min
    return (
        timezone.make_aware(datetime.datetime.combine(tomorrow, midnight)),
        timezone.make_aware(datetime.datetime.combine(next_monday, midnight)),
    )


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A date deadline as a moment: the very end of that day (23:59:59.999999), local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def conditions(now: datetime.datetime) -> dict[str, Q]:
    tomorrow, next_monday = _boundaries(now)
    return {
        Urgency.OVERDUE: Q(due__lt=now),
        Urgency.TODAY: Q(due__gte=now, due__lt=tomorrow),
        Urgency.THIS_WEEK: Q(due__gte=tomorrow, due__lt=next_monday),
        Urgency.LATER: Q(due__gte=next_monday),
    }


def of(due: datetime.datetime, now: datetime.datetime) -> Urgency:
    tomorrow, next_monday = _boundaries(now)
    if due < now:
        return Urgency.OVERDUE
    if due < tomorrow:
        return Urgency.TODAY
    if due < next_monday:
        return Urgency.THIS_WEEK
    return Urgency.LATER


# The keys of the counts: 'total', 'overdue', 'today', 'this_week' and 'later', in this order.
COUNT_KEYS = ("total", *(urgency.name.lower() for urgency in Urgency))


def _counts(now: datetime.datetime) -> dict[str, Count]:
    """`COUNT_KEYS` with their aggregates."""
    return dict(zip(COUNT_KEYS, [Count("pk"), *(Count("pk", filter=condition) for condition in conditions(now).values())], strict=True))


def counts_sql(column: str, now: datetime.datetime) -> tuple[str, list]:
    """`_counts` written out, for a statement Django is slow to build (Mijn werk's signals, `deadlines.mine`): a window
    count over all the statement's rows for each of `COUNT_KEYS`, in that order, of the due moments in `column`; the
    SQL and its parameters."""
    tomorrow, next_monday = _boundaries(now)
    ranges = [
        (f"{column} < %s", [now]),
        (f"{column} >= %s AND {column} < %s", [now, tomorrow]),
        (f"{column} >= %s AND {column} < %s", [tomorrow, next_monday]),
        (f"{column} >= %s", [next_monday]),
    ]
    sql = ", ".join(["count(*) OVER ()", *(f"count(*) FILTER (WHERE {condition}) OVER ()" for condition, _ in ranges)])
    return sql, [param for _, params in ranges for param in params]


def counts(queryset, now: datetime.datetime) -> dict[str, int]:
    """How many signals of each urgency, in one query (keys as `_counts`)."""
    return queryset.order_by().aggregate(**_counts(now))
