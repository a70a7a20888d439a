"""Inwonerbijdrage (populations snapshotted per year) and jaarplan (fte totals, realised output)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError
from spil.finance import calculations, seed, services
from spil.meetings import services as meeting_services
from spil.meetings.models import MeetingType
from spil.organisations.models import Municipality, Role
from spil.testing.factories import member, register_report

pytestmark = pytest.mark.django_db


def test_a_contribution_splits_the_total_over_the_houses_municipalities(manager, parkstad):
    contribution = services.create_contribution(
        actor=manager, house=parkstad, year=2025, total=Decimal("1658940"), population_basis="CBS 2024"
    )
    table = calculations.contribution_table(contribution)
    assert {row.municipality: row.amount for row in table.rows} == {
        name: amount for name, (_, amount) in seed.PARKSTAD_CONTRIBUTION_TABLE.items()
    }
    assert table.rows[0].municipality == "Heerlen"  # largest first


def test_a_later_cbs_update_does_not_change_a_past_year(manager, parkstad):
    contribution = services.create_contribution(actor=manager, house=parkstad, year=2025, total=Decimal("1658940"))
    Municipality.objects.filter(name="Heerlen").update(population=90_000)
    later = services.create_contribution(actor=manager, house=parkstad, year=2026, total=Decimal("1658940"))
    heerlen_2025 = next(r for r in calculations.contribution_table(contribution).rows if r.municipality == "Heerlen")
    heerlen_2026 = next(r for r in calculations.contribution_table(later).rows if r.municipality == "Heerlen")
    assert (heerlen_2025.population, heerlen_2025.amount) == (87_461, Decimal("566370"))
    assert heerlen_2026.population == 90_000


def test_the_populations_used_can_be_corrected_deliberately(manager, parkstad):
    contribution = services.create_contribution(actor=manager, house=parkstad, year=2025, total=Decimal("1000"))
    heerlen = Municipality.objects.get(name="Heerlen")
    populations = {share.municipality_id: 0 for share in contribution.shares.all()} | {heerlen.pk: 1}
    services.update_contribution(
        contribution,
        actor=manager,
        total=Decimal("2000"),
        population_basis="",
        populations=populations,
        expected_version=contribution.version,
    )
    table = calculations.contribution_table(contribution)
    assert table.total == Decimal("2000")
    assert next(r for r in table.rows if r.municipality == "Heerlen").amount == Decimal("2000")
    with pytest.raises(ConcurrentEdit):
        services.update_contribution(
            contribution, actor=manager, total=Decimal("1"), population_basis="", populations={}, expected_version=1
        )


def test_a_contribution_needs_a_positive_total_and_inhabitants(manager, parkstad):
    with pytest.raises(DomainError, match="groter zijn dan nul"):
        services.create_contribution(actor=manager, house=parkstad, year=2025, total=Decimal("0"))
    contribution = services.create_contribution(actor=manager, house=parkstad, year=2025, total=Decimal("10"))
    with pytest.raises(DomainError, match="inwoners"):
        services.update_contribution(
            contribution,
            actor=manager,
            total=Decimal("10"),
            population_basis="",
            populations={s.municipality_id: 0 for s in contribution.shares.all()},
            expected_version=contribution.version,
        )


def nazorg_plan(manager, house, year=2025):
    plan = services.create_plan(actor=manager, house=house, year=year)
    fields = {
        "theme": "Personen met een hoog veiligheidsrisico",
        "name": "Nazorg ex-gedetineerden",
        "what_we_do": "Triage detentiemeldingen",
        "what_it_yields": "",
        "planned_output": 60,
        "output_unit": "casussen",
        "case_type": CaseType.objects.get(code="nazorg"),
        "meeting_type": None,
        "cost": Decimal("150000"),
        "order": 0,
    }
    # seed 002: nazorg 1 fte nazorgcoördinatie, 0.4 projectmedewerker, 0.3 procesondersteuning, 0.2 procesregie
    staff = [
        ("nazorgcoördinatie", Decimal("1")),
        ("projectmedewerker", Decimal("0.4")),
        ("procesondersteuning", Decimal("0.3")),
        ("procesregie", Decimal("0.2")),
    ]
    services.save_activity(plan, actor=manager, fields=fields, staff=staff)
    tables = {
        **fields,
        "name": "Jeugdbeschermingstafels",
        "case_type": None,
        "meeting_type": MeetingType.objects.get(code="jeugdbeschermingstafel"),
        "cost": None,
        "planned_output": 90,
        "output_unit": "tafels",
        "order": 1,
    }
    services.save_activity(plan, actor=manager, fields=tables, staff=[("procesregie", Decimal("0.6"))])
    return plan


def test_fte_totals_per_activity_and_per_role(manager, house):
    figures = calculations.plan_figures(nazorg_plan(manager, house))
    assert [f.fte for f in figures.activities] == [Decimal("1.9"), Decimal("0.6")]
    assert dict(figures.roles) == {
        "nazorgcoördinatie": Decimal("1"),
        "procesondersteuning": Decimal("0.3"),
        "procesregie": Decimal("0.8"),
        "projectmedewerker": Decimal("0.4"),
    }
    assert figures.fte == Decimal("2.5")
    assert figures.cost == Decimal("150000")


def test_realised_output_counts_cases_opened_and_tables_held_in_the_year_in_the_house(manager, parkstad, other_house):
    plan = nazorg_plan(manager, parkstad)
    worker = member(parkstad, Role.PROCESS_DIRECTOR, Role.INTAKE, Role.BACK_OFFICE)
    noord = member(other_house, Role.PROCESS_DIRECTOR, Role.INTAKE)
    nazorg = CaseType.objects.get(code="nazorg")

    def open_case(house, actor, moment, code="nazorg"):
        with clock.travel_to(timezone.make_aware(moment)):
            case_type = CaseType.objects.get(code=code)
            report = register_report(actor, house, requested_case_type=case_type)
            case_services.open_case(
                actor=actor,
                house=house,
                case_type=case_type,
                report=report,
                persons=list(report.persons.all()),
                ave_level=3,
                reason="x",
                process_director=actor,
            )

    open_case(parkstad, worker, datetime.datetime(2025, 1, 1, 0, 30))
    open_case(parkstad, worker, datetime.datetime(2025, 12, 31, 23, 0))
    open_case(parkstad, worker, datetime.datetime(2024, 12, 31, 23, 30))  # the year before
    open_case(parkstad, worker, datetime.datetime(2025, 6, 1, 12), code="pga")  # another case type
    open_case(other_house, noord, datetime.datetime(2025, 6, 1, 12))  # another house
    with clock.travel_to(timezone.make_aware(datetime.datetime(2026, 1, 10))):
        for day, hold in [(3, True), (10, True), (17, False)]:
            meeting = meeting_services.plan_meeting(
                actor=worker,
                house=parkstad,
                meeting_type=MeetingType.objects.get(code="jeugdbeschermingstafel"),
                starts_at=timezone.make_aware(datetime.datetime(2025, 3, day, 14)),
                chair=worker,
                municipality=Municipality.objects.get(name="Heerlen"),
            )
            if hold:
                meeting_services.record_held(meeting, actor=worker)
    figures = calculations.plan_figures(plan)
    assert [(f.activity.name, f.realised) for f in figures.activities] == [("Nazorg ex-gedetineerden", 2), ("Jeugdbeschermingstafels", 2)]
    assert nazorg.cases.count() == 4
    assert [f.realised_shown for f in figures.activities] == ["< 5", "< 5"]  # shown as the monitor shows small counts


def test_an_activity_counts_one_kind_of_output_and_names_each_role_once(manager, house):
    plan = services.create_plan(actor=manager, house=house, year=2025)
    fields = {
        "theme": "",
        "name": "X",
        "what_we_do": "x",
        "what_it_yields": "",
        "planned_output": None,
        "output_unit": "",
        "cost": None,
        "order": 0,
        "case_type": CaseType.objects.get(code="nazorg"),
        "meeting_type": MeetingType.objects.get(code="jeugdbeschermingstafel"),
    }
    with pytest.raises(DomainError, match="niet beide"):
        services.save_activity(plan, actor=manager, fields=fields, staff=[])
    with pytest.raises(DomainError, match="één keer"):
        services.save_activity(
            plan, actor=manager, fields={**fields, "meeting_type": None}, staff=[("Procesregie", Decimal(1)), ("procesregie ", Decimal(1))]
        )
