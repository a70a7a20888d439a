"""Figures derived from what was entered: budget totals and differences, the inwonerbijdrage per municipality,
fte totals and realised output of the jaarplan, and the invoice lines of a plustaak. Never stored, always computed.

Rounding rules (explicit, tested against seed 001):
- Inwonerbijdrage per municipality: the exact share `total × population / total population`, rounded to whole
  euros, half up. That reproduces every amount of the Parkstad 2025 table. The rounded amounts need not add up to
  the total; the difference is shown, not hidden (Parkstad 2025: € 1.658.941 against € 1.658.940, € 1 over).
- Percentages and the contribution per inhabitant are shown rounded (0.1 % and cents) but computed exactly.
- A yearly plustaak is billed in four instalments of a quarter of the price, rounded to cents half up; the fourth
  takes what is left, so the four add up to the price exactly.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from spil.finance.models import Kind

ZERO = Decimal("0")
EURO = Decimal("1")
CENT = Decimal("0.01")
HELD_STATUSES = ("gehouden", "vastgesteld")  # meetings.MeetingStatus.HELD and FINALISED: the meeting took place
QUARTERS = (1, 2, 3, 4)
NATURE_ADJECTIVES = {"structureel": "Structurele", "incidenteel": "Incidentele"}


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return _local_midnight(datetime.date(year, 1, 1)), _local_midnight(datetime.date(year + 1, 1, 1))


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First day of the quarter and first day after it."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# Begroting ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    difference: bool = False


@dataclass
class Row:
    label: str
    values: list  # aligned with BudgetSheet.columns; None in a version column means PM or not budgeted
    line: object = None
    funder: str = ""
    nature: str = ""

    @property
    def cells(self) -> list[tuple]:
        """(value, is a difference) per column: differences sit at 2, 4, … (see `spread`)."""
        return [(value, index >= 2 and index % 2 == 0) for index, value in enumerate(self.values)]


@dataclass
class Group:
    kind: str
    name: str
    rows: list[Row]
    subtotal: Row


@dataclass
class BudgetSheet:
    versions: list
    columns: list[Column]
    groups: dict[str, list[Group]]  # kind -> groups in order
    totals: dict[str, Row]  # kind -> total row
    by_nature: dict[str, list[Row]]  # kind -> a row per nature (structureel, incidenteel)
    by_funder: list[Row]  # baten per funder
    balance: Row  # baten minus lasten

    def _latest(self, row: Row):
        return row.values[max(0, 2 * len(self.versions) - 3)]  # the last version's column (see `spread`)

    @property
    def latest_income(self):
        return self._latest(self.totals[Kind.INCOME])

    @property
    def latest_expense(self):
        return self._latest(self.totals[Kind.EXPENSE])

    @property
    def latest_balance(self):
        return self._latest(self.balance)


def _columns(versions) -> list[Column]:
    columns = []
    for index, version in enumerate(versions):
        columns.append(Column(version.label))
        if index:
            columns.append(Column(f"Verschil {version.label.lower()} t.o.v. {versions[index - 1].label.lower()}", difference=True))
    return columns


def spread(amounts: list) -> list:
    """Version amounts [a0, a1, a2] as columns [a0, a1, a1 - a0, a2, a2 - a1]; PM (None) counts as zero in a difference."""
    values = []
    for index, amount in enumerate(amounts):
        values.append(amount)
        if index:
            values.append((amount or ZERO) - (amounts[index - 1] or ZERO))
    return values


def _sum(amount_lists: list[list], width: int) -> list[Decimal]:
    return [sum((amounts[i] or ZERO for amounts in amount_lists), ZERO) for i in range(width)]


def budget_sheet(budget) -> BudgetSheet:
    from spil.finance.models import BudgetAmount, Nature

    versions = list(budget.versions.all())
    lines = list(budget.lines.all())
    stored = {(a.line_id, a.version_id): a.amount for a in BudgetAmount.objects.filter(line__budget=budget)}
    width = len(versions)
    amounts = {line.pk: [stored.get((line.pk, version.pk)) for version in versions] for line in lines}

    groups: dict[str, dict[str, list]] = {kind: {} for kind in Kind.values}
    for line in lines:
        groups[line.kind].setdefault(line.group, []).append(line)

    def total(label, selected) -> Row:
        return Row(label, spread(_sum([amounts[line.pk] for line in selected], width)))

    sheet_groups = {
        kind: [
            Group(
                kind,
                name,
                [Row(line.description, spread(amounts[line.pk]), line, line.funder, line.get_nature_display()) for line in group_lines],
                total(f"Subtotaal {name.lower()}", group_lines),
            )
            for name, group_lines in by_name.items()
        ]
        for kind, by_name in groups.items()
    }
    of_kind = {kind: [line for line in lines if line.kind == kind] for kind in Kind.values}
    totals = {kind: total(f"Totaal {Kind(kind).label.lower()}", of_kind[kind]) for kind in Kind.values}
    by_nature = {
        kind: [
            total(f"{NATURE_ADJECTIVES[nature]} {Kind(kind).label.lower()}", [line for line in of_kind[kind] if line.nature == nature])
            for nature in Nature
        ]
        for kind in Kind.values
    }
    funders: dict[str, list] = defaultdict(list)
    for line in of_kind[Kind.INCOME]:
        funders[line.funder or "Financier niet ingevuld"].append(line)
    by_funder = [total(funder, funder_lines) for funder, funder_lines in sorted(funders.items())]
    income = _sum([amounts[line.pk] for line in of_kind[Kind.INCOME]], width)
    expense = _sum([amounts[line.pk] for line in of_kind[Kind.EXPENSE]], width)
    balance = Row("Saldo (baten − lasten)", spread([i - e for i, e in zip(income, expense, strict=True)]))
    return BudgetSheet(versions, _columns(versions), sheet_groups, totals, by_nature, by_funder, balance)


# Inwonerbijdrage ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionRow:
    municipality: str
    population: int
    percentage: Decimal  # exact
    amount: Decimal  # rounded to whole euros


@dataclass(frozen=True)
class ContributionTable:
    total: Decimal
    population: int
    per_inhabitant: Decimal  # exact
    rows: list[ContributionRow]
    sum_of_amounts: Decimal
    rounding_difference: Decimal  # sum of the rounded amounts minus the total

    @property
    def per_inhabitant_cents(self) -> Decimal:
        return self.per_inhabitant.quantize(CENT, ROUND_HALF_UP)


def split_contribution(total: Decimal, populations: list[tuple[str, int]]) -> ContributionTable:
    """Split `total` over municipalities (name, population) by population; see the module's rounding rules."""
    population = sum(count for _, count in populations)
    if population == 0:
        return ContributionTable(total, 0, ZERO, [ContributionRow(name, count, ZERO, ZERO) for name, count in populations], ZERO, -total)
    rows = [
        ContributionRow(
            name,
            count,
            Decimal(count) * 100 / population,
            (total * count / population).quantize(EURO, ROUND_HALF_UP),
        )
        for name, count in populations
    ]
    sum_of_amounts = sum((row.amount for row in rows), ZERO)
    return ContributionTable(total, population, total / population, rows, sum_of_amounts, sum_of_amounts - total)


