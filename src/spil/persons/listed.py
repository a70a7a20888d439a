"""Who each row of a list is about, read as names in one query rather than as person records.

A list shows a name per person and logs the person's processing; it needs neither the rest of the record nor Django's
machinery for prefetching a many-to-many relation, which cost a case list of 25 rows about 5 ms of Python.
"""

from collections import defaultdict
from typing import NamedTuple


class PersonName(NamedTuple):
    pk: int
    full_name: str


def full_name(first_names: str, surname_prefix: str, surname: str) -> str:
    return " ".join(part for part in [first_names, surname_prefix, surname] if part)


def names_by(links, owner: str, ids) -> dict[int, list[PersonName]]:
    """The persons linked to each of `ids` by the link model `links` (a foreign key `owner` and one named `person`),
    in the persons' own order (surname, first names)."""
    rows = (
        links.objects.filter(**{f"{owner}_id__in": ids})
        .order_by("person__surname", "person__first_names")
        .values_list(f"{owner}_id", "person_id", "person__first_names", "person__surname_prefix", "person__surname")
    )
    found = defaultdict(list)
    for owner_id, pk, *parts in rows:
        found[owner_id].append(PersonName(pk, full_name(*parts)))
    return found
