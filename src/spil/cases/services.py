"""Business rules of a case: opening, op- en afschalen, phases, roles, closing and reopening."""

import datetime

from django.db import transaction
from django.urls import reverse

from spil.access import policy
from spil.access.processing import failures_logged, log_case
from spil.cases.models import (
    EMERGENCY_ACCESS_HOURS,
    AccessLevel,
    AveChange,
    Case,
    CaseStatus,
    ClosingResult,
    EmergencyAccess,
    Review,
    TeamMember,
    TeamRole,
)
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.core.numbering import next_number
from spil.core.versioning import save_versioned
from spil.logbook.models import Action, AuditEvent
from spil.logbook.services import audit
from spil.organisations.models import Role, members
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.triage.models import AveLevel
from spil.web.models import Notification


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
    record(
        actor=actor,
        kind=EventKind.CASE_OPENED,
        case=case,
        text=f"Casus {case.number} ({case_type}) geopend{origin}, fase '{phase}', AVE {ave_level}.",
    )
    if report:
        record(actor=actor, kind=EventKind.CASE_OPENED, report=report, text=f"Casus {case.number} ({case_type}) geopend.")
    if process_director:
        _grant(case, actor=actor, user=process_director, role=TeamRole.PROCESS_DIRECTOR, access=AccessLevel.FULL)
    log_case(Action.CREATE, case, actor)
    return case


@failures_logged(log_case)
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
    record(
        actor=actor,
        kind=EventKind.AVE,
        case=case,
        text=f"{change.direction.capitalize()} van AVE {change.from_level} naar AVE {to_level}: {reason}",
    )
    log_case(Action.UPDATE, case, actor)
    return case


@failures_logged(log_case)
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
    log_case(Action.UPDATE, case, actor)
    return case


@failures_logged(log_case)
@transaction.atomic
def assign_directors(case: Case, *, actor, process_director, case_director, expected_version: int) -> Case:
    policy.require(actor, "case.assign", case.house)
    _require_open(case, "van regisseur wisselen")
    _check_member(process_director, case.house, {Role.PROCESS_DIRECTOR}, "procesregisseur")
    _check_member(case_director, case.house, {Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR}, "casusregisseur")
    changes = []
    for field, role, user in [
        ("process_director", TeamRole.PROCESS_DIRECTOR, process_director),
        ("case_director", TeamRole.CASE_DIRECTOR, case_director),
    ]:
        previous = getattr(case, field)
        if previous != user:
            setattr(case, field, user)
            changes.append((field, role, previous, user))
    if not changes:
        return case
    save_versioned(case, expected_version, [field for field, *_ in changes])
    for _, role, previous, user in changes:
        if previous is not None:
            _revoke(case.team.active().filter(user=previous, role=role), actor=actor, reason=f"Niet langer {role.label.lower()}")
        if user is not None:
            _grant(case, actor=actor, user=user, role=role, access=AccessLevel.FULL)
    log_case(Action.UPDATE, case, actor)
    return case


@failures_logged(log_case)
@transaction.atomic
def add_note(case: Case, *, actor, text: str) -> None:
    policy.require(actor, "case.direct", case.house)
    _require_reason(text)
    record(actor=actor, kind=EventKind.NOTE, case=case, text=text)
    log_case(Action.UPDATE, case, actor)


@failures_logged(log_case)
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
    # Access ends with the case, except for the procesregisseur and the bedrijfsbureau.
    keeps = members(case.house, {Role.BACK_OFFICE}).values("pk")
    _revoke(
        case.team.active().exclude(role=TeamRole.PROCESS_DIRECTOR).exclude(user__in=keeps),
        actor=actor,
        reason="Casus gesloten",
    )
    log_case(Action.UPDATE, case, actor)
    return case


@failures_logged(log_case)
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
    log_case(Action.UPDATE, case, actor)
    return case


def _grant(case: Case, *, actor, user, role: TeamRole, access: AccessLevel) -> TeamMember:
    existing = case.team.active().filter(user=user).first()
    if existing is not None:
        if existing.role == role and existing.access == access:
            return existing
        _revoke(case.team.filter(pk=existing.pk), actor=actor, reason="Rol of toegang gewijzigd")
    member = TeamMember.objects.create(case=case, user=user, role=role, access=access, granted_by=actor, granted_at=clock.now())
    text = f"{user.get_full_name() or user} toegevoegd aan het casusteam als {role.label.lower()} ({access.label.lower()})."
    record(actor=actor, kind=EventKind.ROLE, case=case, text=text)
    audit(
        AuditEvent.ACCESS_GRANTED,
        user=actor,
        detail=f"{case.number}: gebruiker {user.pk} als {role.label.lower()} ({access.label.lower()})",
    )
    return member


