"""Business rules of a case: opening, op- en afschalen, phases, roles, closing and reopening."""

import datetime

from django.db import transaction

from spil.access import policy
from spil.core import clock
from spil.cases.models import AveChange, Case, CaseStatus, ClosingResult
from spil.core.errors import DomainError, IllegalTransition
from spil.core.numbering import next_number
from spil.core.versioning import save_versioned
from spil.organisations.models import Role
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.triage.models import AveLevel


def _require_open(case: Case, what: str) -> None:
    if not case.is_open:
        raise IllegalTransition(f"Een gesloten casus kan niet {what}; heropen de casus eerst.")


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise DomainError("Geef een reden op.")


def _check_member(user, house, roles: set[str], label: str) -> None:
    if user is not None and not user.memberships.filter(house=house, role__in=roles).exists():
        raise DomainError(f"{user.get_full_name() or user} is geen {label} van {house}.")


def _due(days: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=days)


@transaction.atomic
def open_case(*, actor, house, case_type, report, persons, ave_level: int, reason: str, process_director=None) -> Case:
    """Open a case (from a triage decision); its first phase and AVE level are recorded in its history."""
    _check_member(process_director, house, {Role.PROCESS_DIRECTOR}, "procesregisseur")
    if not persons:
        raise DomainError("Een casus gaat over minstens één persoon.")
    phase = case_type.first_phase
    now = clock.now()
    case = Case.objects.create(
        number=next_number("C", now.year),
        house=house,
        case_type=case_type,
        report=report,
        process_director=process_director,
        phase=phase,
        phase_due_on=_due(phase.lead_time_days),
        ave_level=AveLevel(ave_level),
        opened_at=now,
    )
    case.persons.set(persons)
    AveChange.objects.create(case=case, from_level=None, to_level=ave_level, reason=reason, changed_by=actor, changed_at=now)
    origin = f" naar aanleiding van melding {report.number}" if report else ""
    record(actor=actor, kind=EventKind.CASE_OPENED, case=case, text=f"Casus {case.number} ({case_type}) geopend{origin}, fase '{phase}', AVE {ave_level}.")
    if report:
        record(actor=actor, kind=EventKind.CASE_OPENED, report=report, text=f"Casus {case.number} ({case_type}) geopend.")
    if process_director:
        record(actor=actor, kind=EventKind.ROLE, case=case, text=f"Procesregisseur: {process_director.get_full_name()}.")
    return case


@transaction.atomic
def change_ave(case: Case, *, actor, to_level: int, reason: str, expected_version: int) -> Case:
    """Op- of afschalen: a new AVE level, always with a reason."""
    policy.require(actor, "case.direct", case.house)
    _require_open(case, "worden op- of afgeschaald")
    _require_reason(reason)
    to_level = AveLevel(to_level)
    if to_level == case.ave_level:
        raise IllegalTransition(f"De casus staat al op {to_level.label}.")
    change = AveChange(case=case, from_level=case.ave_level, to_level=to_level, reason=reason, changed_by=actor, changed_at=clock.now())
    case.ave_level = to_level
    save_versioned(case, expected_version, ["ave_level"])
    change.save()
    record(actor=actor, kind=EventKind.AVE, case=case, text=f"{change.direction.capitalize()} van AVE {change.from_level} naar AVE {to_level}: {reason}")
    return case


@transaction.atomic
def change_phase(case: Case, *, actor, phase, note: str, expected_version: int) -> Case:
    policy.require(actor, "case.direct", case.house)
    _require_open(case, "van fase wisselen")
    if phase.case_type_id != case.case_type_id:
        raise IllegalTransition(f"Fase '{phase}' hoort niet bij {case.case_type}.")
    if phase.pk == case.phase_id:
        raise IllegalTransition(f"De casus is al in fase '{phase}'.")
    previous = case.phase
    case.phase = phase
    case.phase_due_on = _due(phase.lead_time_days)
    save_versioned(case, expected_version, ["phase", "phase_due_on"])
    text = f"Fase van '{previous}' naar '{phase}'."
    record(actor=actor, kind=EventKind.PHASE, case=case, text=f"{text} {note}".strip())
    return case


@transaction.atomic
def assign_directors(case: Case, *, actor, process_director, case_director, expected_version: int) -> Case:
    policy.require(actor, "case.assign", case.house)
    _require_open(case, "van regisseur wisselen")
    _check_member(process_director, case.house, {Role.PROCESS_DIRECTOR}, "procesregisseur")
    _check_member(case_director, case.house, {Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR}, "casusregisseur")
    changes = []
    for field, label, user in [
        ("process_director", "Procesregisseur", process_director),
        ("case_director", "Casusregisseur", case_director),
    ]:
        if getattr(case, f"{field}_id") != (user.pk if user else None):
            setattr(case, field, user)
            changes.append((field, f"{label}: {user.get_full_name() if user else 'niemand'}."))
    if not changes:
        return case
    save_versioned(case, expected_version, [field for field, _ in changes])
    for _, text in changes:
        record(actor=actor, kind=EventKind.ROLE, case=case, text=text)
    return case


@transaction.atomic
def add_note(case: Case, *, actor, text: str) -> None:
    policy.require(actor, "case.direct", case.house)
    _require_reason(text)
    record(actor=actor, kind=EventKind.NOTE, case=case, text=text)


@transaction.atomic
def close_case(case: Case, *, actor, result: str, note: str, expected_version: int) -> Case:
    policy.require(actor, "case.close", case.house)
    _require_open(case, "opnieuw worden gesloten")
    result = ClosingResult(result)
    if result == ClosingResult.OTHER and not note.strip():
        raise DomainError("Licht het resultaat 'anders' toe.")
    case.status = CaseStatus.CLOSED
    case.closed_at = clock.now()
    case.closing_result = result
    case.closing_note = note
    save_versioned(case, expected_version, ["status", "closed_at", "closing_result", "closing_note"])
    record(actor=actor, kind=EventKind.CLOSED, case=case, text=f"Casus gesloten met resultaat '{result.label}'. {note}".strip())
    return case


@transaction.atomic
def reopen_case(case: Case, *, actor, reason: str, expected_version: int) -> Case:
    policy.require(actor, "case.close", case.house)
    if case.is_open:
        raise IllegalTransition("Deze casus is al open.")
    _require_reason(reason)
    previous = case.get_closing_result_display()
    case.status = CaseStatus.OPEN
    case.closed_at = None
    case.closing_result = ""
    case.closing_note = ""
    save_versioned(case, expected_version, ["status", "closed_at", "closing_result", "closing_note"])
    record(actor=actor, kind=EventKind.REOPENED, case=case, text=f"Casus heropend (was gesloten met '{previous}'): {reason}")
    return case
