"""Matching a person given at intake against the persons the intake already knows.

- `person_for`: exact on BSN (its keyed hash) among the persons known to the worker's houses: that person is reused,
  its blanks filled from what was given; a value that differs is never overwritten but noted as a `Discrepancy` for
  the intake to decide on. Otherwise a new person, marked `match_pending` so the melding page shows its candidates.
- `candidates`: fuzzy, in SQL: trigram similarity of the normalised surname (`names.surname_key`, GIN index), the
  first names (initials count) and the birth date (same date boosts strongly, a different date penalises).
- Scope: only persons known to the houses where the worker registers meldingen (`policy.known_persons`: their
  meldingen and cases, never restricted ones they cannot see). A person known only at another house is never reused
  or shown: across houses Spil answers hit/no-hit only (`intake.hits`).
"""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Least

from spil.access import policy
from spil.persons import names
from spil.persons.bsn import bsn_hash, normalise
from spil.persons.models import Person

# Weights of the score (0..1): the surname counts most; the birth date moves the score up or down.
SURNAME_WEIGHT = 0.75 * 0.7
FIRST_NAME_WEIGHT = 0.75 * 0.3
SAME_BIRTH_DATE = 0.25
UNKNOWN_BIRTH_DATE = 0.10
OTHER_BIRTH_DATE = -0.20
THRESHOLD = 0.5
LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float

    @property
    def percentage(self) -> int:
        return round(self.score * 100)


def known_to(actor, house_ids: list[int] | None = None, *, narrow: bool = True) -> QuerySet:
    """The persons the actor's houses know (where the actor registers meldingen, unless `house_ids` are given), not
    merged into another record. `narrow=False` for a lookup of a few records (`policy.known_persons`)."""
    house_ids = policy.house_ids_for(actor, "report.register") if house_ids is None else house_ids
    return policy.known_persons(Person.objects.filter(merged_into__isnull=True), actor, house_ids, narrow=narrow)


def person_for(data: dict, *, actor) -> Person:
    """The person a melding is about: a known person with the same BSN, or a new one (see the module's text)."""
    from spil.persons import services

    bsn = normalise(data.get("bsn") or "")
    if bsn:
        # The records with this BSN first, then which of them the houses know, by id. Asked in one query, PostgreSQL
        # intersected them with the houses' tens of thousands of persons in the houses index (13 ms nationally), or,
        # without that narrowing, expected more of them and read every person of the house's meldingen (300 ms).
        records = list(Person.objects.filter(bsn_hash=bsn_hash(bsn)).values_list("pk", flat=True))
        known = known_to(actor, narrow=False).filter(pk__in=records).order_by("pk").first() if records else None
        if known is not None:
            return services.complete(known, data, actor=actor)
    return services.create_person(data, match_pending=True)


def candidates(subject, *, within: QuerySet) -> list[Candidate]:
    """Persons in `within` that may be the same as `subject` (a Person, or the data given for one), best first: at
    most LIMIT, with a score of at least THRESHOLD. A person with another BSN is never a candidate."""
    if isinstance(subject, Person):
        surname, first, birth_date, bsn, exclude = subject.name_key, subject.first_name_key, subject.birth_date, subject.bsn, subject.pk
    else:
        surname = names.surname_key(subject.get("surname_prefix", ""), subject.get("surname", ""))
        first = names.first_name_key(subject.get("first_names", ""))
        birth_date, bsn, exclude = subject.get("birth_date"), normalise(subject.get("bsn") or ""), None
    if not surname:
        return []
    found = within.filter(merged_into__isnull=True, name_key__trigram_similar=surname)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    if bsn:
        found = found.filter(Q(bsn="") | Q(bsn=bsn))
    found = found.annotate(
        match_score=Greatest(
            Value(0.0),
            Least(
                Value(1.0),
                SURNAME_WEIGHT * TrigramSimilarity("name_key", Value(surname))
                + FIRST_NAME_WEIGHT * _first_name_score(first)
                + _birth_date_score(birth_date),
            ),
            output_field=FloatField(),
        )
    )
    found = found.filter(match_score__gte=THRESHOLD).select_related("municipality").order_by("-match_score", "pk")[:LIMIT]
    return [Candidate(person, person.match_score) for person in found]


def _first_name_score(first: str):
    """1 for the same first names; initials ("J.") count as 0.8 when the first letter agrees; another first letter 0;
    unknown 0.5."""
    if not first:
        return Value(0.5)
    given_initials = len(first.split()[0]) == 1
    recorded_initials = Q(first_name_key__regex=r"^[a-z0-9]( |$)")
    return Case(
        When(first_name_key="", then=Value(0.5)),
        When(~Q(first_name_key__startswith=first[0]), then=Value(0.0)),
        When(Q(pk__isnull=False) if given_initials else recorded_initials, then=Value(0.8)),
        default=Greatest(TrigramSimilarity("first_name_key", Value(first)), Value(0.4)),
        output_field=FloatField(),
    )


def _birth_date_score(birth_date):
    if birth_date is None:
        return Value(UNKNOWN_BIRTH_DATE)
    return Case(
        When(birth_date=birth_date, then=Value(SAME_BIRTH_DATE)),
        When(birth_date__isnull=True, then=Value(UNKNOWN_BIRTH_DATE)),
        default=Value(OTHER_BIRTH_DATE),
        output_field=FloatField(),
    )
