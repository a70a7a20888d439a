"""Writing the processing log for meldingen and cases: which activity applies, and whose data it was.

Intake and weging fall under the intake activity; a case under its case type's activity.
"""

from collections import defaultdict

from spil.logbook.models import Action, ProcessingActivity
from spil.logbook.services import log_processing

INTAKE_ACTIVITY = "intake-weging"


def intake_activity() -> ProcessingActivity:
    return ProcessingActivity.objects.get(code=INTAKE_ACTIVITY)


def log_report(action: Action, report, actor, persons=None) -> None:
    persons = report.persons.all() if persons is None else persons
    log_processing(action, actor=actor, activity=intake_activity(), persons=persons, object_ref=report.number)


def log_case(action: Action, case, actor, persons=None) -> None:
    persons = case.persons.all() if persons is None else persons
    log_processing(action, actor=actor, activity=case.case_type.processing_activity, persons=persons, object_ref=case.number)


def log_reports_shown(action: Action, reports, actor) -> None:
    """A list or search showed these meldingen (with their persons prefetched): one record per person."""
    persons = {person.pk: person for report in reports for person in report.persons.all()}
    if persons:
        log_processing(action, actor=actor, activity=intake_activity(), persons=persons.values(), object_ref="lijst meldingen")


def log_cases_shown(action: Action, cases, actor) -> None:
    """A list or search showed these cases (persons and case type prefetched), grouped per processing activity."""
    by_activity = defaultdict(dict)
    activities = {}
    for case in cases:
        activity = case.case_type.processing_activity
        activities[activity.pk] = activity
        by_activity[activity.pk].update({person.pk: person for person in case.persons.all()})
    for pk, persons in by_activity.items():
        log_processing(action, actor=actor, activity=activities[pk], persons=persons.values(), object_ref="lijst casussen")
