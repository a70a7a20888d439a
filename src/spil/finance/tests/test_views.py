"""The bedrijfsvoering screens: who may see and do what, forms in Dutch notation, exports, constant query counts."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from spil.core import clock
from spil.finance import seed, services
from spil.finance.models import Budget, BudgetAmount, Contract, Contribution, Pricing
from spil.finance.tests.test_budget import parkstad_budget
from spil.meetings import services as meeting_services
from spil.meetings.models import MeetingType
from spil.organisations.models import Municipality, Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def url(name, house, year=2025, *args):
    return reverse(f"finance:{name}", args=[house.code, year, *args])


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response, sheet=0):
    workbook = load_workbook(io.BytesIO(b"".join(response)))
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


@pytest.fixture
def tafel(manager, parkstad):
    return services.save_contract(
        actor=manager,
        house=parkstad,
        municipalities=Municipality.objects.filter(name__in=["Heerlen", "Kerkrade"]),
        fields={
            "name": "Beschermingstafel",
            "commissioner": "Gemeente Heerlen",
            "pricing": Pricing.PER_DELIVERY,
            "price": Decimal("550"),
            "meeting_type": MeetingType.objects.get(code="jeugdbeschermingstafel"),
            "case_type": None,
            "starts_on": datetime.date(2025, 1, 1),
            "ends_on": None,
            "description": "",
        },
    )


# Access -----------------------------------------------------------------------------------------------------------


def test_the_stuurgroep_reads_budget_contribution_and_plan_but_changes_nothing_and_sees_no_plustaken(
    client, steering, manager, parkstad, tafel
):
    parkstad_budget(manager, parkstad)
    services.create_contribution(actor=manager, house=parkstad, year=2025, total=seed.PARKSTAD_CONTRIBUTION)
    services.create_plan(actor=manager, house=parkstad, year=2025)
    client.force_login(steering)
    for name in ["year", "budget", "contribution", "plan"]:
        response = client.get(url(name, parkstad))
        assert response.status_code == 200, name
        assert b"Plustaken" not in response.content
    for name in ["budget-export", "contribution-export", "plan-export"]:
        assert client.get(url(name, parkstad, 2025, "csv")).status_code == 200
    assert b"Regel toevoegen" not in client.get(url("budget", parkstad)).content
    for name in ["budget-line-create", "contribution-edit", "activity-create", "contracts", "contract-create", "budget-revision"]:
        assert client.get(url(name, parkstad)).status_code == 403, name
    assert client.get(url("billing", parkstad, 2025, tafel.pk, 1)).status_code == 403
    assert client.post(url("budget-create", parkstad, 2026)).status_code == 403


def test_another_house_does_not_exist_for_its_managers(client, other_manager, manager, parkstad, tafel):
    parkstad_budget(manager, parkstad)
    client.force_login(other_manager)
    for name in ["year", "budget", "contribution", "plan", "contracts", "budget-line-create"]:
        assert client.get(url(name, parkstad)).status_code == 404, name
    assert client.get(url("budget-export", parkstad, 2025, "csv")).status_code == 404
    assert client.get(url("billing", parkstad, 2025, tafel.pk, 1)).status_code == 404
    other = other_manager.memberships.get().house
    assert client.get(url("billing", other, 2025, tafel.pk, 1)).status_code == 404  # the contract is not of that house
    assert b"Parkstad" not in client.get(reverse("finance:home")).content


def test_case_workers_have_no_bedrijfsvoering(client, regisseur, parkstad):
    client.force_login(regisseur)
    assert client.get(reverse("finance:home")).status_code == 403
    assert client.get(url("budget", parkstad)).status_code == 404
    assert b"Bedrijfsvoering" not in client.get(reverse("web:my-work")).content


def test_the_menu_shows_bedrijfsvoering_to_who_may_read_it(client, steering):
    client.force_login(steering)
    assert b'href="/bedrijfsvoering/"' in client.get(reverse("web:my-work")).content


def test_unknown_years_quarters_and_formats_are_not_found(client, manager, parkstad, tafel):
    client.force_login(manager)
    assert client.get(url("budget", parkstad, 1900)).status_code == 404
    assert client.get(url("billing", parkstad, 2025, tafel.pk, 5)).status_code == 404
    services.create_contribution(actor=manager, house=parkstad, year=2025, total=Decimal("10"))
    assert client.get(url("contribution-export", parkstad, 2025, "pdf")).status_code == 404


# Forms -----------------------------------------------------------------------------------------------------------


def test_the_bedrijfsbureau_builds_a_budget_with_dutch_amounts(client, back_office, parkstad):
    client.force_login(back_office)
    response = client.get(url("budget", parkstad, 2026))
    assert b"Begroting 2026 aanmaken" in response.content
    assert client.post(url("budget-create", parkstad, 2026)).status_code == 302
    budget = Budget.objects.get(house=parkstad, year=2026)
    primary = budget.versions.get()
    response = client.post(
        url("budget-line-create", parkstad, 2026),
        {
            "kind": "baten",
            "nature": "structureel",
            "group": "Structurele baten",
            "description": "Inwonerbijdrage",
            "funder": "Deelnemende gemeenten",
            "order": "0",
            f"amount_{primary.pk}": "€ 1.658.940,00",
        },
    )
    assert response.status_code == 302
    assert BudgetAmount.objects.get(version=primary).amount == Decimal("1658940")
    page = client.get(url("budget", parkstad, 2026)).content.decode()
    assert "€\xa01.658.940,00" in page
    assert "Totaal baten" in page


def test_a_wrong_amount_is_explained_and_the_input_kept(client, manager, parkstad):
    budget = services.create_budget(actor=manager, house=parkstad, year=2026)
    client.force_login(manager)
    response = client.post(
        url("budget-line-create", parkstad, 2026),
        {
            "kind": "lasten",
            "nature": "structureel",
            "group": "Personeel",
            "description": "Loonsom",
            "order": "0",
            f"amount_{budget.versions.get().pk}": "veel",
        },
    )
    assert response.status_code == 200
    assert "Vul een bedrag of getal in" in response.content.decode()
    assert 'value="Loonsom"' in response.content.decode()


def test_adopting_a_version_and_revising_it_from_the_screens(client, manager, parkstad):
    parkstad_budget(manager, parkstad, revise=False)
    client.force_login(manager)
    primary = Budget.objects.get().versions.get()
    response = client.post(url("budget-adopt", parkstad, 2025, primary.pk), {"adopted_on": "2024-07-03", "note": ""})
    assert response.status_code == 302
    assert client.post(url("budget-revision", parkstad), {"note": "Eerste bijstelling"}).status_code == 302
    line = Budget.objects.get().lines.get(description="Huur")
    form = client.get(url("budget-line", parkstad, 2025, line.pk)).content.decode()
    assert f"amount_{primary.pk}" not in form  # the adopted version can no longer be typed in
    page = client.get(url("budget", parkstad)).content.decode()
    assert "Verschil 1e bijstelling t.o.v. primaire begroting" in page


def test_the_contribution_is_entered_as_a_total_and_the_table_computed(client, manager, parkstad):
    client.force_login(manager)
    assert b"Inwonerbijdrage 2025 vastleggen" in client.get(url("contribution", parkstad)).content
    response = client.post(url("contribution-edit", parkstad), {"total": "1.658.940", "population_basis": "CBS 2024"})
    assert response.status_code == 302
    page = client.get(url("contribution", parkstad)).content.decode()
    for _, amount in seed.PARKSTAD_CONTRIBUTION_TABLE.values():
        assert f"€\xa0{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in page
    assert "€\xa01.658.941,00" in page  # the sum of the rounded amounts
    assert "+\xa0€\xa01,00" in page  # the rounding difference, shown
    assert "€\xa06,48" in page


def test_an_activity_with_its_formation(client, manager, parkstad):
    services.create_plan(actor=manager, house=parkstad, year=2025)
    client.force_login(manager)
    data = {
        "theme": "",
        "name": "Nazorg ex-gedetineerden",
        "what_we_do": "Triage detentiemeldingen",
        "what_it_yields": "",
        "planned_output": "60",
        "output_unit": "casussen",
        "case_type": "",
        "meeting_type": "",
        "cost": "",
        "order": "0",
        "formatie-TOTAL_FORMS": "3",
        "formatie-INITIAL_FORMS": "0",
        "formatie-MIN_NUM_FORMS": "0",
        "formatie-MAX_NUM_FORMS": "1000",
        "formatie-0-role": "nazorgcoördinatie",
        "formatie-0-fte": "1",
        "formatie-1-role": "projectmedewerker",
        "formatie-1-fte": "0,4",
        "formatie-2-role": "",
        "formatie-2-fte": "",
    }
    assert client.post(url("activity-create", parkstad), data).status_code == 302
    page = client.get(url("plan", parkstad)).content.decode()
    assert "0,40 fte projectmedewerker" in page
    assert "1,40" in page
    response = client.post(url("activity-create", parkstad), {**data, "formatie-2-role": "procesregie"})
    assert response.status_code == 200
    assert "Vul het aantal fte in" in response.content.decode()


def test_the_billing_page_and_its_exports(client, manager, parkstad, tafel):
    secretary = member(parkstad, Role.BACK_OFFICE)
    with clock.travel_to(timezone.make_aware(datetime.datetime(2026, 1, 10))):
        held = []
        for day, municipality in [(5, "Heerlen"), (12, "Kerkrade"), (19, "Brunssum")]:
            meeting = meeting_services.plan_meeting(
                actor=secretary,
                house=parkstad,
                meeting_type=tafel.meeting_type,
                chair=secretary,
                starts_at=timezone.make_aware(datetime.datetime(2025, 2, day, 14)),
                municipality=Municipality.objects.get(name=municipality),
            )
            held.append(meeting_services.record_held(meeting, actor=secretary))
    client.force_login(manager)
    page = client.get(url("billing", parkstad, 2025, tafel.pk, 1)).content.decode()
    assert held[0].number in page and held[1].number in page and held[2].number not in page
    assert "€\xa01.100,00" in page
    rows = csv_rows(client.get(url("billing-export", parkstad, 2025, tafel.pk, 1, "csv")))
    assert rows == [
        ["Datum", "Nummer", "Omschrijving", "Gemeente", "Aantal", "Bedrag (euro)"],
        ["2025-02-05", held[0].number, "Jeugdbeschermingstafel", "Heerlen", "1", "550,00"],
        ["2025-02-12", held[1].number, "Jeugdbeschermingstafel", "Kerkrade", "1", "550,00"],
        ["", "Totaal", "2 regels", "", "2", "1100,00"],
    ]
    sheet = xlsx_rows(client.get(url("billing-export", parkstad, 2025, tafel.pk, 1, "xlsx")))
    assert sheet[1][1:] == [held[0].number, "Jeugdbeschermingstafel", "Heerlen", 1, 550]
    assert sheet[-1][-1] == 1100
    assert b"Geen factuurregels" in client.get(url("billing", parkstad, 2025, tafel.pk, 2)).content


def test_the_budget_export_holds_lines_differences_and_totals(client, manager, parkstad):
    parkstad_budget(manager, parkstad)
    client.force_login(manager)
    rows = csv_rows(client.get(url("budget-export", parkstad, 2025, "csv")))
    assert rows[0] == [
        "Soort",
        "Aard",
        "Groep",
        "Omschrijving",
        "Financier",
        "Primaire begroting",
        "1e bijstelling",
        "Verschil 1e bijstelling t.o.v. primaire begroting",
    ]
    by_description = {row[3]: row for row in rows[1:]}
    assert by_description["Loonsom medewerkers"][5:] == ["2764551,00", "3001271,00", "236720,00"]
    assert by_description["Verzekeringen"][5:] == ["", "20000,00", "20000,00"]
    assert by_description["Totaal baten"][5:] == ["3158300,00", "3563176,00", "404876,00"]
    assert by_description["Saldo (baten − lasten)"][5:] == ["0,00", "-7260,00", "-7260,00"]
    workbook = load_workbook(io.BytesIO(b"".join(client.get(url("budget-export", parkstad, 2025, "xlsx")))))
    assert workbook.sheetnames == ["Begroting 2025 ZVH Parkstad", "Structureel en incidenteel", "Baten per financier"]


def test_the_contribution_export(client, manager, parkstad):
    services.create_contribution(actor=manager, house=parkstad, year=2025, total=seed.PARKSTAD_CONTRIBUTION, population_basis="CBS 2024")
    client.force_login(manager)
    rows = csv_rows(client.get(url("contribution-export", parkstad, 2025, "csv")))
    amounts = {row[0]: row[3] for row in rows[1:]}
    for name, (_, amount) in seed.PARKSTAD_CONTRIBUTION_TABLE.items():
        assert amounts[name] == str(amount)
    assert amounts["Totaal (som per gemeente)"] == "1658941"
    assert amounts["Afrondingsverschil"] == "1,00"


# Query counts ------------------------------------------------------------------------------------------------------


def queries_for(client, address):
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context)


def add_contracts(manager, house, count):
    for index in range(count):
        services.save_contract(
            actor=manager,
            house=house,
            municipalities=house.municipalities.all(),
            fields={
                "name": f"Plustaak {Contract.objects.count()}-{index}",
                "commissioner": "Heerlen",
                "pricing": Pricing.PER_YEAR,
                "price": Decimal("1000"),
                "meeting_type": None,
                "case_type": None,
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": None,
                "description": "",
            },
        )


def test_list_pages_cost_the_same_number_of_queries_however_many_rows(client, manager, parkstad):
    client.force_login(manager)
    budget = services.create_budget(actor=manager, house=parkstad, year=2025)
    primary = budget.versions.get()
    plan = services.create_plan(actor=manager, house=parkstad, year=2025)
    Contribution.objects.create(house=parkstad, year=2025, total=Decimal("1"))

    def grow(count):
        add_contracts(manager, parkstad, count)
        for index in range(count):
            fields = {
                "kind": "lasten",
                "nature": "structureel",
                "group": f"Groep {index % 2}",
                "description": f"Regel {index}",
                "funder": "",
                "order": index,
            }
            services.save_budget_line(budget, actor=manager, fields=fields, amounts={primary.pk: Decimal(index)})
            activity = {
                "theme": "",
                "name": f"Activiteit {index}",
                "what_we_do": "x",
                "what_it_yields": "",
                "planned_output": None,
                "output_unit": "",
                "case_type": None,
                "meeting_type": None,
                "cost": None,
                "order": index,
            }
            services.save_activity(plan, actor=manager, fields=activity, staff=[("procesregie", Decimal("0.5"))])

    pages = [url(name, parkstad) for name in ["contracts", "budget", "plan", "year", "contribution"]]
    grow(2)
    few = [queries_for(client, page) for page in pages]
    grow(6)
    assert [queries_for(client, page) for page in pages] == few


def test_a_plustaak_is_entered_and_changed_on_its_form(client, back_office, parkstad):
    client.force_login(back_office)
    heerlen, kerkrade = Municipality.objects.get(name="Heerlen"), Municipality.objects.get(name="Kerkrade")
    tafel = MeetingType.objects.get(code="jeugdbeschermingstafel")
    data = {
        "name": "Beschermingstafel",
        "commissioner": "Gemeente Heerlen",
        "municipalities": [heerlen.pk, kerkrade.pk],
        "pricing": "per_levering",
        "price": "550,00",
        "meeting_type": tafel.pk,
        "case_type": "",
        "starts_on": "2025-01-01",
        "ends_on": "",
        "description": "",
    }
    assert client.post(url("contract-create", parkstad), data).status_code == 302
    contract = Contract.objects.get()
    assert (contract.price, set(contract.municipalities.all())) == (Decimal("550"), {heerlen, kerkrade})
    response = client.post(url("contract", parkstad, 2025, contract.pk), {**data, "pricing": "per_jaar", "version": contract.version})
    assert "telt geen leveringen" in response.content.decode()  # a business rule, shown on the form
    edit = {**data, "price": "600", "municipalities": [heerlen.pk], "version": contract.version}
    assert client.post(url("contract", parkstad, 2025, contract.pk), edit).status_code == 302
    assert client.post(url("contract", parkstad, 2025, contract.pk), edit).status_code == 200  # the same version again: stale
    contract.refresh_from_db()
    assert (contract.price, list(contract.municipalities.all())) == (Decimal("600"), [heerlen])


def test_visible_to_follows_the_policy(steering, manager, other_manager, parkstad, tafel):
    budget = services.create_budget(actor=manager, house=parkstad, year=2025)
    assert list(Budget.objects.visible_to(steering)) == [budget]
    assert list(Budget.objects.visible_to(other_manager)) == []
    assert list(Contract.objects.visible_to(steering, "finance.manage")) == []
    assert list(Contract.objects.visible_to(manager, "finance.manage")) == [tafel]
