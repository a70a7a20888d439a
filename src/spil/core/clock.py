"""The current time, as services see it.

`travel_to` lets the demo generator write a believable past (and tests check deadlines) through the same
services, without a second code path that sets timestamps by hand.
"""

import contextlib
import contextvars
import datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar("spil_clock", default=None)


def now() -> datetime.datetime:
    return _frozen.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


def start_of_today() -> datetime.datetime:
    """Local midnight at the start of today: "from today on" as a moment, which an index on a timestamp serves (a
    `__date` condition converts every row's timestamp first)."""
    return timezone.make_aware(datetime.datetime.combine(today(), datetime.time.min))


def local_text(moment: datetime.datetime, fmt: str = "%d-%m-%Y %H:%M") -> str:
    """A moment as Dutch users read it: in local time (stored moments are UTC)."""
    return timezone.localtime(moment).strftime(fmt)


@contextlib.contextmanager
def travel_to(moment: datetime.datetime):
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
