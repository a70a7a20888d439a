"""Finance objects for the authorization matrix (tests/test_authorization_matrix.py): one of each per house."""

import datetime
from decimal import Decimal

from spil.finance import services
from spil.finance.models import Kind, Nature, Pricing

MATRIX_YEAR = 2025


def matrix_world(house, house_manager, other_house, other_manager) -> dict[str, list]:
    objects = {"finance_budget": [], "finance_line": [], "finance_version": [], "finance_activity": [], "finance_contract": []}
    for house_, actor in [(house, house_manager), (other_house, other_manager)]:
        budget = services.create_budget(actor=actor, house=house_, year=MATRIX_YEAR)
        version = budget.versions.get()
        fields = {
            "kind": Kind.INCOME,
            "nature": Nature.STRUCTURAL,
            "group": "Structurele baten",
            "description": "Inwonerbijdrage",
            "funder": "Deelnemende gemeenten",
            "order": 0,
        }
        line = services.save_budget_line(budget, actor=actor, fields=fields, amounts={version.pk: Decimal("1000")})
        services.create_contribution(actor=actor, house=house_, year=MATRIX_YEAR, total=Decimal("1000"))
        plan = services.create_plan(actor=actor, house=house_, year=MATRIX_YEAR)
        activity = services.save_activity(
            plan,
            actor=actor,
            staff=[("procesregie", Decimal("1"))],
            fields={
                "theme": "",
                "name": "Procesregie",
                "what_we_do": "Procesregie",
                "what_it_yields": "",
                "planned_output": None,
                "output_unit": "",
                "case_type": None,
                "meeting_type": None,
                "cost": None,
                "order": 0,
            },
        )
        contract = services.save_contract(
            actor=actor,
            house=house_,
            municipalities=house_.municipalities.all(),
            fields={
                "name": "Regie radicalisering",
                "commissioner": "Gemeente",
                "pricing": Pricing.PER_YEAR,
                "price": Decimal("35000"),
                "meeting_type": None,
                "case_type": None,
                "starts_on": datetime.date(MATRIX_YEAR, 1, 1),
                "ends_on": None,
                "description": "",
            },
        )
        objects["finance_budget"].append(budget)
        objects["finance_line"].append(line)
        objects["finance_version"].append(version)
        objects["finance_activity"].append(activity)
        objects["finance_contract"].append(contract)
    return objects


def url_args(obj) -> dict:
    """URL kwargs of a finance object: its house and year, and its pk unless it is the budget (house-year pages)."""
    args = {"house": obj.house.code, "year": MATRIX_YEAR}
    return args if type(obj).__name__ == "Budget" else {**args, "pk": obj.pk}