def contribution_table(contribution) -> ContributionTable:
    shares = contribution.shares.select_related("municipality").order_by("-population", "municipality__name")
    return split_contribution(contribution.total, [(share.municipality.name, share.population) for share in shares])


# Jaarplan -------------------------------------------------------------------------------------------------------


@dataclass
class ActivityFigures:
    activity: object
    staff: list
    fte: Decimal
    realised: int | None  # None: the activity names no case type or meeting type to count

    @property
    def realised_shown(self):
        """As the monitor shows counts: a small number (1 to the threshold) as "< 5", so nobody is recognisable."""
        from spil.monitor import suppression

        return None if self.realised is None else suppression.count(self.realised)


@dataclass
class PlanFigures:
    activities: list[ActivityFigures]
    roles: list[tuple[str, Decimal]]  # fte per role over all activities, by role name
    fte: Decimal
    cost: Decimal
    planned_output: int = 0


def realised_output(house, year: int, case_types, meeting_types) -> tuple[dict[int, int], dict[int, int]]:
    """Cases opened per case type and meetings held per meeting type in a house in a year: one aggregate each.

    Counts only, no personal data; screens and exports show them through the monitor's small-count rule.
    """
    from spil.cases.models import Case
    from spil.meetings.models import Meeting

    start, end = year_range(year)
    cases, meetings = {}, {}
    if case_types:
        cases = dict(
            Case.objects.filter(house=house, case_type__in=case_types, opened_at__gte=start, opened_at__lt=end)
            .order_by()
            .values_list("case_type")
            .annotate(count=Count("pk"))
        )
    if meeting_types:
        meetings = dict(
            Meeting.objects.filter(
                house=house, meeting_type__in=meeting_types, status__in=HELD_STATUSES, held_at__gte=start, held_at__lt=end
            )
            .order_by()
            .values_list("meeting_type")
            .annotate(count=Count("pk"))
        )
    return cases, meetings


