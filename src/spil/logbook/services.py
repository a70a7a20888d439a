"""Writing the Logboek Dataverwerkingen and the security audit log, in the caller's transaction.

A processing of personal data and its log line commit together or not at all: if the log write fails, the
action fails (fail closed).
"""

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings

from spil.core import clock
from spil.logbook import chain, tracing
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingActivity, ProcessingRecord, Status
from spil.organisations.models import memberships_of


def pseudonym(kind: str, value) -> str:
    """A keyed, stable pseudonym: the logs never hold a BSN or a name."""
    return hmac.new(settings.LOGBOOK_PSEUDONYM_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def subject_of(person) -> str:
    return pseudonym("person", person.pk)


def log_processing(
    action: Action,
    *,
    actor,
    activity: ProcessingActivity,
    persons: Iterable,
    object_ref: str = "",
    status: Status = Status.OK,
    started_at=None,
) -> list[ProcessingRecord]:
    """One record per data subject for one action (one span), plus the audit record of who did it."""
    return log_spans(action, actor=actor, spans=[(activity.pk, persons, object_ref)], status=status, started_at=started_at)


def log_spans(action: Action, *, actor, spans: Iterable[tuple], status: Status = Status.OK, started_at=None) -> list[ProcessingRecord]:
    """Several spans of one action, each (processing activity id, persons, object_ref): e.g. a list of cases that fall
    under different processing activities. The records, and the spans' audit records, join their chains in one append
    each. The records returned have no id: the chain inserts them with COPY."""
    if settings.BENCH_MODE and tracing.bench_log_off():
        return []
    trace = tracing.current()
    ended_at = clock.now()
    records, logged_spans = [], []
    for activity_id, persons, object_ref in spans:
        span_id = tracing.new_span_id()
        shown = [
            ProcessingRecord(
                trace_id=trace.trace_id,
                span_id=span_id,
                parent_span_id=trace.span_id,
                action=action,
                status=status,
                started_at=started_at or min(trace.started_at, ended_at),
                ended_at=ended_at,
                activity_id=activity_id,
                subject=subject_of(person),
                object_ref=object_ref,
            )
            for person in persons
        ]
        if shown:
            records += shown
            logged_spans.append((span_id, f"{Action(action).label}: {object_ref}".strip(": ")))
    if records:
        organisation = _organisation_of(actor)
        chain.append(records)
        chain.append(
            [
                _audit_record(AuditEvent.REQUEST, user=actor, span_id=span_id, detail=detail, organisation=organisation)
                for span_id, detail in logged_spans
            ]
        )
    return records


def audit(event: AuditEvent, *, user=None, username: str = "", span_id: str | None = None, detail: str = "") -> AuditRecord:
    record = _audit_record(event, user=user, username=username, span_id=span_id, detail=detail, organisation=_organisation_of(user))
    chain.append([record])
    return record


def _audit_record(event: AuditEvent, *, user, username: str = "", span_id: str | None, detail: str, organisation: str) -> AuditRecord:
    trace = tracing.current()
    request = tracing.current_request()
    return AuditRecord(
        trace_id=trace.trace_id,
        span_id=span_id or trace.span_id,
        parent_span_id=trace.span_id if span_id else trace.parent_span_id,
        event=event,
        at=clock.now(),
        user=user if user is not None and user.is_authenticated else None,
        username=username or (user.get_username() if user is not None and user.is_authenticated else ""),
        organisation=organisation,
        ip_address=request.ip_address if request else None,
        session=pseudonym("session", request.session_key) if request and request.session_key else "",
        detail=detail,
    )


def _organisation_of(user) -> str:
    if user is None or not user.is_authenticated:
        return ""

    return ", ".join(sorted({organisation for _house, _role, _region, organisation in memberships_of(user)}))
