"""Values a request reads once and keeps while it has changed nothing: a user's access reasons, the actor's
organisation in the logs. A page asks for them many times (its lists, counts, menu items and log lines), and so does a
registration (its permission check, the person matching, the hit/no-hit question, its log lines).

A GET, HEAD or OPTIONS request grants or revokes nothing and moves nobody to another organisation, so what it read
stays true while it runs. Any other request keeps them only until it first writes: from then on it may have granted
or revoked access, and it reads them afresh each time, also after a rollback (`KeptPerRequestMiddleware`). Work outside
a request (commands, tasks) runs long and reads afresh each time.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

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
    """`read()`, once per request for each key while the request has written nothing; every time elsewhere."""
    values = _kept.get()
    if values is None:
        return read()
    if key not in values:
        values[key] = read()
    return values[key]


@contextmanager
def kept_until_written():
    """Keep values (`kept`) until the first statement that may change them: for work that reads the same access values
    several times before it writes (a POST, a registration)."""
    with kept_for_request(), connection.execute_wrapper(_stop_keeping_on_write):
        yield


# Statements that change nothing kept. A SELECT that calls a function which writes (the log chains' heads) and the log's
# COPY (which does not pass here) change no access either; a savepoint's rollback may.
_UNCHANGING = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT")


def _stop_keeping_on_write(execute, sql, params, many, context):
    if _kept.get() is not None and not sql.lstrip(" \t\n(").startswith(_UNCHANGING):  # "(SELECT …) UNION (SELECT …)"
        _kept.set(None)
    return execute(sql, params, many, context)


class KeptPerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with kept_for_request() if request.method in READING_METHODS else kept_until_written():
            return self.get_response(request)
