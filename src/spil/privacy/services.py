"""Retention (bewaartermijnen): which closed cases are due for destruction, holds and extensions, and destruction.

A closed case is kept until its closing date plus the `retention_years` of its case type's processing activity, or
until the latest extension when that is later, and is due for destruction the day after. An active hold (not lifted,
open-ended or running until at least today) blocks destruction whatever the date.

Destruction removes the dossier with its history, the melding it came from when no other case came from it, and the
persons linked to nothing else. It is logged without the destroyed content, and it is the only code path that may
delete rows of the append-only history tables: it sets the transaction-local `spil.retention_purge`, which the
history trigger honours for DELETE (privacy migration 0003); the logbook tables never give way.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import DateField, Exists, F, Func, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest, TruncDate

from spil.access import policy
from spil.cases.models import Case, CaseStatus, Review
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.logbook.models import Action, AuditEvent, ProcessingActivity
from spil.logbook.services import audit, log_processing
from spil.persons.models import Person, PersonMerge
from spil.privacy.models import RetentionExtension, RetentionHold

INTAKE_ACTIVITY = "intake-weging"
SYSTEM = "systeem (bewaartermijnen)"


class YearsLater(Func):
    """`date + n years` as a date (PostgreSQL `make_interval`; 29 February moves to 28 February)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        years_sql, years_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) + make_interval(years => {years_sql}))::date", [*date_params, *years_params]


def with_retention(cases: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate `term_ends_on` (closing date + the activity's years), `keep_until` (the later of that and any
    extension) and `on_hold` (an active hold today). Open cases get None for the dates."""
    today = today or clock.today()
    last_extension = RetentionExtension.objects.filter(case=OuterRef("pk")).values("case").annotate(last=Max("keep_until")).values("last")
    term_ends_on = YearsLater(TruncDate("closed_at"), F("case_type__processing_activity__retention_years"))
    return cases.annotate(
        term_ends_on=term_ends_on,
        # PostgreSQL's GREATEST skips NULL: without an extension this is the term's end.
        keep_until=Greatest(term_ends_on, Subquery(last_extension, output_field=DateField()), output_field=DateField()),
        on_hold=Exists(RetentionHold.objects.active(today).filter(case=OuterRef("pk"))),
    )


def due_for_destruction(today: datetime.date | None = None) -> QuerySet:
    """Closed cases whose retention (with extensions) has passed before `today` and that no hold keeps."""
    today = today or clock.today()
    closed = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__isnull=False)
    return with_retention(closed, today).filter(keep_until__lt=today, on_hold=False).order_by("keep_until", "number")


def due_since(case) -> datetime.date:
    """The first day an annotated case was due for destruction."""
    return case.keep_until + datetime.timedelta(days=1)


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise DomainError("Geef een reden op.")
    return reason.strip()


def _log_retention_change(case: Case, *, actor, detail: str) -> None:
    """A hold or extension changes how long the persons' data in this case is kept: a processing of their data."""
    log_processing(
        Action.UPDATE, actor=actor, activity=case.case_type.processing_activity, persons=case.persons.all(), object_ref=case.number
    )
    audit(AuditEvent.RETENTION, user=actor, detail=detail)


@transaction.atomic
def place_hold(case: Case, *, actor, reason: str, until: datetime.date | None = None) -> RetentionHold:
    policy.require(actor, "privacy.review", case.house)
    reason = _require_reason(reason)
    if until is not None and until < clock.today():
        raise DomainError("De einddatum van een bewaarplicht kan niet in het verleden liggen.")
    hold = RetentionHold.objects.create(case=case, reason=reason, until=until, created_by=actor)
    # The reason stays with the hold (it may name people); the append-only audit log gets the fact only.
    ending = f"tot en met {until:%d-%m-%Y}" if until else "zonder einddatum"
    _log_retention_change(case, actor=actor, detail=f"Bewaarplicht {hold.pk} geplaatst op casus {case.number}, {ending}.")
    return hold


@transaction.atomic
def lift_hold(hold: RetentionHold, *, actor, reason: str) -> RetentionHold:
    hold = RetentionHold.objects.select_for_update(of=("self",)).select_related("case__case_type__processing_activity").get(pk=hold.pk)
    policy.require(actor, "privacy.review", hold.case.house)
    reason = _require_reason(reason)
    if hold.lifted_at is not None:
        raise IllegalTransition("Deze bewaarplicht is al opgeheven.")
    hold.lifted_at = clock.now()
    hold.lifted_by = actor
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    _log_retention_change(hold.case, actor=actor, detail=f"Bewaarplicht {hold.pk} op casus {hold.case.number} opgeheven.")
    return hold


@transaction.atomic
def extend(case: Case, *, actor, keep_until: datetime.date, reason: str) -> RetentionExtension:
    """Keep a closed case until `keep_until`, later than it would be kept now."""
    policy.require(actor, "privacy.review", case.house)
    reason = _require_reason(reason)
    if case.status != CaseStatus.CLOSED:
        raise IllegalTransition("Alleen de bewaartermijn van een gesloten casus kan worden verlengd; een open casus wordt bewaard.")
    current = with_retention(Case.objects.filter(pk=case.pk)).get().keep_until
    if keep_until <= current:
        raise DomainError(f"Een verlenging moet na de huidige bewaardatum liggen ({current:%d-%m-%Y}).")
    extension = RetentionExtension.objects.create(case=case, keep_until=keep_until, reason=reason, created_by=actor)
    _log_retention_change(
        case, actor=actor, detail=f"Bewaartermijn van casus {case.number} verlengd van {current:%d-%m-%Y} tot en met {keep_until:%d-%m-%Y}."
    )
    return extension


@dataclass(frozen=True)
class Destruction:
    case_number: str
    report_number: str | None
    persons_removed: int
    persons_kept: int


@transaction.atomic
def destroy(case: Case, *, actor=None, today: datetime.date | None = None) -> Destruction:
    """Destroy a case that is due: its dossier, its melding when no other case came from it, and the persons that
    are then linked to nothing else.

    Logged without content, before anything is deleted: a DELETE processing record for every person whose data was
    in the dossier (under the case type's activity, object = case number; for the melding under the intake activity,
    object = melding number), so the pseudonym of a removed person keeps its history; then a RETENTION audit record.
    `actor` is None when the daily job destroys.
    """
    if actor is not None:
        policy.require(actor, "privacy.review", case.house)
    number = case.number
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("case_type__processing_activity", "report").filter(pk=case.pk).first()
    )
    if case is None:  # another run destroyed it while this one waited for the lock
        raise IllegalTransition(f"Casus {number} bestaat niet meer.")
    if not due_for_destruction(today).filter(pk=case.pk).exists():
        raise IllegalTransition(f"Casus {case.number} is niet aan vernietiging toe (open, binnen de bewaartermijn of met bewaarplicht).")
    if case.emergency_accesses.filter(review=Review.PENDING).exists():
        # The review is an accountability check on the access; it must not vanish with the dossier unjudged.
        raise IllegalTransition(f"Casus {case.number} heeft een noodtoegang die nog niet is beoordeeld; beoordeel die eerst.")

    number, report = case.number, case.report
    destroy_report = report is not None and not report.cases.exclude(pk=case.pk).exists()
    case_persons = list(case.persons.all())
    report_persons = list(report.persons.all()) if destroy_report else []
    persons = {person.pk: person for person in case_persons + report_persons}

    log_processing(Action.DELETE, actor=actor, activity=case.case_type.processing_activity, persons=case_persons, object_ref=number)
    if destroy_report:
        intake = ProcessingActivity.objects.get(code=INTAKE_ACTIVITY)
        log_processing(Action.DELETE, actor=actor, activity=intake, persons=report_persons, object_ref=report.number)

    with _retention_purge():
        _delete_with_dependents(case)
        if destroy_report:
            _delete_with_dependents(report)
        removed = [person for person in persons.values() if not _still_linked(person)]
        for person in removed:
            _delete_person(person)

    melding = f" met melding {report.number}" if destroy_report else ""
    kept = len(persons) - len(removed)
    audit(
        AuditEvent.RETENTION,
        user=actor,
        username="" if actor is not None else SYSTEM,
        detail=(
            f"Casus {number} ({case.case_type}){melding} vernietigd na afloop van de bewaartermijn; "
            f"{len(removed)} personen verwijderd, {kept} behouden (elders gekoppeld)."
        ),
    )
    return Destruction(number, report.number if destroy_report else None, len(removed), kept)


