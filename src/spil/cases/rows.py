"""Cases as the rows of a list: the columns the lists show, read as values rather than as model instances.

Reading 25 cases whole, with their case type, processing activity, phase, regisseur and house joined in and their
persons prefetched, cost the case list about 15 ms of Python; the values and the names about 3 (docs/performance.md).
"""

import datetime
from dataclasses import dataclass

from spil.cases.models import Case, CaseStatus
from spil.persons.listed import PersonName, full_name, names_by


@dataclass(frozen=True, slots=True)
class CaseRow:
    pk: int
    number: str
    case_type: str
    activity_id: int  # the case type's processing activity, for the processing log
    ave_level: int
    phase: str
    phase_due_on: datetime.date | None
    status: str
    opened_at: datetime.datetime
    process_director: str  # full name, empty when none is assigned
    persons: list[PersonName]

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def get_status_display(self) -> str:
        return CaseStatus(self.status).label


_COLUMNS = (
    "pk", "number", "case_type__name", "case_type__processing_activity_id", "ave_level", "phase__name", "phase_due_on",
    "status", "opened_at", "process_director__first_name", "process_director__last_name",
)  # fmt: skip


def case_rows(ids: list[int]) -> list[CaseRow]:
    """The cases of `ids` as rows, in the order of `ids`. The ids must come from a query with the user's visibility rule
    (`web.listing`)."""
    if not ids:
        return []
    values = Case.objects.filter(pk__in=ids).order_by().values_list(*_COLUMNS)
    persons = names_by(Case.persons.through, "case", ids)
    rows = {}
    for pk, number, case_type, activity_id, ave, phase, due, status, opened, first, last in values:
        director = full_name(first or "", "", last or "")
        rows[pk] = CaseRow(pk, number, case_type, activity_id, ave, phase, due, status, opened, director, persons.get(pk, []))
    return [rows[pk] for pk in ids if pk in rows]
