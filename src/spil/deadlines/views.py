from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from spil.access import policy
from spil.access.processing import log_case, log_lists_shown
from spil.cases.views import visible_case
from spil.core import clock
from spil.deadlines import forms, services, urgency
from spil.deadlines.models import Signal
from spil.deadlines.rows import signal_rows
from spil.logbook.models import Action
from spil.web.forms import submitted
from spil.web.listing import paginate


def filter_signals(signals, data: dict, user):
    if number := data.get("q", "").strip():
        signals = signals.filter(case__number__icontains=number)
    if data.get("kind"):
        signals = signals.filter(kind=data["kind"])
    if data.get("mine"):
        signals = signals.for_user(user)
    return signals


@login_required
def signal_list(request):
    """All open signals of the houses where the user is bedrijfsbureau (or procesregisseur: the cases they see)."""
    user = request.user
    houses = policy.houses_for(user, "signals.house")
    if not houses.exists():
        raise PermissionDenied("Alleen het bedrijfsbureau en procesregisseurs zien de signalen van het huis.")
    now = clock.now()
    signals = Signal.objects.open().visible_to(user).filter(house__in=houses)
    filters = forms.SignalFilterForm(request.GET or None)
    chosen_urgency = ""
    if filters.is_valid():
        signals = filter_signals(signals, filters.cleaned_data, user)
        chosen_urgency = filters.cleaned_data.get("urgency", "")
    counts = urgency.counts(signals, now)
    if chosen_urgency:
        signals = signals.filter(urgency.conditions(now)[chosen_urgency])
    page = paginate(request, signals.order_by("due", "pk"), ids_first=True, read=lambda ids: signal_rows(ids, now))
    log_lists_shown(Action.READ, user, cases=[signal.case for signal in page.object_list if signal.case])
    return render(
        request,
        "deadlines/signal_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "counts": counts,
            "now": now,
        },
    )


def _measure_case(request, number):
    case = visible_case(request, number)
    if not services.has_measure(case):
        raise Http404("Dit casustype kent geen maatregel met een termijn.")
    policy.require(request.user, "case.direct", case.house)
    if "timeline" not in policy.dossier_parts(request.user, case):
        raise PermissionDenied("U ziet alleen de samenvatting van deze casus.")
    return case


@login_required
def measure(request, number):
    """The measure (huisverbod) of a case: its terms and decisions, and recording a new one."""
    case = _measure_case(request, number)
    now = clock.now()
    measures = list(case.measures.select_related("recorded_by", "decided_by"))
    running = next((m for m in measures if m.is_running(now)), None)
    form = forms.ImposeMeasureForm(request.POST or None, initial={"imposed_at": now.replace(second=0, microsecond=0)})
    if submitted(request, form, lambda data: services.impose_measure(case, actor=request.user, imposed_at=data["imposed_at"])):
        messages.success(request, "Het huisverbod is vastgelegd. Spil signaleert het besluit over verlenging en het einde.")
        return redirect("deadlines:measure", number=case.number)
    if request.method != "POST":
        log_case(Action.READ, case, request.user)
    return render(
        request,
        "deadlines/measure.html",
        {"case": case, "measures": measures, "running": running, "form": form, "now": now},
    )


@login_required
def measure_decision(request, number):
    """Record the burgemeester's decision on extending the measure that has none yet."""
    case = _measure_case(request, number)
    pending = case.measures.filter(decision="").order_by("-imposed_at").first()
    form = forms.DecisionForm(request.POST or None)
    if pending is not None and submitted(
        request,
        form,
        lambda data: services.decide_extension(
            case, actor=request.user, measure=pending, decision=data["decision"], extended_until=data["extended_until"], note=data["note"]
        ),
    ):
        messages.success(request, "Het besluit over verlenging is vastgelegd.")
        return redirect("deadlines:measure", number=case.number)
    if request.method != "POST":
        log_case(Action.READ, case, request.user)
    return render(request, "deadlines/measure_decision.html", {"case": case, "measure": pending, "form": form})
