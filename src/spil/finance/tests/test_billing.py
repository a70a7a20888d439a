"""Plustaken: invoice lines per quarter from what Spil recorded as delivered."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError
from spil.finance import calculations, services
from spil.finance.models import Pricing
from spil.meetings import services as meeting_services
from spil.meetings.models import MeetingType
from spil.organisations.models import Municipality, Role
from spil.testing.factories import member, person_data, register_report

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 1, 15, 12, 0))


@pytest.fixture(autouse=True)
def in_2026():
    with clock.travel_to(NOW):
        yield


@pytest.fixture
def secretary(parkstad):
    return member(parkstad, Role.BACK_OFFICE)


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


def table(secretary, house, municipality, moment, *, status="held", code="jeugdbeschermingstafel"):
    meeting_type = MeetingType.objects.get(code=code)
    municipality = Municipality.objects.get(name=municipality) if municipality else None
    meeting = meeting_services.plan_meeting(
        actor=secretary, house=house, meeting_type=meeting_type, starts_at=moment, chair=secretary, municipality=municipality
    )
    if status in {"held", "finalised"}:
        meeting_services.record_held(meeting, actor=secretary)
    if status == "finalised":
        meeting_services.finalise_minutes(meeting, actor=secretary)
    if status == "cancelled":
        meeting_services.cancel_meeting(meeting, actor=secretary, reason="Casus vervallen")
    return meeting


def contract(manager, house, municipalities, *, pricing=Pricing.PER_DELIVERY, price="550", starts_on=(2025, 1, 1), ends_on=None, **basis):
    if pricing == Pricing.PER_DELIVERY and not basis:
        basis = {"meeting_type": MeetingType.objects.get(code="jeugdbeschermingstafel")}
    fields = {
        "name": "Beschermingstafel",
        "commissioner": "Gemeente Heerlen t.b.v. Parkstad",
        "pricing": pricing,
        "price": Decimal(price),
        "meeting_type": basis.get("meeting_type"),
        "case_type": basis.get("case_type"),
        "starts_on": datetime.date(*starts_on),
        "ends_on": datetime.date(*ends_on) if ends_on else None,
        "description": "",
    }
    return services.save_contract(
        actor=manager, house=house, fields=fields, municipalities=Municipality.objects.filter(name__in=municipalities)
    )


def test_one_line_per_table_held_for_the_contracts_municipalities_in_the_quarter(manager, secretary, parkstad, other_house):
    tafel = contract(manager, parkstad, ["Heerlen", "Kerkrade"])
    held_heerlen = table(secretary, parkstad, "Heerlen", at(2025, 2, 10, 14))
    finalised_kerkrade = table(secretary, parkstad, "Kerkrade", at(2025, 3, 31, 23, 30), status="finalised")  # still Q1, local time
    table(secretary, parkstad, "Brunssum", at(2025, 2, 11, 14))  # not a municipality of this contract
    table(secretary, parkstad, "Heerlen", at(2025, 3, 3, 14), status="planned")  # never recorded as held
    table(secretary, parkstad, "Heerlen", at(2025, 3, 4, 14), status="cancelled")
    table(secretary, parkstad, "Heerlen", at(2025, 3, 5, 14), code="regieteam")  # another kind of meeting
    table(secretary, parkstad, "Heerlen", at(2024, 12, 30, 14))  # before the quarter (and the contract)
    next_quarter = table(secretary, parkstad, "Heerlen", at(2025, 4, 1, 0, 30))
    noord = member(other_house, Role.BACK_OFFICE)
    with pytest.raises(DomainError):  # a table of another house cannot name a Parkstad municipality at all
        table(noord, other_house, "Heerlen", at(2025, 2, 12, 14))
    table(noord, other_house, "Venlo", at(2025, 2, 12, 14))

    lines = calculations.invoice_lines(tafel, 2025, 1)
    assert [(line.date, line.reference, line.municipality, line.amount) for line in lines] == [
        (datetime.date(2025, 2, 10), held_heerlen.number, "Heerlen", Decimal("550")),
        (datetime.date(2025, 3, 31), finalised_kerkrade.number, "Kerkrade", Decimal("550")),
    ]
    assert calculations.invoice_total(lines) == Decimal("1100")
    assert [line.reference for line in calculations.invoice_lines(tafel, 2025, 2)] == [next_quarter.number]


def test_the_same_quarter_gives_the_same_lines(manager, secretary, parkstad):
    tafel = contract(manager, parkstad, ["Heerlen"])
    for day in (20, 6, 13):
        table(secretary, parkstad, "Heerlen", at(2025, 5, day, 10))
    first = calculations.invoice_lines(tafel, 2025, 2)
    assert first == calculations.invoice_lines(tafel, 2025, 2)
    assert [line.date.day for line in first] == [6, 13, 20]


def test_only_tables_within_the_contract_period_count(manager, secretary, parkstad):
    tafel = contract(manager, parkstad, ["Heerlen"], starts_on=(2025, 2, 1), ends_on=(2025, 2, 28))
    table(secretary, parkstad, "Heerlen", at(2025, 1, 31, 10))
    inside = table(secretary, parkstad, "Heerlen", at(2025, 2, 28, 16))
    table(secretary, parkstad, "Heerlen", at(2025, 3, 1, 10))
    assert [line.reference for line in calculations.invoice_lines(tafel, 2025, 1)] == [inside.number]
    assert calculations.invoice_lines(tafel, 2025, 2) == []


def test_a_yearly_price_is_billed_in_four_instalments_that_add_up_exactly(manager, parkstad):
    yearly = contract(manager, parkstad, ["Heerlen"], pricing=Pricing.PER_YEAR, price="100000.01")
    amounts = [calculations.invoice_lines(yearly, 2025, q)[0].amount for q in calculations.QUARTERS]
    assert amounts == [Decimal("25000.00"), Decimal("25000.00"), Decimal("25000.00"), Decimal("25000.01")]
    assert sum(amounts) == Decimal("100000.01")


def test_no_instalment_outside_the_contract_period(manager, parkstad):
    rio = contract(manager, parkstad, ["Heerlen"], pricing=Pricing.PER_YEAR, price="140080", ends_on=(2025, 6, 30))
    assert len(calculations.invoice_lines(rio, 2025, 2)) == 1
    assert calculations.invoice_lines(rio, 2025, 3) == []
    assert calculations.invoice_lines(rio, 2024, 4) == []


def test_cases_opened_for_the_contracts_municipalities_can_be_the_delivery(manager, parkstad):
    regisseur = member(parkstad, Role.PROCESS_DIRECTOR, Role.INTAKE)
    jpp = CaseType.objects.get(code="jpp")
    per_case = contract(manager, parkstad, ["Kerkrade"], case_type=jpp, price="300")

    def open_case(municipality, moment):
        with clock.travel_to(moment):
            person = person_data(municipality=Municipality.objects.get(name=municipality))
            report = register_report(regisseur, parkstad, persons=[person], requested_case_type=jpp)
            return case_services.open_case(
                actor=regisseur,
                house=parkstad,
                case_type=jpp,
                report=report,
                persons=list(report.persons.all()),
                ave_level=2,
                reason="x",
                process_director=regisseur,
            )

    kerkrade = open_case("Kerkrade", at(2025, 7, 2, 10))
    open_case("Heerlen", at(2025, 7, 3, 10))
    lines = calculations.invoice_lines(per_case, 2025, 3)
    assert [(line.reference, line.amount) for line in lines] == [(kerkrade.number, Decimal("300"))]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"meeting_type": None}, "Kies wat als levering telt"),
        ({"case_type": "pga"}, "Kies wat als levering telt"),
        ({"pricing": Pricing.PER_YEAR}, "telt geen leveringen"),
        ({"price": Decimal("0")}, "groter zijn dan nul"),
        ({"ends_on": datetime.date(2024, 12, 31)}, "vóór de ingangsdatum"),
    ],
)
def test_a_contract_says_what_counts_as_a_delivery(manager, parkstad, change, message):
    fields = {
        "name": "Tafel",
        "commissioner": "Heerlen",
        "pricing": Pricing.PER_DELIVERY,
        "price": Decimal("550"),
        "meeting_type": MeetingType.objects.get(code="jeugdbeschermingstafel"),
        "case_type": None,
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": None,
        "description": "",
    }
    if change.get("case_type"):
        change = {"case_type": CaseType.objects.get(code=change["case_type"])}
    with pytest.raises(DomainError, match=message):
        services.save_contract(actor=manager, house=parkstad, fields={**fields, **change}, municipalities=parkstad.municipalities.all())


def test_restricted_case_types_are_never_billed_per_case(manager, parkstad):
    fields = {
        "name": "Radicalisering",
        "commissioner": "Heerlen",
        "pricing": Pricing.PER_DELIVERY,
        "price": Decimal("550"),
        "meeting_type": None,
        "case_type": CaseType.objects.get(code="pga-radicalisering"),
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": None,
        "description": "",
    }
    with pytest.raises(DomainError, match="afgeschermd"):
        services.save_contract(actor=manager, house=parkstad, fields=fields, municipalities=parkstad.municipalities.all())


def test_a_contract_names_municipalities_of_its_own_house(manager, parkstad, other_house):
    with pytest.raises(DomainError, match="alleen gemeenten van"):
        contract(manager, parkstad, ["Heerlen", "Venlo"])
