"""Writing the processing log for meldingen and cases: which activity applies, and whose data it was.

Intake and weging fall under the intake activity; a case under its case type's activity.
"""

import functools
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import connection

from spil.cases.rows import CaseRow
from spil.core.errors import DomainError
from spil.core.kept import kept
from spil.intake.rows import ReportRow
from spil.logbook.models import Action, Status
from spil.logbook.services import log_spans

INTAKE_ACTIVITY = "intake-weging"


def intake_activity_id() -> int:
    """The id of the intake activity, which the logs of meldingen name. Written out rather than built with the ORM: the
    inbox, the person search and every registration ask for it, and Django took six times as long as the query."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM logbook_processingactivity WHERE code = %s", [INTAKE_ACTIVITY])
            return cursor.fetchone()[0]

    return kept("intake activity", read)


def log_report(action: Action, report, actor, persons=None, status: Status = Status.OK) -> None:
    persons = report.persons.all() if persons is None else persons
    log_spans(action, actor=actor, spans=[(intake_activity_id(), persons, report.number)], status=status)


def log_case(action: Action, case, actor, persons=None, status: Status = Status.OK) -> None:
    persons = case.persons.all() if persons is None else persons
    # By the activity's id: the callers need not read the processing activity with the case.
    log_spans(action, actor=actor, spans=[(case.case_type.processing_activity_id, persons, case.number)], status=status)


def failures_logged(log, action: Action = Action.UPDATE):
    """Decorate a service acting on a melding or case (its first argument): a refused attempt (a business rule or
    a missing role) is written with status 'error'. Put it outside @transaction.atomic, so the record is written
    after the service's own work was rolled back."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(subject, *args, actor, **kwargs):
            try:
                return service(subject, *args, actor=actor, **kwargs)
            except (DomainError, PermissionDenied):
                log(action, subject, actor, status=Status.ERROR)
                raise

        return wrapper

    return decorate


def log_reports_shown(action: Action, reports, actor) -> None:
    """A list or search showed these meldingen (with their persons prefetched): one record per person."""
    log_lists_shown(action, actor, reports=reports)


def log_cases_shown(action: Action, cases, actor) -> None:
    """A list or search showed these cases (persons and case type prefetched), grouped per processing activity."""
    log_lists_shown(action, actor, cases=cases)


def log_lists_shown(action: Action, actor, *, cases=(), reports=(), case_ref: str = "lijst casussen") -> None:
    """A page showed these cases and meldingen (model instances or list rows: `cases.rows`, `intake.rows`), in one or
    more lists: one record per person and processing activity, and one append to each chain for the whole page.
    `case_ref` names the cases' list in the log."""
    by_activity = defaultdict(dict)
    for case in cases:
        activity_id, persons = _activity_and_persons(case)
        by_activity[activity_id].update({person.pk: person for person in persons})
    spans = [(activity_id, persons.values(), case_ref) for activity_id, persons in by_activity.items()]
    report_persons = {person.pk: person for report in reports for person in _persons(report)}
    if report_persons:
        spans.append((intake_activity_id(), report_persons.values(), "lijst meldingen"))
    log_spans(action, actor=actor, spans=spans)


def _activity_and_persons(case) -> tuple[int, list]:
    if isinstance(case, CaseRow):
        return case.activity_id, case.persons
    return case.case_type.processing_activity_id, case.persons.all()


def _persons(report) -> list:
    return report.persons if isinstance(report, ReportRow) else report.persons.all()
