"""The monitor's figures: SQL aggregates over a period for a set of houses, never a row per case in Python.

`dashboard(house_ids, period)` runs a fixed number of queries (one or two per table, whatever the number of
meldingen or cases) and returns `Figure`s whose cells are already protected by `suppression` (small counts "< 5",
cells that would reveal them by subtraction "x"). Nothing here names a client.

Definitions (also on the page):
- meldingen: received in the period (`received_on`); per gemeente: meldingen with at least one person living there;
- wegingen: decisions of a weegtafel taken in the period;
- cases opened / closed in the period; "open at the end" of the period: opened before its end, not closed by then
  (a reopened case counts as open from its reopening);
- lead times in calendar days: melding → weging (received → decided), weging → plan (decision on the melding →
  first plan version offered), plan offered → accepted, and the duration of cases closed in the period; the median
  and the 90th percentile are PostgreSQL's `percentile_cont`;
- caseload: cases open at the end of the period per (current) procesregisseur;
- Top-X: the entries of each list's latest ranking decided before the end of the period;
- detention notices: meldingen on the detention form received in the period, per kind (art. 18, art. 18b, BIJ), with
  their nazorg outcome at the end of the period (case opened, handed over to the gemeente, geen actie, none yet);
- ZOCO: victims per exploitation type from the mensenhandel form (signalled persons; new ZOCO cases of victims).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, Exists, F, FloatField, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from spil.cases.models import AveChange, Case, ClosingResult
from spil.intake import channels
from spil.intake.models import Channel, Report, ReportPerson
from spil.monitor import suppression
from spil.organisations.models import House
from spil.triage.models import AveLevel, Outcome, TriageItem
from spil.web.exports import Table

DETENTION_CASE_TYPES = ("bij", "nazorg")  # BIJ and nazorg ex-gedetineerden: the closing results of their cases
ZOCO_CASE_TYPE = "zoco-mensenhandel"
VICTIM, SUSPECT = "slachtoffer", "vermoedelijke-dader"  # the roles of the mensenhandel form (`intake/fixtures/channels.toml`)
NOT_RECORDED = "Uitbuitingsvorm niet vastgelegd"
YOUTH_PROTECTION_MEETING = "jeugdbeschermingstafel"
UNKNOWN = "Onbekend"
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


# --- period --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """Exclusive: the first moment after the period."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}"

    @classmethod
    def half_year(cls, year: int, half: int) -> "Period":
        if half == 1:
            return cls(datetime.date(year, 1, 1), datetime.date(year, 6, 30))
        return cls(datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# --- SQL helpers ---------------------------------------------------------------------------------------------


class Percentile(Aggregate):
    """PostgreSQL `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`: interpolated, like Excel's
    PERCENTILE.INC. The fraction is a constant of this module, never user input."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class DaysBetween(Func):
    """`later - earlier` for two dates: whole days (PostgreSQL date subtraction gives an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def _local_date(name: str):
    return TruncDate(name, tzinfo=timezone.get_current_timezone())


def _open_at(moment: datetime.datetime) -> Q:
    return Q(opened_at__lt=moment) & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))


# --- figures -------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    slug: str
    title: str
    header: list[str]
    rows: list[list]  # label(s) first, then the protected values
    note: str = ""
    chart: str | None = "bars"  # "bars": a bar per row over the first value column; "trend"; None
    total: list | None = None  # a protected total row, when the table has one
    empty: str = "Geen gegevens in deze periode."

    def table(self) -> Table:
        rows = [*self.rows, self.total] if self.total else self.rows
        return Table(self.title, self.header, rows)

    @property
    def bars(self) -> list[tuple[str, object]]:
        return [(row[0], row[1]) for row in self.rows]


def distribution(slug, title, header, counted: list[tuple[str, int]], *, note="", total_label="Totaal", chart="bars", sort=True) -> Figure:
    """A one-column distribution (label, count), largest first, protected, with its total."""
    if sort:
        counted = sorted(counted, key=lambda item: (-item[1], item[0]))
    counted = [(label, n) for label, n in counted if n]
    protected = suppression.protect([n for _, n in counted])
    rows = [[label, cell] for (label, _), cell in zip(counted, protected.cells, strict=True)]
    total = [total_label, suppression.total(sum(n for _, n in counted), protected)] if counted else None
    return Figure(slug, title, header, rows, note=note, chart=chart, total=total)


