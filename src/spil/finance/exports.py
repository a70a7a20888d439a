"""The finance tables as CSV or XLSX downloads (through `spil.web.exports`): what the screens show, figures as numbers."""

from spil.finance import calculations
from spil.web.exports import Table, table_response, xlsx_response


def budget_tables(budget) -> list[Table]:
    sheet = calculations.budget_sheet(budget)
    columns = [column.label for column in sheet.columns]
    rows = []
    for kind in sheet.groups:
        for group in sheet.groups[kind]:
            for row in group.rows:
                rows.append([row.line.get_kind_display(), row.nature, group.name, row.label, row.funder, *row.values])
            rows.append(["", "", group.name, group.subtotal.label, "", *group.subtotal.values])
        rows.append(["", "", "", sheet.totals[kind].label, "", *sheet.totals[kind].values])
    rows.append(["", "", "", sheet.balance.label, "", *sheet.balance.values])
    lines = Table(f"Begroting {budget.year} {budget.house}", ["Soort", "Aard", "Groep", "Omschrijving", "Financier", *columns], rows)
    summary = [
        [row.label, *row.values]
        for row in [*(r for kind in sheet.by_nature for r in sheet.by_nature[kind]), *sheet.totals.values(), sheet.balance]
    ]
    funders = [[row.label, *row.values] for row in sheet.by_funder]
    return [
        lines,
        Table("Structureel en incidenteel", ["", *columns], summary),
        Table("Baten per financier", ["Financier", *columns], funders),
    ]


def budget(budget, fmt: str):
    tables = budget_tables(budget)
    if fmt == "xlsx":
        return xlsx_response(*tables, filename=tables[0].title)
    return table_response(tables[0], fmt)


def contribution_table(contribution) -> Table:
    table = calculations.contribution_table(contribution)
    rows = [[row.municipality, row.population, round(row.percentage, 4), row.amount] for row in table.rows]
    rows += [
        ["Totaal (som per gemeente)", table.population, 100, table.sum_of_amounts],
        ["Totale inwonerbijdrage", None, None, table.total],
        ["Afrondingsverschil", None, None, table.rounding_difference],
        ["Bijdrage per inwoner", None, None, round(table.per_inhabitant, 6)],
    ]
    return Table(
        f"Inwonerbijdrage {contribution.year} {contribution.house}",
        ["Gemeente", f"Inwoners ({contribution.population_basis or 'peildatum onbekend'})", "Percentage", "Bijdrage (euro)"],
        rows,
    )


def contribution(contribution, fmt: str):
    return table_response(contribution_table(contribution), fmt)


def plan_tables(plan) -> list[Table]:
    figures = calculations.plan_figures(plan)
    rows = [
        [
            f.activity.theme,
            f.activity.name,
            f.activity.what_we_do,
            f.activity.what_it_yields,
            f.activity.planned_output,
            f.realised_shown,
            f.activity.output_unit,
            "; ".join(f"{s.fte} fte {s.role}" for s in f.staff),
            f.fte,
            f.activity.cost,
        ]
        for f in figures.activities
    ]
    rows.append(["", "Totaal", "", "", figures.planned_output, None, "", "", figures.fte, figures.cost])
    header = [
        "Thema",
        "Activiteit",
        "Wat gaan we doen",
        "Wat levert het op",
        "Beoogd",
        "Gerealiseerd",
        "Eenheid",
        "Formatie",
        "fte",
        "Kosten (euro)",
    ]
    return [
        Table(f"Jaarplan {plan.year} {plan.house}", header, rows),
        Table("Formatie per functie", ["Functie", "fte"], [*([role, fte] for role, fte in figures.roles), ["Totaal", figures.fte]]),
    ]


def plan(plan, fmt: str):
    tables = plan_tables(plan)
    if fmt == "xlsx":
        return xlsx_response(*tables, filename=tables[0].title)
    return table_response(tables[0], fmt)


def billing_table(contract, year: int, quarter: int) -> Table:
    lines = calculations.invoice_lines(contract, year, quarter)
    rows = [[line.date, line.reference, line.description, line.municipality, 1, line.amount] for line in lines]
    rows.append([None, "Totaal", f"{len(lines)} regel{'s' if len(lines) != 1 else ''}", "", len(lines), calculations.invoice_total(lines)])
    return Table(
        f"{contract.name} {year} K{quarter}",
        ["Datum", "Nummer", "Omschrijving", "Gemeente", "Aantal", "Bedrag (euro)"],
        rows,
    )


def billing(contract, year: int, quarter: int, fmt: str):
    return table_response(billing_table(contract, year, quarter), fmt)
