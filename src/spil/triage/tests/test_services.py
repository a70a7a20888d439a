import datetime

import pytest
from django.utils import timezone

from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.intake import services as intake_services
from spil.intake.models import ReportStatus
from spil.testing.factories import register_report
from spil.triage import services
from spil.triage.models import Outcome, SessionStatus

TUESDAY_TABLE = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))  # a Tuesday
MONDAY_NOON = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0))


def ready_report(actor, house, at):
    with clock.travel_to(at - datetime.timedelta(days=3)):
        report = register_report(actor, house, received_on=(at - datetime.timedelta(days=3)).date())
    with clock.travel_to(at):
        intake_services.change_status(report, actor=actor, to=ReportStatus.READY)
    return report


@pytest.mark.parametrize(
    "starts_at, expected",
    [
        (TUESDAY_TABLE, MONDAY_NOON),
        (MONDAY_NOON + datetime.timedelta(hours=2), MONDAY_NOON),  # a Monday-afternoon table closes that noon
        (MONDAY_NOON - datetime.timedelta(hours=1), MONDAY_NOON - datetime.timedelta(days=7)),
        (TUESDAY_TABLE + datetime.timedelta(days=3), MONDAY_NOON),  # Friday
    ],
)
def test_cutoff_is_the_last_weekly_moment_before_the_table(house, starts_at, expected):
    assert services.cutoff_for(house, starts_at) == expected


def test_cutoff_follows_the_house_setting(house):
    house.triage_cutoff_weekday = 4  # Friday
    house.triage_cutoff_time = datetime.time(16, 0)
    assert services.cutoff_for(house, TUESDAY_TABLE) == timezone.make_aware(datetime.datetime(2026, 11, 20, 16, 0))


def test_agenda_holds_meldingen_ready_before_the_cutoff_only(intake_worker, weger, house, other_house):
    early = ready_report(intake_worker, house, MONDAY_NOON - datetime.timedelta(hours=1))
    late = ready_report(intake_worker, house, MONDAY_NOON + datetime.timedelta(minutes=1))
    register_report(intake_worker, house)  # received, not ready
    session = services.plan_session(actor=weger, house=house, starts_at=TUESDAY_TABLE)
    assert [item.report for item in session.items.all()] == [early]
    assert "Geagendeerd" in early.events.last().text

    next_week = services.plan_session(actor=weger, house=house, starts_at=TUESDAY_TABLE + datetime.timedelta(days=7))
    assert [item.report for item in next_week.items.all()] == [late]


def test_refreshing_the_agenda_adds_only_new_meldingen(intake_worker, weger, house):
    ready_report(intake_worker, house, MONDAY_NOON - datetime.timedelta(days=1))
    session = services.plan_session(actor=weger, house=house, starts_at=TUESDAY_TABLE)
    ready_report(intake_worker, house, MONDAY_NOON - datetime.timedelta(hours=1))
    assert len(services.refresh_agenda(session, actor=weger)) == 1
    assert services.refresh_agenda(session, actor=weger) == []
    assert session.items.count() == 2


def test_back_to_enrichment_takes_a_melding_off_the_agenda(intake_worker, weger, house):
    report = ready_report(intake_worker, house, MONDAY_NOON - datetime.timedelta(days=1))
    session = services.plan_session(actor=weger, house=house, starts_at=TUESDAY_TABLE)
    intake_services.change_status(report, actor=intake_worker, to=ReportStatus.ENRICHING)
    assert not session.items.exists()


@pytest.fixture
def agenda_item(intake_worker, weger, house):
    ready_report(intake_worker, house, MONDAY_NOON - datetime.timedelta(days=1))
    session = services.plan_session(actor=weger, house=house, starts_at=TUESDAY_TABLE, participants=[weger])
    return session.items.get()


