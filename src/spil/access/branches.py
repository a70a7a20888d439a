"""A reason to see a row, held as data: a branch names columns of the row itself (a melding's, a case's) and the value,
or one of the values, each must hold. `policy` defines the branches of each rule once; a queryset filters with them as
a `Q` (`as_q`), and a condition that Django is slow to build writes the same branches out as SQL (`as_sql`).
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from spil.core.lookups import IdArray, array_parameter

Branch = dict[str, object]  # column -> one value, a list of values, or an IdArray


def as_q(branches: list[Branch], path: str = "") -> Q:
    """The branches OR'ed, as conditions on the row's columns, or on the row that `path` leads to ("case__")."""
    return reduce(or_, (Q(**{_lookup(path + column, value): value for column, value in branch.items()}) for branch in branches))


def _lookup(field: str, value) -> str:
    if isinstance(value, IdArray):
        return f"{field}__any"
    if isinstance(value, (list, tuple)):
        return f"{field}__in"
    return field


def as_sql(branches: list[Branch], table: str, columns: dict[str, str] | None = None) -> tuple[str, list]:
    """The branches OR'ed, as one parenthesised SQL condition on the columns of `table` (an alias of the caller's
    statement), and its parameters. `columns` gives where the statement has a column of the row already (a case's id as
    a signal's `case_id`), so that no join is needed for it. A branch that asks for one of no values holds for no row
    and is left out, as Django leaves it out of a `Q`; PostgreSQL would still read its table for it."""
    alternatives, params = [], []
    for branch in branches:
        if any(_one_of_none(value) for value in branch.values()):
            continue
        conditions = []
        for column, value in branch.items():
            condition, param = _condition((columns or {}).get(column) or f"{table}.{column}", value)
            conditions.append(condition)
            params.append(param)
        alternatives.append("(" + " AND ".join(conditions) + ")")
    return "(" + (" OR ".join(alternatives) or "false") + ")", params


def _one_of_none(value) -> bool:
    return isinstance(value, (IdArray, list, tuple)) and not (value.ids if isinstance(value, IdArray) else value)


def _condition(column: str, value) -> tuple[str, object]:
    if isinstance(value, (IdArray, list, tuple)):  # one array parameter, as the `__any` lookup sends it
        values = value if isinstance(value, IdArray) else [item if type(item) is int else str(item) for item in value]
        placeholder, param = array_parameter(values, "bigint")
        return f"{column} = ANY({placeholder})", param
    return f"{column} = %s", value
