"""Meldingen as the rows of a list: the columns the inbox and Mijn werk show, read as values rather than as model
instances (a melding's full record carries its texts and the meldformulier's data; see `cases.rows`)."""

import datetime
from dataclasses import dataclass

from spil.intake.models import Report, ReportPerson, ReportStatus
from spil.persons.listed import PersonName, names_by


@dataclass(frozen=True, slots=True)
class ReportRow:
    pk: int
    number: str
    received_on: datetime.date
    requested_case_type: str
    source_partner: str
    status: str
    house: str
    persons: list[PersonName]

    def get_status_display(self) -> str:
        return ReportStatus(self.status).label


_COLUMNS = ("pk", "number", "received_on", "requested_case_type__name", "source_partner__name", "status", "house__name")


def report_rows(ids: list[int]) -> list[ReportRow]:
    """The meldingen of `ids` as rows, in the order of `ids`. The ids must come from a query with the user's visibility
    rule (`web.listing`)."""
    if not ids:
        return []
    values = Report.objects.filter(pk__in=ids).order_by().values_list(*_COLUMNS)
    persons = names_by(ReportPerson, "report", ids)
    rows = {pk: ReportRow(pk, *columns, persons.get(pk, [])) for pk, *columns in values}
    return [rows[pk] for pk in ids if pk in rows]
