"""Forwarding a melding to another house (doorzenden): offered with a reason, then accepted or declined there.

- `forward`: the intake or bedrijfsbureau of the house that owns the melding offers it to another house, with a
  reason, before it is weighed; one offer at a time. While the offer is pending, the receiving house's intake and
  bedrijfsbureau see the melding (`access.policy.visible_reports`): the offer discloses it to another house, so it
  is logged as *exporteren* in the processing log and as access granted in the audit log.
- `accept`: the receiving house takes the melding over: `Report.house` moves (a versioned save) and any undecided
  agenda item of the old house's weegtafel is dropped. From then on the old house sees it no longer (unless a user
  of it registered it, or sits in its intake region).
- `decline`: the receiving house refuses with a reason; the melding stays where it was.

Every step writes a line on the melding's timeline, which both houses see while they see the melding, and tells
the other side in Mijn werk (a notification naming the melding's number only).
"""

from django.db import transaction
from django.urls import reverse

from spil.access import policy
from spil.access.processing import failures_logged, log_report
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.core.versioning import lock, save_versioned
from spil.intake.models import Forwarding, ForwardingStatus, ReportStatus
from spil.logbook.models import Action, AuditEvent
from spil.logbook.services import audit
from spil.organisations.models import Role, members
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.web.models import Notification


def _log_forwarding(action, forwarding, actor, status):
    log_report(action, forwarding.report, actor, status=status)


def _reason(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message)
    return text


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


@failures_logged(log_report, Action.EXPORT)
@transaction.atomic
def forward(report, *, actor, to_house, reason: str) -> Forwarding:
    """Offer a melding to another house."""
    policy.require(actor, "report.forward", report.house)
    lock(report)
    reason = _reason(reason, "Geef de reden waarom de melding naar een ander huis gaat.")
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition("Een gewogen melding kan niet meer worden doorgezonden.")
    if to_house.pk == report.house_id:
        raise DomainError(f"De melding hoort al bij {to_house}. Kies een ander huis.")
    pending = report.forwardings.filter(status=ForwardingStatus.PENDING).select_related("to_house").first()
    if pending is not None:
        raise IllegalTransition(f"De melding is al aangeboden aan {pending.to_house}; wacht op hun besluit.")
    forwarding = Forwarding.objects.create(report=report, from_house=report.house, to_house=to_house, reason=reason, requested_by=actor)
    record(
        actor=actor,
        kind=EventKind.FORWARDED,
        report=report,
        text=f"Aangeboden aan {to_house} door {report.house} ({_who(actor)}): {reason}",
    )
    # A disclosure to another house. The audit log is permanent: it names the melding and the houses, never the reason.
    log_report(Action.EXPORT, report, actor)
    audit(AuditEvent.ACCESS_GRANTED, user=actor, detail=f"{report.number}: aangeboden aan {to_house}")
    roles = {Role.BACK_OFFICE} if report.requested_case_type.restricted else {Role.INTAKE, Role.BACK_OFFICE}
    _notify(members(to_house, roles), f"{report.house} biedt melding {report.number} aan uw huis aan.", direction="in")
    return forwarding


@failures_logged(_log_forwarding)
@transaction.atomic
def accept(forwarding: Forwarding, *, actor, note: str = "") -> Forwarding:
    """The receiving house takes the melding over."""
    report = forwarding.report
    policy.require(actor, "report.forward", forwarding.to_house)
    _lock_pending(forwarding)
    lock(report)
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition(
            f"De melding is intussen gewogen bij {forwarding.from_house}; accepteren kan niet meer. Wijs de doorzending af."
        )
    note = (note or "").strip()
    _decide(forwarding, actor=actor, status=ForwardingStatus.ACCEPTED, note=note)
    # It leaves the old house's weegtafel; the new house's agenda takes it when it is ready there.
    report.triage_items.filter(decided_at__isnull=True).delete()
    report.house = forwarding.to_house
    report.intake_region = forwarding.to_house.intake_region
    save_versioned(report, None, ["house", "intake_region"])
    text = f"Doorzending geaccepteerd door {forwarding.to_house} ({_who(actor)}); de melding hoort nu bij {forwarding.to_house}."
    record(actor=actor, kind=EventKind.FORWARDED, report=report, text=f"{text} {note}".strip())
    log_report(Action.UPDATE, report, actor)
    audit(
        AuditEvent.ACCESS_REVOKED, user=actor, detail=f"{report.number}: overgedragen van {forwarding.from_house} aan {forwarding.to_house}"
    )
    _notify([forwarding.requested_by], f"{forwarding.to_house} heeft melding {report.number} geaccepteerd.", direction="uit")
    return forwarding


@failures_logged(_log_forwarding)
@transaction.atomic
def decline(forwarding: Forwarding, *, actor, reason: str) -> Forwarding:
    """The receiving house refuses the offer; the melding stays with the house that offered it."""
    report = forwarding.report
    policy.require(actor, "report.forward", forwarding.to_house)
    reason = _reason(reason, "Geef de reden waarom uw huis de melding niet overneemt.")
    _lock_pending(forwarding)
    _decide(forwarding, actor=actor, status=ForwardingStatus.DECLINED, note=reason)
    record(
        actor=actor,
        kind=EventKind.FORWARDED,
        report=report,
        text=f"Doorzending afgewezen door {forwarding.to_house} ({_who(actor)}): {reason} De melding blijft bij {forwarding.from_house}.",
    )
    log_report(Action.UPDATE, report, actor)
    audit(AuditEvent.ACCESS_REVOKED, user=actor, detail=f"{report.number}: doorzending aan {forwarding.to_house} afgewezen")
    _notify([forwarding.requested_by], f"{forwarding.to_house} heeft melding {report.number} niet overgenomen.", direction="uit")
    return forwarding


def _lock_pending(forwarding: Forwarding) -> None:
    lock(forwarding)
    if forwarding.status != ForwardingStatus.PENDING:
        raise IllegalTransition(f"Over deze doorzending is al besloten ({forwarding.get_status_display().lower()}).")


def _decide(forwarding: Forwarding, *, actor, status: str, note: str) -> None:
    forwarding.status = status
    forwarding.decided_by = actor
    forwarding.decided_at = clock.now()
    forwarding.decision_note = note
    forwarding.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _notify(users, text: str, *, direction: str) -> None:
    url = f"{reverse('intake:forwardings')}?richting={direction}"
    Notification.objects.bulk_create(Notification(user=user, text=text, url=url) for user in users if user.is_active)
