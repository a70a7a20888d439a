"""Bedrijfsvoering screens. A house is looked up among those the user may read (`finance.view`; otherwise 404);
changes and plustaken need `finance.manage` in that house (otherwise 403). Nothing here shows personal data, so
nothing is written to the processing log; billing lines name meetings and cases by number only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.core import clock
from spil.finance import calculations, exports, forms, services
from spil.finance.models import Activity, AnnualPlan, Budget, BudgetLine, BudgetVersion, Contract, Contribution
from spil.web.forms import attempt, submitted

VIEW, MANAGE = "finance.view", "finance.manage"
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEARS_AROUND = 1  # the home page offers the current year and one either side, besides the years with data


def _house(request, code, year, action=VIEW):
    """The house of the URL if the user may read its bedrijfsvoering (404 otherwise) and do `action` (403 otherwise)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("Geen geldig jaar.")
    house = get_object_or_404(policy.houses_for(request.user, VIEW), code=code)
    if action != VIEW:
        policy.require(request.user, action, house)
    return house


def _context(request, house, year, tab, **extra) -> dict:
    return {
        "house": house,
        "year": year,
        "tab": tab,
        "can_manage": policy.can(request.user, MANAGE, house),
        **extra,
    }


def _of_year(model, house, year):
    return model.objects.filter(house=house, year=year).first()


def _existing(request, model, house, year, action=VIEW):
    house = _house(request, house, year, action)
    return house, get_object_or_404(model, house=house, year=year)


CREATE = {
    "budget": (services.create_budget, "De begroting {year} is aangemaakt.", "finance:budget"),
    "plan": (services.create_plan, "Het jaarplan {year} is aangemaakt.", "finance:plan"),
}
EXPORT = {"budget": (Budget, exports.budget), "contribution": (Contribution, exports.contribution), "plan": (AnnualPlan, exports.plan)}


@login_required
@require_POST
def create(request, house, year, what):
    """Start the budget or the jaarplan of a year (one button on its empty page)."""
    house = _house(request, house, year, MANAGE)
    service, message, page = CREATE[what]
    attempt(request, lambda: service(actor=request.user, house=house, year=year), message.format(year=year))
    return redirect(page, house=house.code, year=year)


@login_required
def export(request, house, year, fmt, what):
    model, table = EXPORT[what]
    _, obj = _existing(request, model, house, year)
    return table(obj, fmt)


@login_required
def home(request):
    houses = list(policy.houses_for(request.user, VIEW))
    if not houses:
        raise PermissionDenied("Alleen managers, het bedrijfsbureau en de stuurgroep zien de bedrijfsvoering.")
    this_year = clock.today().year
    years = {house.pk: set(range(this_year - YEARS_AROUND, this_year + YEARS_AROUND + 1)) for house in houses}
    for model in (Budget, Contribution, AnnualPlan):
        for house_id, year in model.objects.filter(house__in=houses).values_list("house_id", "year"):
            years[house_id].add(year)
    rows = [(house, sorted(years[house.pk], reverse=True)) for house in houses]
    return render(request, "finance/home.html", {"rows": rows, "this_year": this_year})


@login_required
def year_overview(request, house, year):
    house = _house(request, house, year)
    budget = _of_year(Budget, house, year)
    contribution = _of_year(Contribution, house, year)
    plan = _of_year(AnnualPlan, house, year)
    context = _context(
        request,
        house,
        year,
        "overzicht",
        budget_sheet=calculations.budget_sheet(budget) if budget else None,
        contribution=calculations.contribution_table(contribution) if contribution else None,
        plan=calculations.plan_figures(plan) if plan else None,
    )
    if context["can_manage"]:
        context["contract_count"] = _contracts_of_year(house, year).count()
    return render(request, "finance/year.html", context)


# Begroting ------------------------------------------------------------------------------------------------------


@login_required
def budget(request, house, year):
    house = _house(request, house, year)
    budget = _of_year(Budget, house, year)
    sheet = calculations.budget_sheet(budget) if budget else None
    return render(request, "finance/budget.html", _context(request, house, year, "begroting", budget=budget, sheet=sheet))


