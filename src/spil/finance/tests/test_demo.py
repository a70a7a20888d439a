"""The demo bedrijfsvoering is seed 001's Parkstad 2025, written through the services."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from spil.demo.extensions import Context
from spil.finance import calculations, demo, seed
from spil.finance.models import AnnualPlan, Budget, Contract, Contribution, Kind, Pricing

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_parkstad_2025_budget_contribution_plan_and_plustaken(parkstad, manager):
    now = timezone.make_aware(datetime.datetime(2026, 3, 1, 12))
    ctx = Context(rng=random.Random(1), now=now, size="test", users={"manager": manager}, houses={"parkstad": parkstad}, log=print)
    demo.build(ctx)

    budget = Budget.objects.get(house=parkstad, year=2025)
    assert [(v.label, v.adopted_on) for v in budget.versions.all()] == [
        ("Primaire begroting", datetime.date(2024, 7, 3)),
        ("1e bijstelling", datetime.date(2025, 7, 2)),
    ]
    sheet = calculations.budget_sheet(budget)
    assert sheet.totals[Kind.INCOME].values[:2] == list(seed.PARKSTAD_STATED_TOTALS["baten"])
    table = calculations.contribution_table(Contribution.objects.get(house=parkstad, year=2025))
    assert {r.municipality: r.amount for r in table.rows} == {
        name: amount for name, (_, amount) in seed.PARKSTAD_CONTRIBUTION_TABLE.items()
    }
    plan = AnnualPlan.objects.get(house=parkstad, year=2026)
    nazorg = calculations.plan_figures(plan).activities[0]
    assert (nazorg.activity.name, nazorg.fte) == ("Nazorg ex-gedetineerden", Decimal("1.9"))
    tafel = Contract.objects.get(name="Beschermingstafel")
    assert tafel.pricing == Pricing.PER_DELIVERY and tafel.municipalities.count() == 7
    assert demo.counts()["plustaken"] == 6
