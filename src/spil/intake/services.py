"""Business rules of the intake: registering, enriching and readying meldingen for the weegtafel."""

import datetime

from django.db import transaction

from spil.access import policy
from spil.access.processing import failures_logged, log_report
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.core.kept import kept_until_written
from spil.core.numbering import next_number
from spil.core.versioning import save_versioned
from spil.intake.models import Enrichment, Report, ReportPerson, ReportStatus
from spil.logbook.models import Action
from spil.intake import channels, hits, routing
from spil.persons import matching
from spil.persons.services import attach_discrepancies
from spil.timeline.models import EventKind
from spil.timeline.services import record

# Status changes a user may ask for; "gewogen" is reached only through a triage decision.
TRANSITIONS = {
    ReportStatus.RECEIVED: {ReportStatus.ENRICHING, ReportStatus.READY},
    ReportStatus.ENRICHING: {ReportStatus.READY},
    ReportStatus.READY: {ReportStatus.ENRICHING},
    ReportStatus.TRIAGED: set(),
}

EDITABLE_FIELDS = [
    "source_partner",
    "reporter_name",
    "reporter_contact",
    "channel",
    "received_on",
    "reason",
    "request",
    "requested_case_type",
]


@transaction.atomic
@kept_until_written()  # the permission, the person matching and the hit/no-hit question read the same access values
def register_report(
    *,
    actor,
    fields: dict,
    persons: list[dict],
    house=None,
    region=None,
    details: dict | None = None,
    routing_reason: str = "",
    number: str = "",
) -> Report:
    """Register a melding with its persons and acknowledge it in its timeline.

    `fields` are the melding's own fields (`form` names the meldformulier, default "algemeen"); `details` the extra
    fields of that form (`channels`). Give `house` when the house is known, or the intake `region` to let the routing
    rules decide (`routing`); `routing_reason` explains a choice the rules could not make. Each person is matched
    against the known ones (`persons.matching`) and the houses where a person is known are told (`hits`). `number`: one
    reserved for it beforehand (`numbering.reserve_numbers`, a bulk import), of the year it was received in.
    """
    if not persons:
        raise DomainError("Een melding gaat over minstens één persoon.")
    if fields["received_on"] > clock.today():
        raise DomainError("De datum van ontvangst kan niet in de toekomst liggen.")
    form = fields.get("form") or channels.GENERAL
    details = channels.clean_details(form, details or {}, case_type=fields["requested_case_type"], persons=persons)
    fields = {**fields, "form": form, "details": details}
    destination = routing.destination(
        actor=actor,
        house=house,
        region=region,
        case_type=fields["requested_case_type"],
        persons=persons,
        criminal_law=fields.get("criminal_law", False),
        reason=routing_reason,
    )
    policy.require(actor, "report.register", destination.house)
    # Persons are matched and the hit/no-hit question asked before the number is taken: the series' counter row stays
    # locked until commit, and other registrations wait for it.
    matched = [matching.person_for(person_data, actor=actor) for person_data in persons]
    answers = hits.ask(matched, house=destination.house, shielded=fields["requested_case_type"].restricted)
    report = Report.objects.create(
        number=number or next_number("M", fields["received_on"].year),
        house=destination.house,
        intake_region=destination.region,
        routing_note=destination.note,
        created_by=actor,
        **fields,
    )
    for order, (person_data, person) in enumerate(zip(persons, matched, strict=True)):
        ReportPerson.objects.create(report=report, person=person, relation=person_data.get("relation", ""), order=order)
    record(
        actor=actor,
        kind=EventKind.RECEIVED,
        report=report,
        text=(
            f"Melding ontvangen van {report.source_partner} ({report.reporter_name}) via "
            f"{report.get_channel_display().lower()} en geregistreerd als {report.number}. "
            f"Ontvangst bevestigd aan de melder." + (f" Routering: {report.routing_note}" if report.routing_note else "")
        ),
    )
    log_report(Action.CREATE, report, actor, persons=matched)
    attach_discrepancies(report, actor=actor)
    hits.announce(report, answers, actor=actor)
    return report


