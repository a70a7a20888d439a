"""Business rules about persons: registering, completing a known person, the intake's matching decisions, and
merging two records of one person (reversibly).

A merge re-points the absorbed record's link rows (its meldingen and cases) to the survivor and remembers which rows
moved and which blanks of the survivor it filled (`PersonMerge`), so every screen, search, hit/no-hit and count sees
one person, and `unmerge` puts back exactly what moved. Both write a line on the timeline of every melding and case
of the person and a processing record for both records per dossier.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from spil.access import policy
from spil.access.processing import log_case, log_report
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.logbook.models import Action
from spil.persons import names
from spil.persons.bsn import bsn_hash, normalise
from spil.persons.models import Discrepancy, Person, PersonMerge
from spil.timeline.models import EventKind
from spil.timeline.services import record

PERSON_FIELDS = ["bsn", "first_names", "surname_prefix", "surname", "birth_date", "address", "postcode", "city", "municipality"]
# Compared when a melding names a person already known by BSN; filled when blank on the known record.
DATA_FIELDS = ["first_names", "surname_prefix", "surname", "birth_date", "address", "postcode", "city", "municipality"]
# The parts of an address are filled together or not at all: never a street from one address with a postcode of another.
ADDRESS = ("address", "postcode", "city")


def create_person(data: dict, *, match_pending: bool = False) -> Person:
    """Register a person as given at intake (`matching.person_for` decides whether a known person is meant)."""
    values = {name: data.get(name) for name in PERSON_FIELDS if data.get(name) not in (None, "")}
    if bsn := values.get("bsn"):
        values["bsn"] = normalise(bsn)
        values["bsn_hash"] = bsn_hash(bsn)
    return Person.objects.create(**values, match_pending=match_pending)


# --- Values as stored in JSON and compared --------------------------------------------------------------------


def _raw(field: str, value):
    """A field's value as JSON: a date as ISO text, a gemeente as its key, text stripped; None for blank."""
    if value in (None, ""):
        return None
    if field == "municipality":
        return value if isinstance(value, int) else value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip() or None


def _value(field: str, raw):
    """The model value of a JSON value (the reverse of `_raw`)."""
    if field == "municipality":
        return raw
    if field == "birth_date":
        return datetime.date.fromisoformat(raw) if raw else None
    return raw or ""


def _stored(person: Person, field: str):
    return _raw(field, getattr(person, f"{field}_id" if field == "municipality" else field))


def _set(person: Person, field: str, raw) -> None:
    setattr(person, f"{field}_id" if field == "municipality" else field, _value(field, raw))


def _same(field: str, recorded, given) -> bool:
    if field in {"municipality", "birth_date"}:
        return recorded == given
    recorded, given = names.fold(recorded).replace(" ", ""), names.fold(given).replace(" ", "")
    if field == "first_names" and (len(given) == 1 or len(recorded) == 1):
        return recorded[:1] == given[:1]  # initials ("J.") agree with "Jan"
    return recorded == given


def _fill_blanks(person: Person, given: dict) -> dict:
    """Fill the person's blank fields from `given` (raw values); the address only as a whole. Returns what was filled."""
    filled = {}
    for field in DATA_FIELDS:
        if field in ADDRESS:
            continue
        if _stored(person, field) is None and given.get(field) is not None:
            filled[field] = given[field]
    if all(_stored(person, field) is None for field in ADDRESS) and any(given.get(field) is not None for field in ADDRESS):
        filled.update({field: given[field] for field in ADDRESS if given.get(field) is not None})
    for field, raw in filled.items():
        _set(person, field, raw)
    return filled


# --- A known person named again at intake ------------------------------------------------------------------------


def complete(person: Person, data: dict, *, actor) -> Person:
    """A melding names `person` again (same BSN): fill its blanks from `data`; a value that differs from the recorded
    one is not overwritten but noted (`Discrepancy`), and `attach_discrepancies` ties it to the melding."""
    given = {field: _raw(field, data.get(field)) for field in DATA_FIELDS}
    if _fill_blanks(person, given):
        person.save()
    for field in DATA_FIELDS:
        recorded = _stored(person, field)
        if recorded is not None and given[field] is not None and not _same(field, recorded, given[field]):
            Discrepancy.objects.create(person=person, field=field, recorded=recorded, given=given[field], noted_by=actor)
    return person


def attach_discrepancies(report, *, actor) -> None:
    """Tie the differences noted while registering `report` to it (registration calls this once its persons are linked)."""
    Discrepancy.objects.filter(report__isnull=True, noted_by=actor, person__in=report.persons.all()).update(report=report)


