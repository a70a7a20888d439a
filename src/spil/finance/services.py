"""Business rules of the bedrijfsvoering. Every change needs `finance.manage` in the house (manager, bedrijfsbureau).

- A budget starts with its primary version; a revision (bijstelling) can be added once every earlier version is
  adopted, and starts as a copy of the latest. An adopted version is frozen: its amounts never change.
- An inwonerbijdrage snapshots the populations of the house's municipalities when it is created; editing them later
  is a deliberate act, and a CBS update of a municipality never changes a past year.
- A per-delivery plustaak counts held meetings of one meeting type or opened cases of one (not restricted) case
  type; a yearly one counts nothing.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from spil.access.policy import require
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.core.versioning import lock, save_versioned
from spil.finance.models import (
    Activity,
    AnnualPlan,
    Budget,
    BudgetAmount,
    BudgetLine,
    BudgetVersion,
    Contract,
    Contribution,
    ContributionShare,
    Pricing,
    StaffAllocation,
)

MANAGE = "finance.manage"
LINE_FIELDS = ["kind", "nature", "group", "description", "funder", "order"]
ACTIVITY_FIELDS = [
    "theme",
    "name",
    "what_we_do",
    "what_it_yields",
    "planned_output",
    "output_unit",
    "case_type",
    "meeting_type",
    "cost",
    "order",
]
CONTRACT_FIELDS = ["name", "commissioner", "pricing", "price", "meeting_type", "case_type", "starts_on", "ends_on", "description"]


def _create_once(model, message: str, **fields):
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        raise DomainError(message) from None


# Begroting ------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_budget(*, actor, house, year: int) -> Budget:
    require(actor, MANAGE, house)
    budget = _create_once(Budget, f"Er is al een begroting {year} voor {house}.", house=house, year=year)
    BudgetVersion.objects.create(budget=budget, number=0)
    return budget


@transaction.atomic
def add_revision(budget: Budget, *, actor, note: str = "") -> BudgetVersion:
    """A new bijstelling, starting from the amounts of the latest version."""
    require(actor, MANAGE, budget.house)
    lock(budget)
    latest = budget.versions.order_by("number").last()
    if not latest.adopted:
        raise IllegalTransition(f"Stel eerst de {latest.label.lower()} vast; daarna kunt u een bijstelling maken.")
    version = BudgetVersion.objects.create(budget=budget, number=latest.number + 1, note=note)
    BudgetAmount.objects.bulk_create([BudgetAmount(line_id=a.line_id, version=version, amount=a.amount) for a in latest.amounts.all()])
    return version


@transaction.atomic
def adopt_version(version: BudgetVersion, *, actor, adopted_on: datetime.date, note: str | None = None) -> BudgetVersion:
    require(actor, MANAGE, version.budget.house)
    lock(version)
    if version.adopted:
        raise IllegalTransition(f"De {version.label.lower()} is al vastgesteld op {version.adopted_on:%d-%m-%Y}.")
    if adopted_on > clock.today():
        raise DomainError("Een begroting kan niet in de toekomst zijn vastgesteld.")
    version.adopted_on, version.adopted_by = adopted_on, actor
    fields = ["adopted_on", "adopted_by"]
    if note is not None:
        version.note = note
        fields.append("note")
    version.save(update_fields=fields)
    return version


def _open_versions(budget) -> dict[int, BudgetVersion]:
    return {v.pk: v for v in budget.versions.filter(adopted_on__isnull=True)}


@transaction.atomic
def save_budget_line(
    budget: Budget, *, actor, fields: dict, amounts: dict[int, Decimal | None], line: BudgetLine | None = None, expected_version=None
) -> BudgetLine:
    """Create or change a line and its amounts in the versions that are not adopted (`amounts`: version pk → amount,
    None for PM). An amount for an adopted version is refused."""
    require(actor, MANAGE, budget.house)
    open_versions = _open_versions(budget)
    if frozen := [pk for pk in amounts if pk not in open_versions]:
        labels = ", ".join(v.label.lower() for v in budget.versions.filter(pk__in=frozen))
        raise IllegalTransition(f"De {labels} is vastgesteld; wijzig het bedrag in een bijstelling.")
    if line is None:
        line = BudgetLine.objects.create(budget=budget, **{name: fields[name] for name in LINE_FIELDS})
    else:
        for name in LINE_FIELDS:
            setattr(line, name, fields[name])
        save_versioned(line, expected_version, LINE_FIELDS)
    for version_pk, amount in amounts.items():
        BudgetAmount.objects.update_or_create(line=line, version_id=version_pk, defaults={"amount": amount})
    return line


@transaction.atomic
def delete_budget_line(line: BudgetLine, *, actor) -> None:
    require(actor, MANAGE, line.budget.house)
    if line.amounts.filter(version__adopted_on__isnull=False).exists():
        raise IllegalTransition(
            "Deze regel staat in een vastgestelde begroting en blijft bestaan; zet het bedrag in een bijstelling op nul."
        )
    line.delete()


# Inwonerbijdrage ------------------------------------------------------------------------------------------------


def _check_total(total: Decimal) -> None:
    if total <= 0:
        raise DomainError("De totale inwonerbijdrage moet groter zijn dan nul.")


@transaction.atomic
def create_contribution(*, actor, house, year: int, total: Decimal, population_basis: str = "") -> Contribution:
    """The contribution of a year, with the populations of the house's municipalities as they are now."""
    require(actor, MANAGE, house)
    _check_total(total)
    municipalities = list(house.municipalities.all())
    if not municipalities:
        raise DomainError(f"{house} heeft geen gemeenten; leg die eerst vast.")
    contribution = _create_once(
        Contribution,
        f"Er is al een inwonerbijdrage {year} voor {house}.",
        house=house,
        year=year,
        total=total,
        population_basis=population_basis,
    )
    ContributionShare.objects.bulk_create(
        [ContributionShare(contribution=contribution, municipality=m, population=m.population) for m in municipalities]
    )
    return contribution