def plan_figures(plan) -> PlanFigures:
    activities = list(plan.activities.select_related("case_type", "meeting_type").prefetch_related("staff"))
    cases, meetings = realised_output(
        plan.house,
        plan.year,
        {a.case_type_id for a in activities if a.case_type_id},
        {a.meeting_type_id for a in activities if a.meeting_type_id},
    )
    roles: dict[str, Decimal] = defaultdict(lambda: ZERO)
    figures = []
    for activity in activities:
        staff = list(activity.staff.all())
        for allocation in staff:
            roles[allocation.role] += allocation.fte
        if activity.case_type_id:
            realised = cases.get(activity.case_type_id, 0)
        elif activity.meeting_type_id:
            realised = meetings.get(activity.meeting_type_id, 0)
        else:
            realised = None
        figures.append(ActivityFigures(activity, staff, sum((s.fte for s in staff), ZERO), realised))
    return PlanFigures(
        figures,
        sorted(roles.items(), key=lambda item: item[0].lower()),
        sum((f.fte for f in figures), ZERO),
        sum((a.cost or ZERO for a in activities), ZERO),
        sum(a.planned_output or 0 for a in activities),
    )


# Plustaken ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLine:
    date: datetime.date
    reference: str  # a meeting or case number, or the instalment
    description: str
    municipality: str
    amount: Decimal


def _period(contract, year: int, quarter: int) -> tuple[datetime.date, datetime.date] | None:
    """The part of the quarter within the contract period (end exclusive), or None when they do not overlap."""
    start, end = quarter_dates(year, quarter)
    start = max(start, contract.starts_on)
    if contract.ends_on is not None:
        end = min(end, contract.ends_on + datetime.timedelta(days=1))
    return (start, end) if start < end else None


def invoice_lines(contract, year: int, quarter: int) -> list[InvoiceLine]:
    """The invoice lines of a plustaak for a quarter: the same quarter always gives the same lines (in date order)."""
    period = _period(contract, year, quarter)
    if period is None:
        return []
    if not contract.per_delivery:
        # Three equal quarters and the rest; rounded down where rounding up would leave less than nothing for the rest
        # (a price of 0.02 gave 0.01 three times and -0.01).
        first = (contract.price / 4).quantize(CENT, ROUND_HALF_UP)
        if 3 * first > contract.price:
            first = (contract.price / 4).quantize(CENT, ROUND_DOWN)
        amount = contract.price - 3 * first if quarter == 4 else first
        start, _ = quarter_dates(year, quarter)
        return [InvoiceLine(start, f"{year}-K{quarter}", f"Jaarbedrag {year}, termijn {quarter} van 4", "", amount)]
    start, end = _local_midnight(period[0]), _local_midnight(period[1])
    municipalities = contract.municipalities.all()
    if contract.meeting_type_id:
        from spil.meetings.models import Meeting

        meetings = (
            Meeting.objects.filter(
                house=contract.house_id,
                meeting_type=contract.meeting_type_id,
                status__in=HELD_STATUSES,
                held_at__gte=start,
                held_at__lt=end,
                municipality__in=municipalities,
            )
            .select_related("meeting_type", "municipality")
            .order_by("held_at", "number")
        )
        return [
            InvoiceLine(timezone.localdate(m.held_at), m.number, m.meeting_type.name, m.municipality.name, contract.price) for m in meetings
        ]
    from spil.cases.models import Case
    from spil.persons.models import Person

    cases = (
        Case.objects.filter(house=contract.house_id, case_type=contract.case_type_id, opened_at__gte=start, opened_at__lt=end)
        .filter(Exists(Person.objects.filter(cases=OuterRef("pk"), municipality__in=municipalities)))
        .select_related("case_type")
        .order_by("opened_at", "number")
    )
    return [InvoiceLine(timezone.localdate(c.opened_at), c.number, c.case_type.name, "", contract.price) for c in cases]


def invoice_total(lines: list[InvoiceLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)
