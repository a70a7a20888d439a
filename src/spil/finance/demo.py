"""Demo bedrijfsvoering for ZVH Parkstad: the 2025 budget with its first revision and the inwonerbijdrage from
seed 001, a jaarplan for the current year after seed 002, and the plustaken of seed 001 (the beschermingstafel per
table held, the others per year). Written by the manager through the services, at believable moments."""

import datetime
from decimal import Decimal

from django.utils import timezone

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.finance import seed, services
from spil.finance.models import Activity, Budget, BudgetLine, Contract, Contribution, Pricing
from spil.meetings.models import MeetingType

HOUSE = "parkstad"
ACTOR = "manager"


def _moment(ctx, year, month, day) -> datetime.datetime:
    return min(timezone.make_aware(datetime.datetime(year, month, day, 10, 0)), ctx.now)


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    actor = ctx.users.get(ACTOR)
    if house is None or actor is None:
        return
    _budget(ctx, house, actor)
    _contribution(ctx, house, actor)
    _plan(ctx, house, actor)
    _contracts(ctx, house, actor)


def _budget(ctx, house, actor) -> None:
    year = seed.PARKSTAD_YEAR
    lines = list(seed.parkstad_budget_lines())
    with clock.travel_to(_moment(ctx, year - 1, 6, 20)):
        budget = services.create_budget(actor=actor, house=house, year=year)
        primary = budget.versions.get()
        for fields, amount, _ in lines:
            services.save_budget_line(budget, actor=actor, fields=fields, amounts={primary.pk: amount})
    adopted = datetime.date(year - 1, 7, 3)
    if adopted > ctx.now.date():
        return
    with clock.travel_to(_moment(ctx, year - 1, 7, 3)):
        services.adopt_version(primary, actor=actor, adopted_on=adopted, note="Primaire begroting 2025.")
    with clock.travel_to(_moment(ctx, year, 5, 12)):
        revision = services.add_revision(budget, actor=actor, note="")
        for line, (_, _, amount) in zip(budget.lines.order_by("order"), lines, strict=True):
            services.save_budget_line(
                budget, actor=actor, line=line, fields=_fields(line), amounts={revision.pk: amount}, expected_version=line.version
            )
    adopted = datetime.date(year, 7, 2)
    if adopted <= ctx.now.date():
        with clock.travel_to(_moment(ctx, year, 7, 2)):
            services.adopt_version(revision, actor=actor, adopted_on=adopted, note=seed.PARKSTAD_REVISION_NOTE)


def _fields(line) -> dict:
    return {name: getattr(line, name) for name in services.LINE_FIELDS}


def _contribution(ctx, house, actor) -> None:
    with clock.travel_to(_moment(ctx, seed.PARKSTAD_YEAR - 1, 6, 20)):
        services.create_contribution(
            actor=actor,
            house=house,
            year=seed.PARKSTAD_YEAR,
            total=seed.PARKSTAD_CONTRIBUTION,
            population_basis=seed.PARKSTAD_POPULATION_BASIS,
        )


def _plan(ctx, house, actor) -> None:
    year = ctx.now.year
    case_types = {c.code: c for c in CaseType.objects.all()}
    meeting_types = {m.code: m for m in MeetingType.objects.all()}
    with clock.travel_to(_moment(ctx, year, 1, 15)):
        plan = services.create_plan(
            actor=actor,
            house=house,
            year=year,
            introduction="Jaarplan naar het model van de jaarplannen van de Limburgse Zorg- en Veiligheidshuizen: per activiteit "
            "wat we doen, wat het oplevert en wat het kost.",
        )
        for order, (theme, name, do, yields, planned, unit, case_type, meeting_type, staff) in enumerate(seed.JAARPLAN_ACTIVITIES):
            fields = {
                "theme": theme,
                "name": name,
                "what_we_do": do,
                "what_it_yields": yields,
                "planned_output": planned,
                "output_unit": unit,
                "case_type": case_types.get(case_type),
                "meeting_type": meeting_types.get(meeting_type),
                "cost": None,
                "order": order,
            }
            services.save_activity(plan, actor=actor, fields=fields, staff=[(role, Decimal(fte)) for role, fte in staff])


def _contracts(ctx, house, actor) -> None:
    municipalities = {m.name: m for m in house.municipalities.all()}
    everyone = list(municipalities.values())
    heerlen = "Gemeente Heerlen (centrumgemeente) t.b.v. Parkstad"
    table = MeetingType.objects.filter(code="jeugdbeschermingstafel").first()
    contracts = [
        (
            "Beschermingstafel",
            heerlen,
            everyone,
            Pricing.PER_DELIVERY,
            "550",
            table,
            None,
            "Voorzitterschap van de beschermingstafels van de Raad voor de Kinderbescherming voor heel Parkstad; "
            "gefactureerd achteraf per gehouden tafel (seed 001, risico 3).",
        ),
        ("Regie radicalisering", heerlen, everyone, Pricing.PER_YEAR, "35000", None, None, ""),
        (
            "Preventie met Gezag",
            "Gemeente Heerlen",
            [municipalities[n] for n in ("Heerlen", "Brunssum", "Kerkrade") if n in municipalities],
            Pricing.PER_YEAR,
            "608261",
            None,
            None,
            "Uitgebreid ten behoeve van enkele gemeenten in Parkstad (bijstelling 2025).",
        ),
        ("VIA procesregie", "Gemeente Heerlen t.b.v. Parkstad (via Sittard-Geleen)", everyone, Pricing.PER_YEAR, "21590", None, None, ""),
        ("Bestuurlijk Akkoord Nazorg", heerlen, everyone, Pricing.PER_YEAR, "139519", None, None, ""),
    ]
    with clock.travel_to(_moment(ctx, seed.PARKSTAD_YEAR - 1, 12, 1)):
        for name, commissioner, members, pricing, price, meeting_type, case_type, description in contracts:
            if pricing == Pricing.PER_DELIVERY and meeting_type is None:
                continue
            services.save_contract(
                actor=actor,
                house=house,
                municipalities=members,
                fields={
                    "name": name,
                    "commissioner": commissioner,
                    "pricing": pricing,
                    "price": Decimal(price),
                    "meeting_type": meeting_type,
                    "case_type": case_type,
                    "starts_on": datetime.date(seed.PARKSTAD_YEAR, 1, 1),
                    "ends_on": None,
                    "description": description,
                },
            )
        services.save_contract(
            actor=actor,
            house=house,
            municipalities=everyone,
            fields={
                "name": "Re-integratie Officier (RIO)",
                "commissioner": "Gemeenten Parkstad (aangevraagd via gemeente Heerlen)",
                "pricing": Pricing.PER_YEAR,
                "price": Decimal("140080"),
                "meeting_type": None,
                "case_type": None,
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": datetime.date(2026, 12, 31),
                "description": "€ 280.160 voor twee jaar (2025 en 2026), 1 fte RIO voor jongvolwassenen uit detentie.",
            },
        )


def counts() -> dict[str, int]:
    return {
        "begrotingen": Budget.objects.count(),
        "begrotingsregels": BudgetLine.objects.count(),
        "inwonerbijdragen": Contribution.objects.count(),
        "jaarplanactiviteiten": Activity.objects.count(),
        "plustaken": Contract.objects.count(),
    }
