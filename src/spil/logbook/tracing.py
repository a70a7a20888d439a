"""W3C trace context: one trace per request (continued from an incoming `traceparent`), one span per logged action.

The current trace lives in a context variable, so services log under the request's trace without passing it
around; work outside a request (commands, tasks) gets a fresh trace of its own.
"""

import contextlib
import contextvars
import re
import secrets
import datetime
from dataclasses import dataclass, field

from spil.core import clock
from spil.logbook import chain

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class Trace:
    trace_id: str
    span_id: str  # the span of the request (or command) itself
    parent_span_id: str = ""  # the caller's span, when continued from a traceparent
    started_at: datetime.datetime = field(default_factory=clock.now)  # when the request's work began

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"


def new_span_id() -> str:
    return secrets.token_hex(8)


def new_trace(traceparent: str | None = None) -> Trace:
    """Continue a valid incoming traceparent, or start a new trace (an all-zero id is invalid per the spec)."""
    match = TRACEPARENT.match((traceparent or "").strip().lower())
    if match and set(match[1]) != {"0"} and set(match[2]) != {"0"}:
        return Trace(trace_id=match[1], span_id=new_span_id(), parent_span_id=match[2])
    return Trace(trace_id=secrets.token_hex(16), span_id=new_span_id())


_current: contextvars.ContextVar[Trace | None] = contextvars.ContextVar("spil_trace", default=None)
_request: contextvars.ContextVar["RequestInfo | None"] = contextvars.ContextVar("spil_request", default=None)


@dataclass(frozen=True)
class RequestInfo:
    """Where a request came from, for the security audit log; read lazily because login changes the session."""

    request: object

    @property
    def ip_address(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") or None

    @property
    def session_key(self) -> str | None:
        session = getattr(self.request, "session", None)
        return session.session_key if session is not None else None


def current_request() -> RequestInfo | None:
    return _request.get()


def bench_log_off() -> bool:
    """The performance harness's request to serve this request without the processing log (only honoured in
    SPIL_BENCH_MODE, which production refuses): `log_overhead_ratio` compares the dossier with and without it."""
    info = _request.get()
    return info is not None and info.request.headers.get("X-Spil-Bench-Log") == "off"


def current() -> Trace:
    trace = _current.get()
    if trace is None:
        trace = new_trace()
        _current.set(trace)
    return trace


@contextlib.contextmanager
def traced(traceparent: str | None = None):
    token = _current.set(new_trace(traceparent))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


class TraceMiddleware:
    """Every request runs in its own trace; the response tells the caller which (`traceparent` header). Its log
    records join their chains when its transaction commits (`chain.appended_at_commit`).

    A refused request (403, or 404 from an object the user may not see) goes to the security audit log; this
    runs after the view's transaction was rolled back, so the record stays.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(RequestInfo(request))
        try:
            with traced(request.headers.get("traceparent")) as trace, chain.appended_at_commit():
                request.trace = trace
                response = self.get_response(request)
                response["traceparent"] = trace.traceparent
                return response
        finally:
            _request.reset(token)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from spil.logbook.models import AuditEvent
        from spil.logbook.services import audit

        if isinstance(exception, (PermissionDenied, Http404)) and getattr(request, "user", None) is not None:
            status = 403 if isinstance(exception, PermissionDenied) else 404
            audit(AuditEvent.DENIED, user=request.user, detail=f"{status} {request.method} {request.path}")
        return None
