"""Persons as the rows of the search: the columns it shows, read as values rather than as model instances.

Reading a page of 25 persons whole, with their gemeente joined in, cost the national name search about 3.5 ms of
Python; the four values about 1 (docs/performance.md).
"""

import datetime
from typing import NamedTuple

from spil.persons.listed import full_name
from spil.persons.models import Person


class PersonRow(NamedTuple):
    pk: int
    full_name: str
    birth_date: datetime.date | None
    municipality: str  # the gemeente's name, empty when unknown


def person_rows(ids: list[int]) -> list[PersonRow]:
    """The persons of `ids` as rows, in the order of `ids`. The ids must come from a query with the user's visibility
    rule (`web.listing`)."""
    values = Person.objects.filter(pk__in=ids).order_by()
    values = values.values_list("pk", "first_names", "surname_prefix", "surname", "birth_date", "municipality__name")
    rows = {pk: PersonRow(pk, full_name(*names), born, municipality or "") for pk, *names, born, municipality in values}
    return [rows[pk] for pk in ids if pk in rows]