@failures_logged(log_report)
@transaction.atomic
def update_report(report: Report, *, actor, expected_version: int, fields: dict) -> Report:
    policy.require(actor, "report.register", report.house)
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition("Een gewogen melding kan niet meer worden gewijzigd.")
    changed = [name for name in EDITABLE_FIELDS if name in fields and getattr(report, name) != fields[name]]
    if not changed:
        return report
    if "requested_case_type" in changed:
        # A restricted form (radicalisering, mensenhandel) keeps a restricted theme: the change must not unshield it.
        channels.clean_details(report.form, report.details, case_type=fields["requested_case_type"])
    for name in changed:
        setattr(report, name, fields[name])
    save_versioned(report, expected_version, changed)
    labels = ", ".join(str(Report._meta.get_field(name).verbose_name) for name in changed)
    record(actor=actor, kind=EventKind.CHANGED, report=report, text=f"Gewijzigd: {labels}.")
    log_report(Action.UPDATE, report, actor)
    return report


@failures_logged(log_report)
@transaction.atomic
def change_status(report: Report, *, actor, to: str, expected_version: int | None = None) -> Report:
    policy.require(actor, "report.enrich", report.house)
    _transition(report, actor=actor, to=ReportStatus(to), expected_version=expected_version)
    return report


def _transition(report: Report, *, actor, to: ReportStatus, expected_version: int | None) -> None:
    current = ReportStatus(report.status)
    if to not in TRANSITIONS[current]:
        raise IllegalTransition(f"Een melding met status '{current.label}' kan niet naar '{to.label}'.")
    report.status = to
    fields = ["status"]
    if to == ReportStatus.READY:
        report.ready_at = clock.now()
        fields.append("ready_at")
    elif current == ReportStatus.READY:
        report.ready_at = None
        fields.append("ready_at")
        # Back to enrichment: it leaves any agenda it was waiting on.
        report.triage_items.filter(decided_at__isnull=True).delete()
    save_versioned(report, expected_version, fields)
    record(actor=actor, kind=EventKind.STATUS, report=report, text=f"Status van '{current.label}' naar '{to.label}'.")
    log_report(Action.UPDATE, report, actor)


@failures_logged(log_report)
@transaction.atomic
def request_enrichment(report: Report, *, actor, partner, question: str, requested_on: datetime.date) -> Enrichment:
    """Ask a partner for information; a melding that was only received moves to 'in verrijking'."""
    policy.require(actor, "report.enrich", report.house)
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition("Een gewogen melding kan niet meer worden verrijkt.")
    enrichment = Enrichment.objects.create(report=report, partner=partner, question=question, requested_on=requested_on, created_by=actor)
    record(actor=actor, kind=EventKind.ENRICHMENT, report=report, text=f"Informatie opgevraagd bij {partner}: {question}")
    if report.status == ReportStatus.RECEIVED:
        _transition(report, actor=actor, to=ReportStatus.ENRICHING, expected_version=None)
    else:
        log_report(Action.UPDATE, report, actor)
    return enrichment


@transaction.atomic
def record_enrichment_answer(enrichment: Enrichment, *, actor, answered_on: datetime.date, summary: str) -> Enrichment:
    report = enrichment.report
    policy.require(actor, "report.enrich", report.house)
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition("Een gewogen melding kan niet meer worden verrijkt.")
    if enrichment.answered:
        raise IllegalTransition("Op deze uitvraag is het antwoord al vastgelegd.")
    if answered_on < enrichment.requested_on:
        raise DomainError("Het antwoord kan niet eerder zijn ontvangen dan de vraag is gesteld.")
    enrichment.answered_on = answered_on
    enrichment.summary = summary
    enrichment.save(update_fields=["answered_on", "summary"])
    record(actor=actor, kind=EventKind.ENRICHMENT, report=report, text=f"Antwoord ontvangen van {enrichment.partner}: {summary}")
    log_report(Action.UPDATE, report, actor)
    return enrichment


def mark_triaged(report: Report, *, actor) -> None:
    """The weegtafel decided on this melding; only `triage.services.decide` calls this."""
    if report.status != ReportStatus.READY:
        raise IllegalTransition(f"Alleen een melding die gereed is voor weging kan worden gewogen ({report.number}).")
    report.status = ReportStatus.TRIAGED
    save_versioned(report, None, ["status"])
    record(actor=actor, kind=EventKind.STATUS, report=report, text="Status van 'Gereed voor weging' naar 'Gewogen'.")
    log_report(Action.UPDATE, report, actor)
