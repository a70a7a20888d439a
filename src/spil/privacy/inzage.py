"""Inzage (AVG art. 15): find a person within the privacy officer's houses and list every processing of their data.

The processings come from the Logboek Dataverwerkingen (records under the person's pseudonym); who did it comes from
the audit record of the same trace and span. The inzage is itself a processing of the person's data, logged under the
activity 'rechten-betrokkenen' in the caller's transaction.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from spil.access import policy
from spil.cases.models import Case
from spil.intake.models import ReportPerson
from spil.logbook.models import Action, AuditRecord, ProcessingActivity, ProcessingRecord
from spil.logbook.services import log_processing, subject_of
from spil.persons.bsn import normalise
from spil.persons.models import Person

RIGHTS_ACTIVITY = "rechten-betrokkenen"
OBJECT_REF = "inzage"
SEARCH_LIMIT = 50


def rights_activity() -> ProcessingActivity:
    return ProcessingActivity.objects.get(code=RIGHTS_ACTIVITY)


def persons_in_scope(user) -> QuerySet:
    """Persons linked to a melding or case of a house where `user` is privacy officer."""
    houses = policy.houses_for(user, "privacy.review")
    in_report = ReportPerson.objects.filter(person=OuterRef("pk"), report__house__in=houses)
    in_case = Case.persons.through.objects.filter(person=OuterRef("pk"), case__house__in=houses)
    return Person.objects.filter(Exists(in_report) | Exists(in_case))


def search(user, text: str) -> tuple[list[Person], bool]:
    """A BSN (matched exactly, typed with or without dots and spaces) or a fragment of the surname (with or
    without its prefix: "Berg", "van der Berg"; accents ignored).

    Returns at most SEARCH_LIMIT persons and whether there were more.
    """
    text = text.strip()
    if not text:
        return [], False
    persons = persons_in_scope(user)
    digits = normalise(text)
    if digits.isdigit():
        persons = persons.filter(bsn=digits)
    else:
        persons = persons.annotate(full_surname=Concat("surname_prefix", Value(" "), "surname")).filter(
            Q(surname__unaccent__icontains=text) | Q(full_surname__unaccent__icontains=text)
        )
    found = list(persons.select_related("municipality").order_by("surname", "first_names", "pk")[: SEARCH_LIMIT + 1])
    return found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT


def processings(person: Person) -> QuerySet:
    """Every processing of `person`'s data, newest first, with the organisation and user from the audit log; records
    merged into this one keep their own pseudonym, so their processings are included."""
    audit = AuditRecord.objects.filter(trace_id=OuterRef("trace_id"), span_id=OuterRef("span_id")).order_by("id")
    return (
        ProcessingRecord.objects.filter(subject__in=[subject_of(record) for record in person.with_absorbed()])
        .select_related("activity")
        .annotate(
            organisation=Subquery(audit.values("organisation")[:1]),
            username=Subquery(audit.values("username")[:1]),
            user_id=Subquery(audit.values("user_id")[:1]),
        )
        .order_by("-started_at", "-id")
    )


def log(action: Action, *, actor, persons) -> None:
    """The privacy officer searched (SEARCH), viewed (READ) or exported (EXPORT) these persons' processings."""
    log_processing(action, actor=actor, activity=rights_activity(), persons=persons, object_ref=OBJECT_REF)


EXPORT_HEADER = ["Datum en tijd", "Verwerkingsactiviteit", "Handeling", "Status", "Dossier", "Organisatie"]


def export_rows(records, *, with_users: bool, names: dict) -> tuple[list[str], list[list]]:
    header = EXPORT_HEADER + (["Medewerker"] if with_users else [])
    rows = []
    for record in records:
        row = [
            timezone.localtime(record.started_at).strftime("%d-%m-%Y %H:%M:%S"),
            record.activity.name,
            record.get_action_display(),
            record.get_status_display(),
            record.object_ref,
            record.organisation or "",
        ]
        if with_users:
            row.append(user_label(record, names))
        rows.append(row)
    return header, rows


def user_names(records) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    ids = {record.user_id for record in records if record.user_id}
    return {user.pk: user.get_full_name() or user.get_username() for user in get_user_model().objects.filter(pk__in=ids)}


def user_label(record, names: dict) -> str:
    if record.user_id and record.user_id in names:
        return f"{names[record.user_id]} ({record.username})" if record.username else names[record.user_id]
    return record.username or "systeem"
