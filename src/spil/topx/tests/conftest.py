import datetime

import pytest

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.meetings import services as meeting_services
from spil.meetings.models import MeetingType
from spil.organisations.models import Membership, Municipality, Role
from spil.testing.factories import MunicipalityFactory, member, person_data, register_report
from spil.topx import services


@pytest.fixture
def heerlen(house):
    return Municipality.objects.get(name="Heerlen")


@pytest.fixture
def kerkrade(house):
    return MunicipalityFactory(name="Kerkrade", cbs_code="GM0928", house=house)


@pytest.fixture
def bureau(house):
    return member(house, Role.BACK_OFFICE)


@pytest.fixture
def open_pga(intake_worker, regisseur, house, heerlen):
    """open_pga(surname, municipality=Heerlen, case_type="pga", house=house): an open case with one person."""

    def make(surname, municipality=None, code="pga", in_house=None):
        in_house = in_house or house
        municipality = heerlen if municipality is None else municipality
        creator = intake_worker if in_house == house else member(in_house, Role.INTAKE)
        director = regisseur if in_house == house else member(in_house, Role.PROCESS_DIRECTOR)
        report = register_report(creator, in_house, persons=[person_data(surname=surname, municipality=municipality)])
        return case_services.open_case(
            actor=director,
            house=in_house,
            case_type=CaseType.objects.get(code=code),
            report=report,
            persons=list(report.persons.all()),
            ave_level=4,
            reason="Weegtafel",
            process_director=director,
        )

    return make


@pytest.fixture
def meeting_of(bureau):
    """meeting_of(house, days_ago=1): a Top-X overleg of the house that has begun."""

    def make(in_house, days_ago=1, code="top-x-overleg"):
        planner = bureau if in_house.memberships.filter(user=bureau).exists() else member(in_house, Role.BACK_OFFICE)
        return meeting_services.plan_meeting(
            actor=planner,
            house=in_house,
            meeting_type=MeetingType.objects.get(code=code),
            starts_at=clock.now() - datetime.timedelta(days=days_ago),
            chair=planner,
        )

    return make


@pytest.fixture
def heerlen_list(bureau, house, heerlen):
    return services.create_list(actor=bureau, house=house, municipality=heerlen)


@pytest.fixture
def oov_heerlen(house, heerlen):
    user = member(house)
    Membership.objects.create(user=user, house=house, role=Role.OOV_OFFICER, municipality=heerlen)
    return user