@login_required
def budget_line(request, house, year, pk=None):
    house, budget = _existing(request, Budget, house, year, MANAGE)
    line = get_object_or_404(BudgetLine, budget=budget, pk=pk) if pk else None
    form = forms.BudgetLineForm(request.POST or None, instance=line, budget=budget)
    if submitted(request, form, lambda data: services.save_budget_line(budget, actor=request.user, line=line, **form.service_data())):
        messages.success(request, f"De regel ‘{form.result.description}’ is opgeslagen.")
        return redirect("finance:budget", house=house.code, year=year)
    return render(request, "finance/budget_line.html", _context(request, house, year, "begroting", form=form, line=line, budget=budget))


@login_required
def budget_line_delete(request, house, year, pk):
    house, budget = _existing(request, Budget, house, year, MANAGE)
    line = get_object_or_404(BudgetLine, budget=budget, pk=pk)
    if request.method == "POST":
        attempt(request, lambda: services.delete_budget_line(line, actor=request.user), f"De regel ‘{line.description}’ is verwijderd.")
        return redirect("finance:budget", house=house.code, year=year)
    cancel_url = reverse("finance:budget", args=[house.code, year])
    context = _context(request, house, year, "begroting", subject=f"begrotingsregel ‘{line}’", cancel_url=cancel_url)
    return render(request, "finance/confirm_delete.html", context)


@login_required
def budget_revision(request, house, year):
    house, budget = _existing(request, Budget, house, year, MANAGE)
    form = forms.RevisionForm(request.POST or None)
    if submitted(request, form, lambda data: services.add_revision(budget, actor=request.user, note=data["note"])):
        messages.success(request, f"De {form.result.label.lower()} is aangemaakt met de bedragen van de vorige versie.")
        return redirect("finance:budget", house=house.code, year=year)
    return render(request, "finance/budget_revision.html", _context(request, house, year, "begroting", form=form, budget=budget))


@login_required
def budget_adopt(request, house, year, pk):
    house, budget = _existing(request, Budget, house, year, MANAGE)
    version = get_object_or_404(BudgetVersion, budget=budget, pk=pk)
    form = forms.AdoptForm(request.POST or None, initial={"adopted_on": clock.today(), "note": version.note})
    if submitted(request, form, lambda data: services.adopt_version(version, actor=request.user, **data)):
        messages.success(request, f"De {version.label.lower()} {year} is vastgesteld.")
        return redirect("finance:budget", house=house.code, year=year)
    return render(request, "finance/budget_adopt.html", _context(request, house, year, "begroting", form=form, version=version))


# Inwonerbijdrage ------------------------------------------------------------------------------------------------


@login_required
def contribution(request, house, year):
    house = _house(request, house, year)
    contribution = _of_year(Contribution, house, year)
    table = calculations.contribution_table(contribution) if contribution else None
    return render(
        request,
        "finance/contribution.html",
        _context(request, house, year, "inwonerbijdrage", contribution=contribution, table=table),
    )


@login_required
def contribution_edit(request, house, year):
    house = _house(request, house, year, MANAGE)
    contribution = _of_year(Contribution, house, year)
    form = forms.ContributionForm(request.POST or None, contribution=contribution)

    def save(data):
        if contribution is None:
            return services.create_contribution(
                actor=request.user, house=house, year=year, total=data["total"], population_basis=data["population_basis"]
            )
        return services.update_contribution(
            contribution,
            actor=request.user,
            total=data["total"],
            population_basis=data["population_basis"],
            populations=form.populations(),
            expected_version=data["version"],
        )

    if submitted(request, form, save):
        messages.success(request, f"De inwonerbijdrage {year} is opgeslagen.")
        return redirect("finance:contribution", house=house.code, year=year)
    return render(
        request, "finance/contribution_edit.html", _context(request, house, year, "inwonerbijdrage", form=form, contribution=contribution)
    )


# Jaarplan -------------------------------------------------------------------------------------------------------


@login_required
def plan(request, house, year):
    house = _house(request, house, year)
    plan = _of_year(AnnualPlan, house, year)
    figures = calculations.plan_figures(plan) if plan else None
    return render(request, "finance/plan.html", _context(request, house, year, "jaarplan", plan=plan, figures=figures))


