"""The monitor: aggregate figures per house, region or the whole country, their exports and the half-year report.

No page here shows a client or a dossier, so nothing is written to the processing log; every count passes
`suppression` before it is shown or exported. Houses are those of `policy.visible_monitor_houses`; another house
answers 404. The figures come from `snapshots.dashboard` (stored, refreshed by the task queue, computed when
missing or stale), so the page, its exports and the report show the same figures and say when they were computed.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.core import clock
from spil.monitor import charts, figures, snapshots, suppression
from spil.monitor.figures import default_period
from spil.monitor.forms import DashboardForm, ManagementTextForm
from spil.monitor.models import ManagementText
from spil.monitor.services import save_management_text
from spil.web import exports
from spil.web.forms import submitted
from spil.web.pdf import pdf_response

ALL_TABLES = "alle-tabellen"
REPORT_HALVES_SHOWN = 4


def _houses(request, action: str):
    houses = policy.visible_monitor_houses(request.user, action)
    if not houses.exists():
        raise PermissionDenied(f"U heeft geen rechten om {policy.ACTION_DESCRIPTIONS[action]}.")
    return houses


def _selection(request):
    houses = _houses(request, "monitor.view")
    form = DashboardForm(request.GET or None, houses=houses.order_by("name"))
    start, end = default_period(clock.today())
    chosen = []
    if form.is_bound and form.is_valid():
        chosen = list(form.cleaned_data["huis"])
        start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    house_ids = [house.pk for house in chosen] or list(houses.values_list("pk", flat=True))
    return form, house_ids, figures.Period(start, end)


def _with_charts(data: figures.Dashboard) -> list:
    sections = []
    for title, section_figures in data.sections:
        sections.append((title, [(figure, _chart(figure)) for figure in section_figures]))
    return sections


def _chart(figure: figures.Figure):
    if figure.chart == "bars":
        return {"kind": "bars", **chart} if (chart := charts.bars(figure.bars)) else None
    if figure.chart == "trend":
        return {"kind": "trend", **chart} if (chart := charts.trend(figure.rows)) else None
    return None


def _scope_label(data: figures.Dashboard, all_houses: int) -> str:
    if len(data.houses) == 1:
        return data.houses[0].name
    if len(data.houses) == all_houses and all_houses > 1:
        return f"Alle {all_houses} Zorg- en Veiligheidshuizen"
    return ", ".join(house.name for house in data.houses)


@login_required
def dashboard(request):
    form, house_ids, period = _selection(request)
    data = snapshots.dashboard(house_ids, period)
    query = request.GET.urlencode()
    return render(
        request,
        "monitor/dashboard.html",
        {
            "form": form,
            "data": data,
            # Called by the template only when the tables are not in the cache (hundreds of rows nationally).
            "sections": lambda: _with_charts(data),
            "cache_seconds": int(snapshots.MAX_AGE.total_seconds()),
            "scope": _scope_label(data, form.fields["huis"].queryset.count()),
            "query": f"?{query}" if query else "",
            "threshold": suppression.threshold(),
            "all_tables": ALL_TABLES,
            "can_report": policy.visible_monitor_houses(request.user, "monitor.report").exists(),
            "refresh_minutes": snapshots.REFRESH_MINUTES,
            "max_age_minutes": int(snapshots.MAX_AGE.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def recompute(request):
    """ "Nu herberekenen": the same selection (in the query string) computed again, then back to the figures (an
    invalid selection goes back unchanged: the page says what is wrong)."""
    form, house_ids, period = _selection(request)
    if not form.is_bound or form.is_valid():
        snapshots.recompute(house_ids, period)
    query = request.GET.urlencode()
    return redirect(reverse("monitor:dashboard") + (f"?{query}" if query else ""))


@login_required
def export(request, table, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    form, house_ids, period = _selection(request)
    data = snapshots.dashboard(house_ids, period)
    stem = f"kerncijfers {period.start:%Y-%m-%d} {period.end:%Y-%m-%d}"
    if table == ALL_TABLES:
        if fmt != "xlsx":
            raise Http404
        return exports.xlsx_response(*(figure.table() for figure in data.figures.values()), filename=stem)
    figure = data.figures.get(table)
    if figure is None:
        raise Http404
    return exports.table_response(figure.table(), fmt, filename=f"{figure.title} {stem}")


# Half-year report for the stuurgroep ---------------------------------------------------------------------------


def _halves(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, half = today.year, 1 if today.month <= 6 else 2
    halves = []
    for _ in range(count):
        halves.append((year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return halves


@login_required
def reports(request):
    houses = list(_houses(request, "monitor.report").order_by("name"))
    halves = _halves(clock.today(), REPORT_HALVES_SHOWN)
    written = set(ManagementText.objects.filter(house__in=houses, year__gte=halves[-1][0]).values_list("house_id", "year", "half"))
    rows = [(house, [(year, half, (house.pk, year, half) in written) for year, half in halves]) for house in houses]
    return render(request, "monitor/reports.html", {"rows": rows, "halves": halves})


def _report_scope(request, pk: int, year: int, half: int):
    house = get_object_or_404(policy.visible_monitor_houses(request.user, "monitor.report"), pk=pk)
    if half not in (1, 2) or (year, half) not in _halves(clock.today(), 20):
        raise Http404("Geen halfjaar binnen de afgelopen tien jaar.")
    period = figures.Period.half_year(year, half)
    if period.end > clock.today():
        period = figures.Period(period.start, clock.today())
    text = ManagementText.objects.filter(house=house, year=year, half=half).select_related("updated_by").first()
    return house, period, text


def _report_context(request, pk, year, half) -> dict:
    house, period, text = _report_scope(request, pk, year, half)
    data = snapshots.dashboard([house.pk], period)
    return {
        "house": house,
        "year": year,
        "half": half,
        "period": period,
        "text": text,
        "data": data,
        "sections": _with_charts(data),
        "threshold": suppression.threshold(),
        "running": period.end < figures.Period.half_year(year, half).end,
        "can_write": policy.can(request.user, "monitor.write", house),
    }


@login_required
def report(request, pk, year, half):
    return render(request, "monitor/report.html", _report_context(request, pk, year, half))


@login_required
def report_pdf(request, pk, year, half):
    context = {**_report_context(request, pk, year, half), "printed_at": clock.now()}
    house = context["house"]
    return pdf_response(f"halfjaarrapportage {house.code} {year}-{half}", "monitor/pdf/report.html", context)


@login_required
def report_text(request, pk, year, half):
    house, period, text = _report_scope(request, pk, year, half)
    policy.require(request.user, "monitor.write", house)
    form = ManagementTextForm(request.POST or None, initial={"text": text.text if text else "", "version": text.version if text else None})

    def save(data):
        return save_management_text(
            actor=request.user, house=house, year=year, half=half, text=data["text"], expected_version=data["version"]
        )

    if submitted(request, form, save):
        return redirect(reverse("monitor:report", args=[house.pk, year, half]))
    return render(request, "monitor/report_text.html", {"form": form, "house": house, "year": year, "half": half, "period": period})