@transaction.atomic
def update_contribution(
    contribution: Contribution, *, actor, total: Decimal, population_basis: str, populations: dict[int, int], expected_version: int
) -> Contribution:
    """Change the total and the populations used (`populations`: municipality pk → inhabitants)."""
    require(actor, MANAGE, contribution.house)
    _check_total(total)
    contribution.total, contribution.population_basis = total, population_basis
    save_versioned(contribution, expected_version, ["total", "population_basis"])
    shares = {share.municipality_id: share for share in contribution.shares.all()}
    if unknown := set(populations) - set(shares):
        raise DomainError(f"Onbekende gemeente(n) voor deze inwonerbijdrage: {sorted(unknown)}.")
    if sum(populations.get(pk, share.population) for pk, share in shares.items()) == 0:
        raise DomainError("Het totaal aantal inwoners moet groter zijn dan nul.")
    for pk, count in populations.items():
        if shares[pk].population != count:
            shares[pk].population = count
            shares[pk].save(update_fields=["population"])
    return contribution


# Jaarplan -------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, house, year: int, introduction: str = "") -> AnnualPlan:
    require(actor, MANAGE, house)
    return _create_once(AnnualPlan, f"Er is al een jaarplan {year} voor {house}.", house=house, year=year, introduction=introduction)


def _check_activity(fields: dict, staff: list[tuple[str, Decimal]]) -> None:
    if fields.get("case_type") and fields.get("meeting_type"):
        raise DomainError("Kies een casustype óf een soort overleg om de gerealiseerde productie te tellen, niet beide.")
    roles = [role.strip().lower() for role, _ in staff]
    if len(roles) != len(set(roles)):
        raise DomainError("Noem elke functie één keer per activiteit.")
    if any(fte <= 0 for _, fte in staff):
        raise DomainError("Het aantal fte moet groter zijn dan nul.")


@transaction.atomic
def save_activity(
    plan: AnnualPlan, *, actor, fields: dict, staff: list[tuple[str, Decimal]], activity: Activity | None = None, expected_version=None
) -> Activity:
    """Create or change an activity with its formation (`staff`: role, fte), which replaces the previous one."""
    require(actor, MANAGE, plan.house)
    _check_activity(fields, staff)
    if activity is None:
        activity = Activity.objects.create(plan=plan, **{name: fields[name] for name in ACTIVITY_FIELDS})
    else:
        for name in ACTIVITY_FIELDS:
            setattr(activity, name, fields[name])
        save_versioned(activity, expected_version, ACTIVITY_FIELDS)
        activity.staff.all().delete()
    StaffAllocation.objects.bulk_create([StaffAllocation(activity=activity, role=role.strip(), fte=fte) for role, fte in staff])
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, actor) -> None:
    require(actor, MANAGE, activity.plan.house)
    activity.delete()


# Plustaken ------------------------------------------------------------------------------------------------------


def _check_contract(house, fields: dict, municipalities) -> None:
    if not municipalities:
        raise DomainError("Kies de gemeente of de gemeenten waarvoor de opdracht geldt.")
    if any(m.house_id != house.pk for m in municipalities):
        raise DomainError(f"Kies alleen gemeenten van {house}.")
    if fields["price"] <= 0:
        raise DomainError("De prijs moet groter zijn dan nul.")
    if fields["ends_on"] and fields["ends_on"] < fields["starts_on"]:
        raise DomainError("De einddatum ligt vóór de ingangsdatum.")
    basis = [b for b in (fields.get("meeting_type"), fields.get("case_type")) if b]
    if fields["pricing"] == Pricing.PER_DELIVERY:
        if len(basis) != 1:
            raise DomainError("Kies wat als levering telt: een gehouden overleg van één soort, óf een geopende casus van één type.")
        if fields.get("case_type") and fields["case_type"].restricted:
            raise DomainError("Casussen van een afgeschermd casustype worden niet per casus gefactureerd.")
    elif basis:
        raise DomainError("Een plustaak met een jaarbedrag telt geen leveringen; laat overleg en casustype leeg.")


@transaction.atomic
def save_contract(*, actor, house, fields: dict, municipalities, contract: Contract | None = None, expected_version=None) -> Contract:
    require(actor, MANAGE, house)
    municipalities = list(municipalities)
    _check_contract(house, fields, municipalities)
    if contract is None:
        contract = Contract.objects.create(house=house, **{name: fields[name] for name in CONTRACT_FIELDS})
    else:
        for name in CONTRACT_FIELDS:
            setattr(contract, name, fields[name])
        save_versioned(contract, expected_version, CONTRACT_FIELDS)
    contract.municipalities.set(municipalities)
    return contract
