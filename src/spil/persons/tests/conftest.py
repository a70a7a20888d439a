import itertools

import pytest

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.organisations.models import Role
from spil.persons.bsn import check_digit
from spil.testing.factories import member, person_data, register_report


def valid_bsns():
    """Fictitious BSNs passing the 11-proef (starting with 999, as test BSNs do)."""
    for n in itertools.count(1):
        head = f"999{n:05d}"
        digit = check_digit(head)
        if digit is not None:
            yield f"{head}{digit}"


@pytest.fixture
def bsns():
    return valid_bsns()


@pytest.fixture
def bureau(house):
    return member(house, Role.BACK_OFFICE)


@pytest.fixture
def open_case():
    """open_case(actor, house, persons=[...], code="pga"): a melding registered by `actor` and an open case from it."""

    def make(actor, house, persons=None, code="pga", director=None):
        report = register_report(actor, house, persons=persons or [person_data()], requested_case_type=CaseType.objects.get(code=code))
        director = director or member(house, Role.PROCESS_DIRECTOR)
        return case_services.open_case(
            actor=director,
            house=house,
            case_type=report.requested_case_type,
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=director,
        )

    return make