def columns(
    slug, title, header, labelled: list[tuple[str, list[int]]], *, note="", chart="bars", total_label="Totaal", keep_empty=False
) -> Figure:
    """Several count columns over the same rows: each column protected as its own distribution."""
    if not keep_empty:
        labelled = [(label, values) for label, values in labelled if any(values)]
    width = len(header) - 1
    protected = [suppression.protect([values[c] for _, values in labelled]) for c in range(width)]
    rows = [[label, *(protected[c].cells[r] for c in range(width))] for r, (label, _) in enumerate(labelled)]
    total = None
    if labelled:
        total = [total_label, *(suppression.total(sum(values[c] for _, values in labelled), protected[c]) for c in range(width))]
    return Figure(slug, title, header, rows, note=note, chart=chart, total=total)


def _labels(choices) -> dict:
    return dict(choices.choices)


def _named(rows, key: str, labels: dict | None = None) -> list[tuple[str, int]]:
    return [((labels or {}).get(row[key], row[key]) or UNKNOWN, row["n"]) for row in rows]


def _person_name(first: str, last: str, username: str) -> str:
    return " ".join(part for part in [first, last] if part) or username


@dataclass
class Dashboard:
    period: Period
    houses: list
    headline: list[tuple[str, object]] = field(default_factory=list)
    sections: list[tuple[str, list[Figure]]] = field(default_factory=list)
    computed_at: datetime.datetime | None = None  # set when read from or stored as a snapshot (`snapshots.py`)
    version: str = ""  # identifies the stored snapshot (and so its rendered tables, see dashboard.html)

    @property
    def figures(self) -> dict[str, Figure]:
        return {figure.slug: figure for _, figures in self.sections for figure in figures}


