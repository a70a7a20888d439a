import datetime

import pytest
from django.utils import timezone

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report

# A fixed Wednesday morning, so "vandaag" and "deze week" do not depend on the day the tests run.
T0 = timezone.make_aware(datetime.datetime(2026, 5, 6, 9, 0))  # no change to or from summer time within 60 days


@pytest.fixture
def at():
    """Run a block with the service clock at a moment: `with at(T0 + 3 * DAY): ...`."""
    return clock.travel_to


def open_case(house, director, code="pga", surname="Jansen", **kwargs):
    """A case of `code` in `house` with `director` as procesregisseur (None: none yet), opened through the services."""
    case_type = CaseType.objects.get(code=code)
    report = register_report(
        member(house, Role.INTAKE), house, persons=[person_data(surname=surname, **kwargs)], requested_case_type=case_type
    )
    return case_services.open_case(
        actor=director or member(house, Role.PROCESS_DIRECTOR),
        house=house,
        case_type=case_type,
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Zorg en veiligheid",
        process_director=director,
    )
