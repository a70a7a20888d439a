import datetime

import pytest

from spil.cases import services as case_services
from spil.cases.models import AccessLevel, TeamRole
from spil.casetypes.models import CaseType, LifeDomain
from spil.core import clock
from spil.organisations.models import PartnerType, Role
from spil.plans import services
from spil.testing.factories import PartnerFactory, member, register_report


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def reclassering(db):
    return PartnerFactory(name="Reclassering Nederland, regio Limburg", type=PartnerType.PROBATION)


@pytest.fixture
def ggz(db):
    return PartnerFactory(name="Mondriaan GGZ", type=PartnerType.MENTAL_HEALTH)


@pytest.fixture
def probation_officer(house, reclassering):
    """A casusregisseur of the Reclassering in the house, not on the case team."""
    return member(house, Role.CASE_DIRECTOR, partner=reclassering)


@pytest.fixture
def nurse(house, ggz):
    return member(house, Role.PROFESSIONAL, partner=ggz)


@pytest.fixture
def case(intake_worker, regisseur, house):
    report = register_report(intake_worker, house)
    return case_services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=regisseur,
    )


@pytest.fixture
def housing():
    return LifeDomain.objects.get(code="huisvesting")


@pytest.fixture
def addiction():
    return LifeDomain.objects.get(code="verslaving")


def day(offset: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=offset)


@pytest.fixture
def draft(case, regisseur, reclassering, ggz, housing, addiction):
    """A concept with a goal and an action for two partners."""
    plan = services.start_plan(case, actor=regisseur)
    services.set_goal(plan, actor=regisseur, life_domain=housing, situation="Dakloos", goal="Vaste woonplek")
    services.add_action(
        plan,
        actor=regisseur,
        life_domain=housing,
        description="Toezicht en begeleiding naar woning",
        partner=reclassering,
        responsible=None,
        start_on=day(0),
        due_on=day(60),
    )
    services.add_action(
        plan,
        actor=regisseur,
        life_domain=addiction,
        description="Behandeling verslaving",
        partner=ggz,
        responsible=None,
        start_on=day(0),
        due_on=day(90),
    )
    plan.refresh_from_db()
    return plan


def confirm_all(plan, *answerers):
    for confirmation in services.open_confirmations(plan):
        user = next(u for u in answerers if services.acts_for(u, plan.case, confirmation.partner))
        services.answer_confirmation(confirmation, actor=user, confirmed=True, reason="")
    plan.refresh_from_db()


@pytest.fixture
def offered(draft, regisseur, probation_officer, nurse):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    confirm_all(draft, probation_officer, nurse)
    services.offer(draft, actor=regisseur, offered_on=clock.today(), expected_version=draft.version)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def running(offered, regisseur):
    services.accept(
        offered,
        actor=regisseur,
        decided_on=clock.today(),
        agreement="mondeling",
        note="Akkoord in gesprek met cliënt",
        expected_version=offered.version,
    )
    services.start(offered, actor=regisseur, started_on=clock.today(), expected_version=offered.version)
    offered.refresh_from_db()
    return offered


@pytest.fixture
def summary_member(case, house, reclassering, weger):
    """A Reclassering professional on the case team with summary access."""
    user = member(house, Role.PROFESSIONAL, partner=reclassering)
    case_services.add_team_member(case, actor=weger, user=user, role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    return user