@transaction.atomic
def resolve_discrepancy(discrepancy: Discrepancy, *, actor, accept: bool) -> Discrepancy:
    """Take the value given at the melding over (`accept`), or keep the recorded one. Both are written on the
    melding's timeline."""
    discrepancy = Discrepancy.objects.select_for_update(of=("self",)).select_related("report__house", "person").get(pk=discrepancy.pk)
    report, person = discrepancy.report, discrepancy.person
    if report is not None:
        policy.require(actor, "report.register", report.house)
    else:
        _require_merge_rights(actor, person)
    if discrepancy.resolved_at is not None:
        raise IllegalTransition("Over dit afwijkende gegeven is al besloten.")
    if accept:
        current = Discrepancy.shown(discrepancy.field, _stored(person, discrepancy.field))
        _set(person, discrepancy.field, discrepancy.given)
        person.save()
        text = f"{discrepancy.label} van {person.full_name} gewijzigd van '{current}' in '{discrepancy.given_text}', zoals opgegeven bij deze melding."
    else:
        text = f"Vastgelegde {discrepancy.label.lower()} van {person.full_name} behouden; bij deze melding opgegeven: '{discrepancy.given_text}'."
    discrepancy.accepted, discrepancy.resolved_by, discrepancy.resolved_at = accept, actor, clock.now()
    discrepancy.save(update_fields=["accepted", "resolved_by", "resolved_at"])
    if report is not None:
        record(actor=actor, kind=EventKind.CHANGED, report=report, text=text)
        log_report(Action.UPDATE, report, actor, persons=[person])
    return discrepancy


# --- The intake's decision on a new person ------------------------------------------------------------------------


@transaction.atomic
def keep_new(report_person, *, actor) -> Person:
    """ "Nieuwe persoon": none of the candidates is this person; they stop showing at the melding."""
    report, person = report_person.report, Person.objects.select_for_update().get(pk=report_person.person_id)
    policy.require(actor, "report.register", report.house)
    if not person.match_pending:
        raise IllegalTransition(f"Over {person.full_name} is al besloten.")
    person.match_pending = False
    person.save(update_fields=["match_pending"])
    record(
        actor=actor,
        kind=EventKind.CHANGED,
        report=report,
        text=f"Vergeleken met bekende personen: {person.full_name} is een nieuwe persoon.",
    )
    log_report(Action.UPDATE, report, actor, persons=[person])
    return person


@transaction.atomic
def link(report_person, known: Person, *, actor) -> PersonMerge:
    """ "Dit is dezelfde persoon": the person registered with the melding is merged into the known person."""
    from spil.persons.matching import known_to

    report, person = report_person.report, report_person.person
    policy.require(actor, "report.register", report.house)
    if not person.match_pending:
        raise IllegalTransition(f"Over {person.full_name} is al besloten.")
    if not known_to(actor, narrow=False).filter(pk=known.pk).exists():  # the scope of the candidates and of the BSN match
        raise DomainError("Deze persoon is niet bekend bij de huizen waarvoor u meldingen registreert.")
    return _merge(known, person, actor=actor, reason=f"Bij melding {report.number} vastgesteld dat dit dezelfde persoon is.")


# --- Merge and un-merge ----------------------------------------------------------------------------------------------


def _require_merge_rights(actor, *persons: Person) -> None:
    """Intake or bedrijfsbureau of a house that knows every one of `persons` (`policy.known_persons`)."""
    pks = {person.pk for person in persons}
    for house in policy.houses_for(actor, "person.merge"):
        if policy.known_persons(Person.objects.filter(pk__in=pks), actor, [house.pk], narrow=False).count() == len(pks):
            return
    raise PermissionDenied(
        f"U heeft geen rechten om {policy.ACTION_DESCRIPTIONS['person.merge']} voor een huis waar deze personen bekend zijn."
    )


def _locked(*persons: Person) -> list[Person]:
    found = Person.objects.select_for_update().in_bulk([person.pk for person in persons])
    return [found[person.pk] for person in persons]


def _dossiers(person: Person) -> tuple[list, list]:
    from spil.cases.models import Case
    from spil.intake.models import Report

    reports = list(Report.objects.filter(report_persons__person=person).distinct().order_by("pk"))
    cases = list(Case.objects.filter(persons=person).select_related("case_type").order_by("pk"))
    return reports, cases


def _write_dossiers(reports, cases, *, actor, text: str, persons: list[Person]) -> None:
    for report in reports:
        record(actor=actor, kind=EventKind.CHANGED, report=report, text=text)
        log_report(Action.UPDATE, report, actor, persons=persons)
    for case in cases:
        record(actor=actor, kind=EventKind.CHANGED, case=case, text=text)
        log_case(Action.UPDATE, case, actor, persons=persons)


def described(person: Person) -> str:
    born = f", geboren {person.birth_date:%d-%m-%Y}" if person.birth_date else ""
    return f"{person.full_name}{born}"


@transaction.atomic
def merge(survivor: Person, absorbed: Person, *, actor, reason: str) -> PersonMerge:
    """Join two records of one person: `absorbed`'s meldingen and cases now name `survivor`, whose blanks are filled
    from `absorbed`. Refused for persons with different BSNs, for a record already absorbed, and for two persons
    named together in one melding or case (there they are two people)."""
    return _merge(survivor, absorbed, actor=actor, reason=reason, rights=_require_merge_rights)


