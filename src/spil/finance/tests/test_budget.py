"""Budget: lines per version side by side, differences and totals computed, adopted versions frozen."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from spil.core.errors import ConcurrentEdit, DomainError
from spil.finance import calculations, seed, services
from spil.finance.models import BudgetAmount, Kind, Nature

pytestmark = pytest.mark.django_db


def parkstad_budget(actor, house, *, revise=True):
    """The Parkstad 2025 budget of seed 001: primary budget adopted, then its first revision."""
    budget = services.create_budget(actor=actor, house=house, year=2025)
    primary = budget.versions.get()
    lines = list(seed.parkstad_budget_lines())
    for fields, amount, _ in lines:
        services.save_budget_line(budget, actor=actor, fields=fields, amounts={primary.pk: amount})
    if revise:
        services.adopt_version(primary, actor=actor, adopted_on=datetime.date(2024, 7, 3))
        revision = services.add_revision(budget, actor=actor)
        for line, (fields, _, amount) in zip(budget.lines.order_by("order"), lines, strict=True):
            services.save_budget_line(
                budget, actor=actor, line=line, fields=fields, amounts={revision.pk: amount}, expected_version=line.version
            )
    return budget


def row(sheet, description):
    return next(r for groups in sheet.groups.values() for g in groups for r in g.rows if r.label == description)


def test_primary_and_revision_sit_side_by_side_with_their_difference(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house))
    assert [c.label for c in sheet.columns] == ["Primaire begroting", "1e bijstelling", "Verschil 1e bijstelling t.o.v. primaire begroting"]
    assert row(sheet, "Loonsom medewerkers").values == [Decimal("2764551"), Decimal("3001271"), Decimal("236720")]
    assert row(sheet, "Preventie met Gezag").values == [Decimal("333076"), Decimal("608261"), Decimal("275185")]
    assert row(sheet, "ICT-kosten").values == [Decimal("110000"), Decimal("85000"), Decimal("-25000")]
    assert row(sheet, "Op te lossen strategisch personeelsbeleid").values == [Decimal("-174507"), Decimal("-37244"), Decimal("137263")]


def test_pro_memorie_is_shown_as_such_and_counts_as_zero(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house))
    assert row(sheet, "Verzekeringen").values == [None, Decimal("20000"), Decimal("20000")]


def test_group_subtotals_match_the_seed(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house))
    subtotals = {g.name: tuple(g.subtotal.values[:2]) for groups in sheet.groups.values() for g in groups}
    assert subtotals == seed.PARKSTAD_GROUP_SUBTOTALS


def test_totals_per_kind_per_nature_and_the_balance(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house))
    assert sheet.totals[Kind.INCOME].values == [Decimal("3158300"), Decimal("3563176"), Decimal("404876")]
    structural, incidental = sheet.by_nature[Kind.INCOME]
    assert structural.values[:2] == [Decimal("2420063"), Decimal("2420063")]
    assert incidental.values[:2] == [Decimal("738237"), Decimal("1143113")]
    # The primary budget balances; the revision's lasten lines add up to € 7.260 more than the seed's stated total.
    assert sheet.totals[Kind.EXPENSE].values[:2] == [Decimal("3158300"), Decimal("3570436")]
    assert sheet.balance.values == [Decimal("0"), Decimal("-7260"), Decimal("-7260")]
    assert (sheet.latest_income, sheet.latest_expense, sheet.latest_balance) == (Decimal("3563176"), Decimal("3570436"), Decimal("-7260"))
    assert [r.label for r in sheet.by_nature[Kind.INCOME]] == ["Structurele baten", "Incidentele baten"]


def test_a_budget_with_only_its_primary_version(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house, revise=False))
    assert [c.label for c in sheet.columns] == ["Primaire begroting"]
    assert (sheet.latest_income, sheet.latest_balance) == (Decimal("3158300"), Decimal("0"))


def test_baten_per_funder(manager, house):
    sheet = calculations.budget_sheet(parkstad_budget(manager, house))
    funders = {r.label: r.values[1] for r in sheet.by_funder}
    assert funders["Deelnemende gemeenten"] == Decimal("1658940")
    assert funders["Gemeente Heerlen"] == Decimal("120000") + Decimal("184000") + Decimal("86000")
    assert sum(funders.values()) == Decimal("3563176")


def test_a_revision_starts_as_a_copy_of_the_adopted_version(manager, house):
    budget = parkstad_budget(manager, house, revise=False)
    primary = budget.versions.get()
    services.adopt_version(primary, actor=manager, adopted_on=datetime.date(2024, 7, 3))
    revision = services.add_revision(budget, actor=manager, note="Bijstelling")
    assert revision.label == "1e bijstelling"
    sheet = calculations.budget_sheet(budget)
    assert sheet.totals[Kind.INCOME].values == [Decimal("3158300"), Decimal("3158300"), Decimal("0")]


def test_no_revision_before_the_previous_version_is_adopted(manager, house):
    budget = services.create_budget(actor=manager, house=house, year=2025)
    with pytest.raises(DomainError, match="Stel eerst de primaire begroting vast"):
        services.add_revision(budget, actor=manager)


def test_an_adopted_version_is_frozen(manager, house):
    budget = parkstad_budget(manager, house)
    line = budget.lines.get(description="Huur")
    primary = budget.versions.get(number=0)
    with pytest.raises(DomainError, match="vastgesteld"):
        services.save_budget_line(
            budget, actor=manager, line=line, fields=_fields(line), amounts={primary.pk: Decimal(1)}, expected_version=line.version
        )
    assert BudgetAmount.objects.get(line=line, version=primary).amount == Decimal("45507")
    with pytest.raises(DomainError, match="vastgestelde begroting"):
        services.delete_budget_line(line, actor=manager)
    with pytest.raises(DomainError, match="al vastgesteld"):
        services.adopt_version(primary, actor=manager, adopted_on=datetime.date(2024, 7, 3))


def test_a_line_of_an_open_version_can_be_deleted(manager, house):
    budget = services.create_budget(actor=manager, house=house, year=2026)
    fields = {"kind": Kind.EXPENSE, "nature": Nature.STRUCTURAL, "group": "Personeel", "description": "Loonsom", "funder": "", "order": 0}
    line = services.save_budget_line(budget, actor=manager, fields=fields, amounts={budget.versions.get().pk: Decimal(100)})
    services.delete_budget_line(line, actor=manager)
    assert not budget.lines.exists()


def test_a_stale_edit_of_a_line_is_refused(manager, back_office, house):
    budget = services.create_budget(actor=manager, house=house, year=2026)
    fields = {"kind": Kind.EXPENSE, "nature": Nature.STRUCTURAL, "group": "Personeel", "description": "Loonsom", "funder": "", "order": 0}
    line = services.save_budget_line(budget, actor=manager, fields=fields, amounts={})
    seen = line.version
    services.save_budget_line(
        budget, actor=back_office, line=line, fields={**fields, "description": "Loonsom 2026"}, amounts={}, expected_version=seen
    )
    with pytest.raises(ConcurrentEdit):
        services.save_budget_line(budget, actor=manager, line=line, fields=fields, amounts={}, expected_version=seen)


def test_a_budget_per_house_and_year(manager, house):
    services.create_budget(actor=manager, house=house, year=2025)
    with pytest.raises(DomainError, match="al een begroting 2025"):
        services.create_budget(actor=manager, house=house, year=2025)


def test_only_managers_and_the_bedrijfsbureau_of_the_house_keep_the_budget(steering, other_manager, house):
    for user in (steering, other_manager):
        with pytest.raises(PermissionDenied):
            services.create_budget(actor=user, house=house, year=2025)


def _fields(line):
    return {name: getattr(line, name) for name in services.LINE_FIELDS}