def _is_merge_bookkeeping(relation) -> bool:
    """A merge's record of itself (`PersonMerge`, `Person.merged_into`) is part of the person, not a reason to keep it."""
    return relation.related_model is PersonMerge or relation.field is Person._meta.get_field("merged_into")


def _still_linked(person: Person) -> bool:
    """Does anything still refer to this person or a record merged into it (another case, another melding, or anything
    added later)? The merges themselves do not count: they go with the person."""
    for record in person.with_absorbed():
        for relation in record._meta.related_objects:
            if _is_merge_bookkeeping(relation):
                continue
            if relation.many_to_many:
                if getattr(record, relation.get_accessor_name()).exists():
                    return True
            elif relation.related_model._base_manager.filter(**{relation.field.name: record}).exists():
                return True
    return False


def _delete_person(person: Person) -> None:
    """The person with every record merged into it and the merges between them (newest records first: they point at
    the older ones)."""
    records = person.with_absorbed()
    PersonMerge.objects.filter(Q(survivor__in=records) | Q(absorbed__in=records)).delete()
    for record in reversed(records):
        record.delete()


@contextlib.contextmanager
def _retention_purge():
    """Allow DELETE on the history tables inside this block only. It is a savepoint, so a failure also undoes the SET;
    on success the setting is switched off again (SET LOCAL would otherwise last until the whole transaction ends)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL spil.retention_purge = 'on'")
        yield
        cursor.execute("SET LOCAL spil.retention_purge = 'off'")


def _delete_with_dependents(obj) -> None:
    """Delete `obj` with every row that references it, whatever the foreign key's on_delete says.

    A dossier goes with everything that is part of it: timeline events and AVE changes (PROTECT and append-only),
    triage items, team memberships, emergency accesses, retention decisions, and what is added later. A model
    whose rows must outlive the dossier must not point at it with a foreign key (the logs use the number).
    """
    for relation in obj._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            relation.related_model._base_manager.filter(**{relation.field.name: obj}).delete()
    obj.delete()
