import datetime

import pytest
from django.utils import timezone

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake.models import Channel
from spil.organisations.models import Municipality, Role
from spil.plans.models import Plan, PlanStatus
from spil.testing.factories import PartnerFactory, member, person_data, register_report
from spil.triage.models import TriageItem, TriageSession

PERIOD = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def manager(house):
    return member(house, Role.MANAGER)


@pytest.fixture
def dataset(house, other_house):
    """A hand-built half year (1 January - 30 June 2025) in Parkstad, with noise outside it.

    Meldingen: 7 from the police by phone (PGA, persons in Heerlen), 2 from GGZ by e-mail (BIJ, no gemeente);
    3 in March 2024 (a year earlier); 1 on 31 December 2024 and 1 in another house (not counted).
    Weging: 6 decisions, 1, 2, 3, 4, 10 and 20 days after receipt; 5 procesregie (AVE 3), 1 geen actie (AVE 2).
    Cases: 6 PGA opened in the period, 5 of them closed after 10, 20, 30, 40 and 100 days ("doel bereikt");
    one PGA opened in November 2024 and still open; one AVE raised and one lowered in the period.
    Plans of the first five cases: offered 5-9 days after the weging, accepted 1, 1, 2, 3 and 10 days later.
    """
    director = member(house, Role.PROCESS_DIRECTOR, Role.INTAKE, Role.TRIAGE)
    director.first_name, director.last_name = "Marieke", "Smeets"
    director.save()
    police, ggz = PartnerFactory(name="Politie Limburg"), PartnerFactory(name="GGZ Mondriaan")
    heerlen = Municipality.objects.get(name="Heerlen")
    pga, bij = CaseType.objects.get(code="pga"), CaseType.objects.get(code="bij")
    start = PERIOD[0]

    def report(day, partner=police, channel=Channel.PHONE, theme=pga, where=heerlen, house_=house, actor=director):
        with clock.travel_to(at(day)):
            return register_report(
                actor,
                house_,
                persons=[person_data(municipality=where)],
                source_partner=partner,
                channel=channel,
                received_on=day,
                requested_case_type=theme,
            )

    pga_reports = [report(start + datetime.timedelta(days=10 * i)) for i in range(7)]
    for i in range(2):
        report(start + datetime.timedelta(days=40 + i), partner=ggz, channel=Channel.EMAIL, theme=bij, where=None)
    for i in range(3):
        report(datetime.date(2024, 3, 5 + i))
    report(datetime.date(2024, 12, 31))
    report(start, house_=other_house, actor=member(other_house, Role.INTAKE))

    session = TriageSession.objects.create(house=house, starts_at=at(start), cutoff_at=at(start), created_by=director)
    for order, (melding, days) in enumerate(zip(pga_reports, [1, 2, 3, 4, 10, 20], strict=False)):
        TriageItem.objects.create(
            session=session,
            report=melding,
            order=order,
            decided_at=at(melding.received_on + datetime.timedelta(days=days)),
            decided_by=director,
            outcome="procesregie" if order < 5 else "geen_actie",
            ave_level=3 if order < 5 else 2,
        )

    def open_case(melding, day):
        with clock.travel_to(at(day)):
            return case_services.open_case(
                actor=director,
                house=house,
                case_type=pga,
                report=melding,
                persons=list(melding.persons.all()),
                ave_level=3,
                reason="x",
                process_director=director,
            )

    cases = [open_case(pga_reports[i], start + datetime.timedelta(days=5 + i)) for i in range(6)]
    for case, days in zip(cases, [10, 20, 30, 40, 100], strict=False):
        with clock.travel_to(at(case.opened_at.date() + datetime.timedelta(days=days), 15)):
            case_services.close_case(case, actor=director, result="doel_bereikt", note="", expected_version=case.version)
    # Plans: offered 5, 6, 7, 8 and 9 days after the weging, accepted 1, 1, 2, 3 and 10 days after the offer.
    for case, item, offer_after, accept_after in zip(
        cases, TriageItem.objects.order_by("order"), [5, 6, 7, 8, 9], [1, 1, 2, 3, 10], strict=False
    ):
        offered_on = timezone.localdate(item.decided_at) + datetime.timedelta(days=offer_after)
        Plan.objects.create(
            case=case,
            version_number=1,
            status=PlanStatus.ACCEPTED,
            offered_on=offered_on,
            decided_on=offered_on + datetime.timedelta(days=accept_after),
            created_by=director,
        )
    earlier = report(datetime.date(2024, 11, 1))
    open_case(earlier, datetime.date(2024, 11, 1))
    still_open = cases[5]
    with clock.travel_to(at(datetime.date(2025, 3, 1))):
        case_services.change_ave(still_open, actor=director, to_level=4, reason="Escalatie", expected_version=still_open.version)
    with clock.travel_to(at(datetime.date(2025, 4, 1))):
        still_open.refresh_from_db()
        case_services.change_ave(still_open, actor=director, to_level=2, reason="Rustiger", expected_version=still_open.version)
    return {"director": director}
