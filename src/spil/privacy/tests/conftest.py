import datetime

import pytest
from django.utils import timezone

from spil.cases import services as case_services
from spil.cases.models import Case, ClosingResult
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import ReportStatus
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member, person_data, register_report
from spil.triage import services as triage_services
from spil.triage.models import Outcome


@pytest.fixture
def officer(house):
    return member(house, Role.PRIVACY_OFFICER)


@pytest.fixture
def other_officer(other_house):
    return member(other_house, Role.PRIVACY_OFFICER)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def closed_case(intake_worker, weger, regisseur):
    """A case that went the whole way through the services (melding, verrijking, weegtafel, AVE change), closed on
    `closed_on`; its melding started 60 days earlier."""

    def make(house=None, *, closed_on: datetime.date, persons=None, outcome=Outcome.PROCESS_DIRECTION, actors=None) -> Case:
        """`actors`: one user doing everything (intake, weging, regie), for a house other than the fixtures'."""
        house = house or regisseur.memberships.first().house
        intake_worker_, weger_, regisseur_ = (actors, actors, actors) if actors else (intake_worker, weger, regisseur)
        start = closed_on - datetime.timedelta(days=60)
        with clock.travel_to(at(start)):
            report = register_report(intake_worker_, house, persons=persons or [person_data()], received_on=start)
            enrichment = intake_services.request_enrichment(
                report, actor=intake_worker_, partner=PartnerFactory(), question="Wat weet u?", requested_on=start
            )
            intake_services.record_enrichment_answer(
                enrichment, actor=intake_worker_, answered_on=start, summary="Bekend bij de wijkagent."
            )
            intake_services.change_status(report, actor=intake_worker_, to=ReportStatus.READY)
        table = start + datetime.timedelta(days=10)
        with clock.travel_to(at(table)):
            session = triage_services.plan_session(actor=weger_, house=house, starts_at=at(table))
            item = session.items.get(report=report)
            triage_services.decide(
                item,
                actor=weger_,
                ave_level=3,
                outcome=outcome,
                reasons="Vastgelopen op meerdere leefgebieden.",
                criteria={"multiple_life_domains"},
                process_director=regisseur_,
            )
        case = Case.objects.get(report=report)
        with clock.travel_to(at(table + datetime.timedelta(days=5))):
            case_services.change_ave(case, actor=regisseur_, to_level=2, reason="Stabiel", expected_version=case.version)
        with clock.travel_to(at(closed_on)):
            case = Case.objects.get(pk=case.pk)
            case_services.close_case(case, actor=regisseur_, result=ClosingResult.GOAL_REACHED, note="", expected_version=case.version)
        return Case.objects.get(pk=case.pk)

    return make