def dashboard(house_ids: list[int], period: Period) -> Dashboard:
    houses = list(House.objects.filter(pk__in=house_ids).order_by("name"))
    result = Dashboard(period, houses)
    reports = Report.objects.filter(house__in=house_ids, received_on__gte=period.start, received_on__lte=period.end)
    cases = Case.objects.filter(house__in=house_ids)
    start, end = period.start_at, period.end_at

    # Meldingen
    by_channel = _named(reports.values("channel").annotate(n=Count("pk")).order_by(), "channel", _labels(Channel))
    report_total = sum(n for _, n in by_channel)
    meldingen = [
        distribution(
            "meldingen-bron",
            "Meldingen per melder (organisatie)",
            ["Melder", "Meldingen"],
            _named(reports.values("source_partner__name").annotate(n=Count("pk")).order_by(), "source_partner__name"),
        ),
        distribution("meldingen-kanaal", "Meldingen per kanaal", ["Kanaal", "Meldingen"], by_channel),
        distribution(
            "meldingen-thema",
            "Meldingen per gevraagde aanpak (thema)",
            ["Thema", "Meldingen"],
            _named(reports.values("requested_case_type__name").annotate(n=Count("pk")).order_by(), "requested_case_type__name"),
        ),
        distribution(
            "meldingen-gemeente",
            "Meldingen per gemeente",
            ["Gemeente", "Meldingen"],
            _named(
                ReportPerson.objects.filter(report__in=reports)
                .values("person__municipality__name")
                .annotate(n=Count("report", distinct=True))
                .order_by(),
                "person__municipality__name",
            ),
            note="Gemeente waar de personen van de melding wonen; een melding met personen in meer gemeenten telt bij elk "
            "daarvan mee, dus het totaal kan hoger zijn dan het aantal meldingen.",
            total_label="Totaal (met dubbeltellingen)",
        ),
    ]

    # Weging
    decided = TriageItem.objects.filter(report__house__in=house_ids, decided_at__gte=start, decided_at__lt=end)
    decisions = list(decided.values("outcome", "ave_level").annotate(n=Count("pk")).order_by())
    outcomes, ave_at_triage = defaultdict(int), defaultdict(int)
    for row in decisions:
        outcomes[row["outcome"]] += row["n"]
        ave_at_triage[row["ave_level"]] += row["n"]
    outcome_labels, ave_labels = _labels(Outcome), _labels(AveLevel)
    weging = [
        distribution(
            "weging-uitkomst",
            "Uitkomst van de weging",
            ["Uitkomst", "Wegingen"],
            [(outcome_labels.get(key, key) or UNKNOWN, n) for key, n in outcomes.items()],
        ),
        distribution(
            "weging-ave",
            "AVE-niveau bij de weging",
            ["AVE-niveau", "Wegingen"],
            [(ave_labels.get(key, UNKNOWN), ave_at_triage.get(key, 0)) for key in sorted(ave_labels)],
            sort=False,
        ),
    ]

    # Cases
    per_type = list(
        cases.values("case_type__name")
        .annotate(
            opened=Count("pk", filter=Q(opened_at__gte=start, opened_at__lt=end)),
            closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
            open_end=Count("pk", filter=_open_at(end)),
        )
        .order_by("case_type__name")
    )
    results = _named(
        cases.filter(closed_at__gte=start, closed_at__lt=end).values("closing_result").annotate(n=Count("pk")).order_by(),
        "closing_result",
        _labels(ClosingResult),
    )
    last_level = AveChange.objects.filter(case=OuterRef("pk"), changed_at__lt=end).order_by("-changed_at", "-pk").values("to_level")[:1]
    ave_open = {
        row["level"]: row["n"]
        for row in cases.filter(_open_at(end)).annotate(level=Subquery(last_level)).values("level").annotate(n=Count("pk")).order_by()
    }
    scaling = AveChange.objects.filter(
        case__house__in=house_ids, changed_at__gte=start, changed_at__lt=end, from_level__isnull=False
    ).aggregate(up=Count("pk", filter=Q(to_level__gt=F("from_level"))), down=Count("pk", filter=Q(to_level__lt=F("from_level"))))
    casussen = [
        columns(
            "casussen-aanpak",
            "Casussen per aanpak",
            ["Aanpak", "Geopend", "Gesloten", "Open aan einde periode"],
            [(row["case_type__name"], [row["opened"], row["closed"], row["open_end"]]) for row in per_type],
        ),
        distribution("casussen-resultaat", "Gesloten casussen per resultaat", ["Resultaat", "Gesloten casussen"], results),
        distribution(
            "casussen-ave",
            "AVE-niveau van de open casussen aan het einde van de periode",
            ["AVE-niveau", "Casussen"],
            [(ave_labels.get(key, UNKNOWN), ave_open.get(key, 0)) for key in sorted(ave_labels)],
            sort=False,
        ),
        Figure(
            "casussen-schalen",
            "Op- en afschalen in de periode",
            ["Wijziging AVE-niveau", "Aantal"],
            [["Opgeschaald", suppression.count(scaling["up"])], ["Afgeschaald", suppression.count(scaling["down"])]],
        ),
    ]

    # Lead times
    doorlooptijden = Figure(
        "doorlooptijden",
        "Doorlooptijden (kalenderdagen)",
        ["Doorlooptijd", "Aantal", "Mediaan", "90e percentiel"],
        [_lead_time(label, queryset, days) for label, queryset, days in _lead_times(house_ids, period)],
        note="Mediaan en 90e percentiel (de helft, en negen op de tien, duurden korter of even lang). Bij minder dan "
        f"{suppression.threshold()} gevallen worden ze niet getoond.",
        chart=None,
    )

    # Caseload
    caseload = [
        (
            _person_name(row["process_director__first_name"], row["process_director__last_name"], row["process_director__username"])
            if row["process_director__username"]
            else "(geen procesregisseur)",
            row["n"],
        )
        for row in cases.filter(_open_at(end))
        .values("process_director__first_name", "process_director__last_name", "process_director__username")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    regie = [
        distribution("caseload", "Caseload per procesregisseur", ["Procesregisseur", "Open casussen aan einde periode"], caseload),
        _topx(house_ids, end),
    ]

    # Themes with their own reporting
    thema = [
        *_detention(reports, cases, start, end),
        _zoco(reports, cases, start, end),
        _youth_protection(house_ids, start, end),
    ]

    trend = _trend(house_ids, period)
    sections = [
        ("Meldingen", meldingen),
        ("Weging", weging),
        ("Casussen", casussen),
        ("Doorlooptijden", [doorlooptijden]),
        ("Regie en Top-X", regie),
        ("Thema's", thema),
        ("Trend per maand", [trend]),
    ]
    if len(houses) > 1:
        sections.append(("Per Zorg- en Veiligheidshuis", [_per_house(house_ids, reports, cases, period)]))
    result.sections = sections

    figures = result.figures
    opened_total = figures["casussen-aanpak"].total
    result.headline = [
        ("Meldingen", suppression.count(report_total)),
        ("Wegingen", figures["weging-uitkomst"].total[1] if figures["weging-uitkomst"].total else 0),
        ("Casussen geopend", opened_total[1] if opened_total else 0),
        ("Casussen gesloten", opened_total[2] if opened_total else 0),
        ("Open casussen aan einde periode", opened_total[3] if opened_total else 0),
    ]
    return result


def _lead_times(house_ids, period: Period):
    start, end = period.start_at, period.end_at
    from spil.plans.models import Plan, PlanStatus

    triage = TriageItem.objects.filter(report__house__in=house_ids, decided_at__gte=start, decided_at__lt=end)
    yield "Melding → weging", triage, DaysBetween(_local_date("decided_at"), F("report__received_on"))

    first_offer = Plan.objects.filter(case=OuterRef("pk"), offered_on__isnull=False).order_by("offered_on").values("offered_on")[:1]
    weighed = (
        TriageItem.objects.filter(report=OuterRef("report"), decided_at__isnull=False)
        .order_by("-decided_at")
        .annotate(day=_local_date("decided_at"))
        .values("day")[:1]
    )
    # A first offer in the period needs an offer in the period: that (semi-join) narrows the cases before the
    # per-case subqueries, which would otherwise run for every case the houses ever had.
    offered_in_period = Plan.objects.filter(case=OuterRef("pk"), offered_on__gte=period.start, offered_on__lte=period.end)
    planned = (
        Case.objects.filter(Exists(offered_in_period), house__in=house_ids, report__isnull=False)
        .annotate(first_offer=Subquery(first_offer), weighed_on=Subquery(weighed))
        .filter(first_offer__gte=period.start, first_offer__lte=period.end, weighed_on__isnull=False)
    )
    yield "Weging → eerste plan aangeboden", planned, DaysBetween(F("first_offer"), F("weighed_on"))

    accepted = Plan.objects.filter(
        case__house__in=house_ids, offered_on__isnull=False, decided_on__gte=period.start, decided_on__lte=period.end
    ).exclude(status=PlanStatus.REFUSED)
    yield "Plan aangeboden → geaccepteerd", accepted, DaysBetween(F("decided_on"), F("offered_on"))

    closed = Case.objects.filter(house__in=house_ids, closed_at__gte=start, closed_at__lt=end)
    yield "Duur van de gesloten casussen", closed, DaysBetween(_local_date("closed_at"), _local_date("opened_at"))


def _lead_time(label, queryset, days) -> list:
    stats = queryset.annotate(days=days).aggregate(n=Count("pk"), median=Percentile("days", 0.5), p90=Percentile("days", 0.9))
    n = stats["n"]
    if suppression.is_small(n):
        return [label, suppression.count(n), "–", "–"]
    return [label, n, _days(stats["median"]), _days(stats["p90"])]


def _days(value: float):
    return round(value, 1) if value % 1 else int(value)


def _topx(house_ids, end) -> Figure:
    from spil.topx.models import Ranking, RankingEntry

    latest = (
        Ranking.objects.filter(topx_list=OuterRef("ranking__topx_list"), decided_at__lt=end).order_by("-decided_at", "-pk").values("pk")[:1]
    )
    sizes = (
        RankingEntry.objects.filter(ranking__topx_list__house__in=house_ids, ranking=Subquery(latest))
        .values("ranking__topx_list__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return distribution(
        "topx",
        "Omvang Top-X-lijsten aan het einde van de periode",
        ["Lijst", "Personen op de lijst"],
        _named(sizes, "ranking__topx_list__name"),
    )


def _detention(reports, cases, start, end) -> list[Figure]:
    """Detention notices (meldformulier "detentie") received in the period, per kind of notice, with their nazorg
    outcome at the end of the period: a case opened from it (the ZVH took it up), else handed over to the gemeente,
    else weighed without either ("geen actie"), else no outcome yet. One query, whatever the number of notices."""
    from spil.intake.models import Handover

    notices = reports.filter(form=channels.DETENTION).annotate(
        article=KT("details__article"),
        taken_up=Exists(Case.objects.filter(report=OuterRef("pk"), opened_at__lt=end)),
        handed_over=Exists(Handover.objects.filter(report=OuterRef("pk"), handed_over_at__lt=end)),
        weighed=Exists(TriageItem.objects.filter(report=OuterRef("pk"), decided_at__lt=end)),
    )
    counted = {
        row["article"]: row
        for row in notices.values("article")
        .annotate(
            n=Count("pk"),
            case=Count("pk", filter=Q(taken_up=True)),
            handover=Count("pk", filter=Q(taken_up=False, handed_over=True)),
            nothing=Count("pk", filter=Q(taken_up=False, handed_over=False, weighed=True)),
        )
        .order_by()
    }
    article = channels.definitions()[channels.DETENTION].field("article")
    labels = dict(article.choices)
    labelled = []
    for value in [*labels, *sorted(set(counted) - set(labels), key=str)]:
        row = counted.get(value)
        values = [row["n"], row["case"], row["handover"], row["nothing"]] if row else [0, 0, 0, 0]
        labelled.append((labels.get(value, value) or UNKNOWN, [*values, values[0] - sum(values[1:])]))
    results = _labels(ClosingResult)
    closed = [
        (f"{row['case_type__name']}: {results.get(row['closing_result'], row['closing_result']) or UNKNOWN}", row["n"])
        for row in cases.filter(case_type__code__in=DETENTION_CASE_TYPES, closed_at__gte=start, closed_at__lt=end)
        .values("case_type__name", "closing_result")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return [
        columns(
            "detentie",
            "Detentiemeldingen en de uitkomst van de nazorg",
            ["Soort melding", "Meldingen", "Casus geopend", "Overgedragen aan de gemeente", "Geen actie", "Nog geen uitkomst"],
            labelled,
            note="Meldingen op het detentieformulier (art. 18/18b, BIJ) ontvangen in de periode, met hun uitkomst aan het einde "
            "van de periode: het ZVH opende een casus, de melding is voor nazorg aan de gemeente overgedragen, of de "
            "weegtafel besloot zonder casus of overdracht (geen actie).",
        ),
        distribution("detentie-resultaat", "Resultaat van gesloten BIJ- en nazorgcasussen", ["Aanpak en resultaat", "Casussen"], closed),
    ]


def zoco_by_exploitation(reports, cases, start, end) -> list[tuple[str, list[int]]]:
    """Victims of human trafficking per exploitation type (mensenhandel form, role "slachtoffer"): the persons signalled
    in meldingen received in the period, and the new ZOCO cases of victims opened in the period. Cases of suspected
    perpetrators never count; a ZOCO case from a melding without the mensenhandel form is "not recorded"."""
    signalled = {
        row["exploitation"]: row["n"]
        for row in reports.filter(form=channels.TRAFFICKING, details__role=VICTIM)
        .values(exploitation=KT("details__exploitation"))
        .annotate(n=Count("persons", distinct=True))
        .order_by()
    }
    opened = {
        row["exploitation"]: row["n"]
        for row in cases.filter(case_type__code=ZOCO_CASE_TYPE, opened_at__gte=start, opened_at__lt=end)
        .exclude(report__form=channels.TRAFFICKING, report__details__role=SUSPECT)
        .values(exploitation=KeyTextTransform("exploitation", "report__details"))
        .annotate(n=Count("pk"))
        .order_by()
    }
    labels = dict(channels.definitions()[channels.TRAFFICKING].field("exploitation").choices)
    values = [*labels, *sorted((set(signalled) | set(opened)) - set(labels) - {None}), None]
    return [
        (labels.get(value, value) if value is not None else NOT_RECORDED, [signalled.get(value, 0), opened.get(value, 0)])
        for value in values
    ]


def _zoco(reports, cases, start, end) -> Figure:
    return columns(
        "zoco",
        "ZOCO mensenhandel: slachtoffers per uitbuitingsvorm",
        ["Uitbuitingsvorm", "Gemelde slachtoffers", "Nieuwe casussen"],
        zoco_by_exploitation(reports, cases, start, end),
        note="Gemelde slachtoffers: personen in signalen mensenhandel met de rol slachtoffer, ontvangen in de periode. Nieuwe "
        "casussen: ZOCO-casussen van slachtoffers, geopend in de periode; elke persoon heeft een eigen dossier en casussen "
        "van vermoedelijke daders tellen niet mee.",
    )


def _youth_protection(house_ids, start, end) -> Figure:
    from spil.meetings.models import Meeting

    held = (
        Meeting.objects.filter(house__in=house_ids, meeting_type__code=YOUTH_PROTECTION_MEETING, held_at__gte=start, held_at__lt=end)
        .values("municipality__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return distribution(
        "jeugdbeschermingstafels",
        "Gehouden jeugdbeschermingstafels per gemeente",
        ["Gemeente", "Tafels"],
        _named(held, "municipality__name"),
    )


def _monthly(queryset, field_name: str, period: Period, *, date_field: bool = False) -> dict:
    """Counts per calendar month within the period and within the same days a year earlier."""
    earlier = Period(year_earlier(period.start), year_earlier(period.end))
    if date_field:
        windows = Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end}) | Q(
            **{f"{field_name}__gte": earlier.start, f"{field_name}__lte": earlier.end}
        )
        month = TruncMonth(field_name)
    else:
        windows = Q(**{f"{field_name}__gte": period.start_at, f"{field_name}__lt": period.end_at}) | Q(
            **{f"{field_name}__gte": earlier.start_at, f"{field_name}__lt": earlier.end_at}
        )
        month = TruncMonth(field_name, tzinfo=timezone.get_current_timezone())
    rows = queryset.filter(windows).annotate(month=month).values("month").annotate(n=Count("pk")).order_by()
    return {(row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row["n"] for row in rows}


def _trend(house_ids, period: Period) -> Figure:
    reports = _monthly(Report.objects.filter(house__in=house_ids), "received_on", period, date_field=True)
    cases = Case.objects.filter(house__in=house_ids)
    opened = _monthly(cases, "opened_at", period)
    closed = _monthly(cases, "closed_at", period)
    labelled = []
    for month in period.months():
        before = year_earlier(month)
        labelled.append(
            (
                f"{MONTHS[month.month - 1]} {month.year}",
                [
                    reports.get(month, 0),
                    reports.get(before, 0),
                    opened.get(month, 0),
                    opened.get(before, 0),
                    closed.get(month, 0),
                    closed.get(before, 0),
                ],
            )
        )
    return columns(
        "trend",
        "Per maand, met dezelfde maand een jaar eerder",
        [
            "Maand",
            "Meldingen",
            "Meldingen jaar eerder",
            "Casussen geopend",
            "Geopend jaar eerder",
            "Casussen gesloten",
            "Gesloten jaar eerder",
        ],
        labelled,
        chart="trend",
        keep_empty=True,
        note="Een maand die maar deels in de periode valt, telt alleen die dagen; het jaar eerder telt dezelfde dagen een jaar eerder.",
    )


def _per_house(house_ids, reports, cases, period: Period) -> Figure:
    start, end = period.start_at, period.end_at
    report_counts = {row["house__name"]: row["n"] for row in reports.values("house__name").annotate(n=Count("pk")).order_by()}
    case_counts = {
        row["house__name"]: row
        for row in cases.values("house__name")
        .annotate(opened=Count("pk", filter=Q(opened_at__gte=start, opened_at__lt=end)), open_end=Count("pk", filter=_open_at(end)))
        .order_by()
    }
    names = list(House.objects.filter(pk__in=house_ids).order_by("name").values_list("name", flat=True))
    return columns(
        "per-huis",
        "Kerncijfers per Zorg- en Veiligheidshuis",
        ["Zorg- en Veiligheidshuis", "Meldingen", "Casussen geopend", "Open aan einde periode"],
        [
            (name, [report_counts.get(name, 0), case_counts.get(name, {}).get("opened", 0), case_counts.get(name, {}).get("open_end", 0)])
            for name in names
        ],
    )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months up to today, from the first of the month eleven months back."""
    month = today.replace(day=1)
    for _ in range(11):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month, today
