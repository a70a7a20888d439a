"""The database out of reach (stopped, restarting, network gone): a clear Dutch 503 instead of an error page.

Nothing is half written: every page runs in one transaction (ATOMIC_REQUESTS) and the partner API's handler in one of
its own (`spil.api.base.ApiView`), so whatever a request wrote before its connection was lost is rolled back by
PostgreSQL. Spil recovers by itself: a database error marks the connection unusable and Django closes it when the
request ends, and a kept connection is checked before its next use (`CONN_HEALTH_CHECKS`, `spil.conf.database`), so
the first request after the database is back gets a fresh connection. No restart is needed.

Django sends any error that no view handled to `handler500` (`spil.conf.urls`), also one raised by a middleware (e.g.
the session read at the start of a request); `server_error` answers 503 when the cause is an unreachable database,
and the usual 500 page otherwise. The partner API's own exception handler (`spil.api.problems`) asks
`is_database_unavailable` too. Neither touches the database: the page is rendered without the request's context.
With DEBUG on, Django shows its debug page instead of calling `handler500`.
"""

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("spil.web.faults")

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
API_DETAIL = "De database van Spil is tijdelijk niet bereikbaar. Er is niets opgeslagen; probeer het verzoek later opnieuw."

# SQLSTATEs that mean the server went away or is not accepting connections: class 08 (connection exception) and
# 57P01-57P03 (shut down by the administrator, crashed, starting up or shutting down). Other operational errors
# (a deadlock, a statement timeout) are faults of the request, not an outage, and stay a 500.
_SERVER_GONE = {"57P01", "57P02", "57P03"}


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached, rather than that a query failed."""
    if isinstance(exc, InterfaceError):  # the connection was closed under us
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)  # the driver's error, kept by Django's wrapper
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _SERVER_GONE


def unavailable(request, exc: BaseException) -> HttpResponse:
    """The 503 answer: problem+json for the partner API, the Dutch page for everyone else; logged without personal
    data (the URL pattern, not the path, which may hold a melding or case number)."""
    match = getattr(request, "resolver_match", None)
    logger.warning(
        "Database niet bereikbaar: 503 op %s %s (%s, sqlstate %s)",
        request.method,
        match.route if match else "-",
        type(exc).__name__,
        getattr(exc.__cause__, "sqlstate", None) or "-",
    )
    if request.path_info.startswith(API_PREFIX):
        response = HttpResponse(json.dumps(problem_body(request.path)), status=503, content_type="application/problem+json")
    else:
        response = HttpResponse(loader.render_to_string("web/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def problem_body(instance: str) -> dict:
    from spil.api.problems import PROBLEMS, TYPE_BASE

    code, title = PROBLEMS[503]
    return {"type": TYPE_BASE + code, "title": title, "status": 503, "detail": API_DETAIL, "instance": instance}


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """`handler500`: called by Django while it handles the uncaught exception, so `sys.exc_info()` holds it."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return unavailable(request, exc)
    return defaults.server_error(request, template_name)
