import datetime

import pytest

from spil.cases import services as case_services
from spil.cases.models import AccessLevel, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.meetings import services
from spil.meetings.models import MeetingType
from spil.organisations.models import PartnerType, Role
from spil.testing.factories import PartnerFactory, member, person_data, register_report


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")


@pytest.fixture
def back_office(house):
    return member(house, Role.BACK_OFFICE)


@pytest.fixture
def chair(house):
    """A procesregisseur who directs both cases and chairs the PGA-overleg."""
    return member(house, Role.PROCESS_DIRECTOR)


@pytest.fixture
def ggz(db):
    return PartnerFactory(name="Mondriaan GGZ", type=PartnerType.MENTAL_HEALTH)


@pytest.fixture
def reclassering(db):
    return PartnerFactory(name="Reclassering Nederland", type=PartnerType.PROBATION)


@pytest.fixture
def nurse(house, ggz):
    return member(house, Role.PROFESSIONAL, partner=ggz)


@pytest.fixture
def probation_officer(house, reclassering):
    return member(house, Role.CASE_DIRECTOR, partner=reclassering)


def open_case(intake, house, director, surname):
    report = register_report(intake, house, persons=[person_data(surname=surname)])
    return case_services.open_case(
        actor=director,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=director,
    )


@pytest.fixture
def case_a(intake_worker, house, chair, nurse, back_office):
    """Case of 'Appelboom'; the GGZ nurse is on its team."""
    case = open_case(intake_worker, house, chair, "Appelboom")
    case_services.add_team_member(case, actor=back_office, user=nurse, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL)
    return case


@pytest.fixture
def case_b(intake_worker, house, chair, probation_officer, back_office):
    """Case of 'Bakkerszoon'; the probation officer is on its team, the nurse is not."""
    case = open_case(intake_worker, house, chair, "Bakkerszoon")
    case_services.add_team_member(case, actor=back_office, user=probation_officer, role=TeamRole.CASE_DIRECTOR, access=AccessLevel.FULL)
    return case


@pytest.fixture
def pga_overleg(db):
    return MeetingType.objects.get(code="pga-overleg")


@pytest.fixture
def meeting(back_office, house, chair, pga_overleg):
    return services.plan_meeting(
        actor=back_office,
        house=house,
        meeting_type=pga_overleg,
        chair=chair,
        starts_at=clock.now() + datetime.timedelta(days=2),
        location="Heerlen",
    )


@pytest.fixture
def agenda(meeting, back_office, case_a, case_b, nurse, probation_officer):
    item_a = services.add_item(meeting, actor=back_office, case=case_a, attendees=[nurse], question="Woonplek dreigt te vervallen")
    item_b = services.add_item(meeting, actor=back_office, case=case_b, attendees=[probation_officer], question="Meldplicht gemist")
    return item_a, item_b


@pytest.fixture
def held(meeting, agenda, back_office):
    """The meeting was held two days ago, with minutes written for both items (not yet finalised)."""
    item_a, item_b = agenda
    with clock.travel_to(meeting.starts_at + datetime.timedelta(hours=2)):
        services.record_held(meeting, actor=back_office)
        services.write_minutes(
            item_a,
            actor=back_office,
            summary="Appelboom-bespreking: woning via corporatie",
            decisions="Urgentie aanvragen",
            expected_version=item_a.version,
        )
        services.write_minutes(
            item_b,
            actor=back_office,
            summary="Bakkerszoon-bespreking: meldplicht",
            decisions="Reclassering belt",
            expected_version=item_b.version,
        )
    meeting.refresh_from_db()
    return meeting