def _merge(survivor: Person, absorbed: Person, *, actor, reason: str, rights=None) -> PersonMerge:
    from spil.cases.models import Case
    from spil.intake.models import ReportPerson

    reason = reason.strip()
    if not reason:
        raise DomainError("Geef een reden op.")
    if survivor.pk == absorbed.pk:
        raise DomainError("Een persoon kan niet met zichzelf worden samengevoegd.")
    survivor, absorbed = _locked(survivor, absorbed)
    if survivor.merged_into_id is not None:
        raise IllegalTransition(f"{survivor.full_name} is al opgenomen in een andere registratie; voeg samen met die registratie.")
    if absorbed.merged_into_id is not None:
        raise IllegalTransition(f"{absorbed.full_name} is al opgenomen in een andere registratie.")
    if survivor.bsn and absorbed.bsn and survivor.bsn != absorbed.bsn:
        raise DomainError("Deze personen hebben een verschillend BSN: het zijn verschillende personen.")
    if rights is not None:
        rights(actor, survivor, absorbed)
    CasePerson = Case.persons.through
    together = [
        *ReportPerson.objects.filter(person=survivor, report__report_persons__person=absorbed).values_list("report__number", flat=True),
        *CasePerson.objects.filter(person=survivor, case__persons=absorbed).values_list("case__number", flat=True),
    ]
    if together:
        raise DomainError(f"Deze personen staan samen in {', '.join(sorted(together))}: daar zijn het twee verschillende personen.")

    report_links = list(ReportPerson.objects.filter(person=absorbed).values_list("pk", flat=True))
    case_links = list(CasePerson.objects.filter(person=absorbed).values_list("pk", flat=True))
    filled = _fill_blanks(survivor, {field: _stored(absorbed, field) for field in DATA_FIELDS})
    if survivor.bsn == "" and absorbed.bsn:
        survivor.bsn, survivor.bsn_hash = absorbed.bsn, absorbed.bsn_hash
        filled["bsn"] = absorbed.bsn
    if filled:
        survivor.save()
    merged = PersonMerge.objects.create(
        survivor=survivor,
        absorbed=absorbed,
        reason=reason,
        merged_by=actor,
        report_links=report_links,
        case_links=case_links,
        filled=filled,
    )
    ReportPerson.objects.filter(pk__in=report_links).update(person=survivor)
    CasePerson.objects.filter(pk__in=case_links).update(person=survivor)
    absorbed.merged_into, absorbed.match_pending = survivor, False
    absorbed.save(update_fields=["merged_into", "match_pending"])
    reports, cases = _dossiers(survivor)
    text = f"Dubbele registratie samengevoegd: {described(absorbed)} is dezelfde persoon als {described(survivor)}. Reden: {reason}"
    _write_dossiers(reports, cases, actor=actor, text=text, persons=[survivor, absorbed])
    return merged


@transaction.atomic
def unmerge(merged: PersonMerge, *, actor, reason: str) -> PersonMerge:
    """Undo a merge: the link rows that moved go back to the absorbed record and the blanks the merge filled are
    emptied again (when nobody changed them since). Meldingen and cases that named the survivor after the merge stay
    with it. A survivor that was itself absorbed later must be split off first."""
    from spil.cases.models import Case
    from spil.intake.models import ReportPerson

    reason = reason.strip()
    if not reason:
        raise DomainError("Geef een reden op.")
    merged = PersonMerge.objects.select_for_update().get(pk=merged.pk)
    if merged.undone_at is not None:
        raise IllegalTransition("Deze samenvoeging is al ongedaan gemaakt.")
    survivor, absorbed = _locked(merged.survivor, merged.absorbed)
    if survivor.merged_into_id is not None:
        raise IllegalTransition(
            f"{survivor.full_name} is daarna zelf opgenomen in een andere registratie; maak die samenvoeging eerst ongedaan."
        )
    _require_merge_rights(actor, survivor)
    reports, cases = _dossiers(survivor)
    ReportPerson.objects.filter(pk__in=merged.report_links, person=survivor).update(person=absorbed)
    Case.persons.through.objects.filter(pk__in=merged.case_links, person=survivor).update(person=absorbed)
    restored = False
    for field, raw in merged.filled.items():
        if field == "bsn":
            if survivor.bsn == raw:
                survivor.bsn, survivor.bsn_hash, restored = "", "", True
        elif _stored(survivor, field) == raw:
            _set(survivor, field, None)
            restored = True
    if restored:
        survivor.save()
    absorbed.merged_into = None
    absorbed.save(update_fields=["merged_into"])
    merged.undone_by, merged.undone_at, merged.undo_reason = actor, clock.now(), reason
    merged.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    text = f"Samenvoeging ongedaan gemaakt: {described(absorbed)} en {described(survivor)} zijn twee personen. Reden: {reason}"
    _write_dossiers(reports, cases, actor=actor, text=text, persons=[survivor, absorbed])
    return merged