@login_required
def activity(request, house, year, pk=None):
    house, plan = _existing(request, AnnualPlan, house, year, MANAGE)
    activity = get_object_or_404(Activity, plan=plan, pk=pk) if pk else None
    form = forms.ActivityForm(request.POST or None, instance=activity)
    initial = [{"role": s.role, "fte": s.fte} for s in activity.staff.all()] if activity else []
    staff = forms.StaffFormSet(request.POST or None, initial=initial, prefix="formatie")

    def save(data):
        return services.save_activity(
            plan,
            actor=request.user,
            activity=activity,
            fields={name: data[name] for name in forms.ActivityForm.Meta.fields},
            staff=forms.staff_rows(staff),
            expected_version=data.get("version"),
        )

    if staff.is_valid() & form.is_valid() and submitted(request, form, save):
        messages.success(request, f"De activiteit ‘{form.result.name}’ is opgeslagen.")
        return redirect("finance:plan", house=house.code, year=year)
    return render(request, "finance/activity.html", _context(request, house, year, "jaarplan", form=form, staff=staff, activity=activity))


@login_required
def activity_delete(request, house, year, pk):
    house, plan = _existing(request, AnnualPlan, house, year, MANAGE)
    activity = get_object_or_404(Activity, plan=plan, pk=pk)
    if request.method == "POST":
        attempt(request, lambda: services.delete_activity(activity, actor=request.user), f"De activiteit ‘{activity.name}’ is verwijderd.")
        return redirect("finance:plan", house=house.code, year=year)
    cancel_url = reverse("finance:plan", args=[house.code, year])
    context = _context(request, house, year, "jaarplan", subject=f"activiteit ‘{activity}’", cancel_url=cancel_url)
    return render(request, "finance/confirm_delete.html", context)


# Plustaken ------------------------------------------------------------------------------------------------------


def _contracts_of_year(house, year):
    start, end = calculations.quarter_dates(year, 1)[0], calculations.quarter_dates(year, 4)[1]
    return Contract.objects.filter(house=house, starts_on__lt=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))


@login_required
def contracts(request, house, year):
    house = _house(request, house, year, MANAGE)
    contracts = _contracts_of_year(house, year).select_related("meeting_type", "case_type").prefetch_related("municipalities")
    return render(
        request,
        "finance/contracts.html",
        _context(request, house, year, "plustaken", contracts=contracts, quarters=calculations.QUARTERS),
    )


@login_required
def contract_edit(request, house, year, pk=None):
    house = _house(request, house, year, MANAGE)
    contract = get_object_or_404(Contract, house=house, pk=pk) if pk else None
    form = forms.ContractForm(request.POST or None, instance=contract, house=house)
    if submitted(
        request, form, lambda data: services.save_contract(actor=request.user, house=house, contract=contract, **form.service_data())
    ):
        messages.success(request, f"De plustaak ‘{form.result.name}’ is opgeslagen.")
        return redirect("finance:contracts", house=house.code, year=year)
    return render(request, "finance/contract.html", _context(request, house, year, "plustaken", form=form, contract=contract))


def _quarter(quarter):
    if quarter not in calculations.QUARTERS:
        raise Http404("Een jaar heeft vier kwartalen.")
    return quarter


def _contract(request, house, year, pk):
    house = _house(request, house, year, MANAGE)
    return get_object_or_404(Contract.objects.select_related("house", "meeting_type", "case_type"), house=house, pk=pk)


@login_required
def billing(request, house, year, pk, quarter):
    contract = _contract(request, house, year, pk)
    quarter = _quarter(quarter)
    lines = calculations.invoice_lines(contract, year, quarter)
    return render(
        request,
        "finance/billing.html",
        _context(
            request,
            contract.house,
            year,
            "plustaken",
            contract=contract,
            quarter=quarter,
            quarters=calculations.QUARTERS,
            lines=lines,
            total=calculations.invoice_total(lines),
            municipalities=contract.municipalities.all(),
        ),
    )


@login_required
def billing_export(request, house, year, pk, quarter, fmt):
    contract = _contract(request, house, year, pk)
    return exports.billing(contract, year, _quarter(quarter), fmt)
