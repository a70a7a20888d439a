"""Values a reading request reads once and keeps until it ends: a user's access reasons, the actor's organisation in
the logs. A page asks for them many times (its lists, counts, menu items and log lines).

A GET, HEAD or OPTIONS request grants or revokes nothing and moves nobody to another organisation, so what it read
stays true while it runs (`KeptPerReadingRequestMiddleware`). Any other request may change them before it shows the
result, and work outside a request (commands, tasks) runs long: both read afresh each time.
"""

from contextlib import contextmanager
from contextvars import ContextVar

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_kept: ContextVar[dict | None] = ContextVar("kept_for_request", default=None)


@contextmanager
def kept_for_request():
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def kept(key, read):
    """`read()`, once per reading request for each key; every time elsewhere."""
    values = _kept.get()
    if values is None:
        return read()
    if key not in values:
        values[key] = read()
    return values[key]


class KeptPerReadingRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with kept_for_request():
            return self.get_response(request)
