"""Urgency of a signal, from its due moment and the current time: verlopen, vandaag, deze week, later.

Computed in the database (annotation, filter, counts), so lists sort and count without loading every signal.
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


def annotate(queryset, now: datetime.datetime):
    whens = [models.When(condition, then=models.Value(str(urgency))) for urgency, condition in conditions(now).items()]
    return queryset.annotate(urgency=models.Case(*whens, output_field=models.CharField()))


def counts(queryset, now: datetime.datetime) -> dict[str, int]:
    """How many signals of each urgency, in one query: keys 'overdue', 'today', 'this_week', 'later' and 'total'."""
    aggregates = {Urgency(urgency).name.lower(): Count("pk", filter=condition) for urgency, condition in conditions(now).items()}
    return queryset.order_by().aggregate(total=Count("pk"), **aggregates)