def _revoke(team_members, *, actor, reason: str) -> None:
    for member in team_members.select_related("user"):
        member.revoked_at = clock.now()
        member.revoked_by = actor
        member.revoke_reason = reason
        member.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        text = f"Toegang van {member.user.get_full_name() or member.user} ingetrokken: {reason}."
        record(actor=actor, kind=EventKind.ROLE, case=member.case, text=text)
        audit(AuditEvent.ACCESS_REVOKED, user=actor, detail=f"{member.case.number}: gebruiker {member.user_id}")


@failures_logged(log_case)
@transaction.atomic
def add_team_member(case: Case, *, actor, user, role: str, access: str) -> TeamMember:
    """The bedrijfsbureau (or the procesregisseur) gives a house member a role on the case team."""
    policy.require(actor, "case.team", case.house)
    _require_open(case, "van team veranderen")
    if not user.memberships.filter(house=case.house).exists():
        raise DomainError(f"{user.get_full_name() or user} werkt niet voor {case.house} en kan niet aan het team worden toegevoegd.")
    return _grant(case, actor=actor, user=user, role=TeamRole(role), access=AccessLevel(access))


@transaction.atomic
def revoke_team_member(member: TeamMember, *, actor, reason: str) -> None:
    case = member.case
    policy.require(actor, "case.team", case.house)
    _require_reason(reason)
    if member.revoked_at is not None:
        raise IllegalTransition("Deze toegang is al ingetrokken.")
    if member.user_id in {case.process_director_id, case.case_director_id}:
        raise DomainError("Een regisseur verliest zijn toegang door een andere regisseur toe te wijzen, niet hier.")
    _revoke(case.team.filter(pk=member.pk), actor=actor, reason=reason)


@transaction.atomic
def request_emergency_access(*, actor, number: str, reason: str) -> EmergencyAccess:
    """Doorbreken: open a dossier of the own house for 24 hours with a reason, when its regisseur is unreachable.

    The same message answers "no such case" and "not allowed", so the form does not reveal which cases exist.
    """
    _require_reason(reason)
    not_available = DomainError(f"Voor casusnummer '{number}' is geen noodtoegang mogelijk.")
    case = Case.objects.filter(number=number.strip().upper(), house__in=policy.houses_for(actor, "case.emergency")).first()
    if case is None:
        raise not_available
    if policy.visible_cases(Case.objects.filter(pk=case.pk), actor).exists():
        raise DomainError(f"U heeft al toegang tot casus {case.number}; noodtoegang is niet nodig.")
    now = clock.now()
    access = EmergencyAccess.objects.create(
        case=case, user=actor, reason=reason, started_at=now, expires_at=now + datetime.timedelta(hours=EMERGENCY_ACCESS_HOURS)
    )
    who = actor.get_full_name() or actor.get_username()
    record(
        actor=actor, kind=EventKind.ROLE, case=case, text=f"Noodtoegang (doorbreken) door {who} voor {EMERGENCY_ACCESS_HOURS} uur: {reason}"
    )
    # The audit log is permanent: it names the dossier, never the free-text reason (which may name people).
    audit(AuditEvent.EMERGENCY_ACCESS, user=actor, detail=f"{case.number}: noodtoegang voor {EMERGENCY_ACCESS_HOURS} uur")
    log_case(Action.EMERGENCY_ACCESS, case, actor)
    text = f"{who} heeft noodtoegang genomen tot casus {case.number}: {reason}"
    # The procesregisseur goes to the dossier, the privacy officer to the review queue (not to the dossier).
    recipients = {user.pk: (user, reverse("cases:emergency-reviews")) for user in members(case.house, {Role.PRIVACY_OFFICER})}
    if case.process_director is not None:
        recipients[case.process_director.pk] = (case.process_director, reverse("cases:detail", args=[case.number]))
    for user, url in recipients.values():
        Notification.objects.create(user=user, text=text, url=url)
    return access


@transaction.atomic
def review_emergency_access(access: EmergencyAccess, *, actor, review: str, note: str) -> EmergencyAccess:
    policy.require(actor, "privacy.review", access.case.house)
    review = Review(review)
    if review == Review.PENDING:
        raise DomainError("Kies of de noodtoegang terecht of onterecht was.")
    if access.review:
        raise IllegalTransition("Deze noodtoegang is al beoordeeld.")
    if review == Review.UNJUSTIFIED and not note.strip():
        raise DomainError("Licht toe waarom de noodtoegang onterecht was.")
    access.review, access.review_note, access.reviewed_by, access.reviewed_at = review, note, actor, clock.now()
    access.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit(AuditEvent.EMERGENCY_ACCESS, user=actor, detail=f"{access.case.number}: noodtoegang beoordeeld als {review.label.lower()}")
    return access