def test_procesregie_opens_a_case_with_the_decided_ave_and_the_melding_persons(agenda_item, weger, regisseur):
    services.decide(
        agenda_item,
        actor=weger,
        ave_level=3,
        outcome=Outcome.PROCESS_DIRECTION,
        reasons="Zorg en veiligheid",
        criteria={"multiple_life_domains", "serious_local_safety"},
        process_director=regisseur,
    )
    report = agenda_item.report
    report.refresh_from_db()
    assert report.status == ReportStatus.TRIAGED
    case = Case.objects.get(report=report)
    assert case.case_type.code == "pga" and case.ave_level == 3 and case.process_director == regisseur
    assert case.phase == case.case_type.first_phase
    assert list(case.persons.all()) == list(report.persons.all())
    assert list(agenda_item.participants.all()) == [weger]
    assert case.ave_changes.get().from_level is None


def test_consult_and_advies_opens_a_c_and_a_case(agenda_item, weger):
    services.decide(agenda_item, actor=weger, ave_level=2, outcome=Outcome.CONSULT, reasons="Advies aan melder")
    assert Case.objects.get().case_type.code == "consult-advies"


@pytest.mark.parametrize("outcome", [Outcome.LOCAL, Outcome.PARTNER, Outcome.OTHER_REGION])
def test_routing_records_where_to_and_opens_no_case(agenda_item, weger, outcome):
    with pytest.raises(DomainError):
        services.decide(agenda_item, actor=weger, ave_level=2, outcome=outcome, reasons="Past lokaal")
    services.decide(agenda_item, actor=weger, ave_level=2, outcome=outcome, reasons="Past lokaal", routed_to="Wijkteam Heerlen")
    assert not Case.objects.exists()
    assert "Gerouteerd naar Wijkteam Heerlen" in agenda_item.report.events.last().text


def test_no_action_opens_no_case(agenda_item, weger):
    services.decide(agenda_item, actor=weger, ave_level=1, outcome=Outcome.NO_ACTION, reasons="Geen ZVH-casus")
    assert not Case.objects.exists()


def test_procesregie_needs_a_landelijk_criterium_and_reasons(agenda_item, weger):
    with pytest.raises(DomainError, match="criterium"):
        services.decide(agenda_item, actor=weger, ave_level=3, outcome=Outcome.PROCESS_DIRECTION, reasons="x")
    with pytest.raises(DomainError, match="motivering"):
        services.decide(agenda_item, actor=weger, ave_level=3, outcome=Outcome.NO_ACTION, reasons="  ")
    assert agenda_item.report.status == ReportStatus.READY


def test_a_label_is_not_a_case_type_to_open(agenda_item, weger):
    pga = CaseType.objects.get(code="pga")
    label = CaseType.objects.create(
        code="label-x", name="Label X", lead_time_days=1, label_for=pga, processing_activity=pga.processing_activity
    )
    with pytest.raises(DomainError, match="label"):
        services.decide(
            agenda_item,
            actor=weger,
            ave_level=3,
            outcome=Outcome.PROCESS_DIRECTION,
            reasons="x",
            criteria={"multiple_chains"},
            case_type=label,
        )


def test_deciding_twice_is_refused(agenda_item, weger):
    services.decide(agenda_item, actor=weger, ave_level=1, outcome=Outcome.NO_ACTION, reasons="Geen actie")
    with pytest.raises(IllegalTransition):
        services.decide(agenda_item, actor=weger, ave_level=1, outcome=Outcome.NO_ACTION, reasons="Nogmaals")


def test_a_session_closes_only_when_everything_is_decided(agenda_item, weger):
    session = agenda_item.session
    with pytest.raises(IllegalTransition):
        services.close_session(session, actor=weger)
    services.decide(agenda_item, actor=weger, ave_level=1, outcome=Outcome.NO_ACTION, reasons="Geen actie")
    services.close_session(session, actor=weger)
    assert session.status == SessionStatus.CLOSED
    with pytest.raises(IllegalTransition):
        services.refresh_agenda(session, actor=weger)
