"""Pages for forwarding meldingen between houses (`intake.forwarding`): offer a melding to another house, the
"Doorgezonden meldingen" list (offers to the user's houses, and the user's houses' own offers) and the pages to
accept or decline an offer."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from spil.access import policy
from spil.access.processing import log_report, log_reports_shown
from spil.intake import forwarding as services
from spil.intake.models import Forwarding, ForwardingStatus, Report, ReportStatus
from spil.intake.views import visible_report
from spil.logbook.models import Action
from spil.organisations.models import House
from spil.web.forms import StyledForm, submitted
from spil.web.listing import paginate

INCOMING, OUTGOING = "in", "uit"


class ForwardForm(StyledForm, forms.Form):
    to_house = forms.ModelChoiceField(label="Naar Zorg- en Veiligheidshuis", queryset=House.objects.none())
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Waarom hoort de melding bij dat huis? Het andere huis leest dit bij de beslissing.",
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_house"].queryset = House.objects.exclude(pk=report.house_id)


class DecisionForm(StyledForm, forms.Form):
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label="Reden van afwijzen", widget=forms.Textarea(attrs={"rows": 3}), help_text="Het huis dat de melding aanbood, leest dit."
    )


class ForwardingFilterForm(StyledForm, forms.Form):
    hide_optional_marker = True

    richting = forms.ChoiceField(
        label="Richting", required=False, choices=[(INCOMING, "Aan mijn huis aangeboden"), (OUTGOING, "Door mijn huis aangeboden")]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + ForwardingStatus.choices)


def _forwardings(user):
    return policy.visible_forwardings(Forwarding.objects.all(), user)


@login_required
def forward(request, number):
    report = visible_report(request, number)
    policy.require(request.user, "report.forward", report.house)
    form = ForwardForm(request.POST or None, report=report)
    if submitted(request, form, lambda data: services.forward(report, actor=request.user, **data)):
        messages.success(request, f"Melding {report.number} is aangeboden aan {form.cleaned_data['to_house']}.")
        return redirect("intake:detail", number=number)
    return render(request, "intake/forward_form.html", {"form": form, "report": report})


@login_required
def forwardings(request):
    """Offers to the user's houses (to accept or decline) and offers their houses made, newest first."""
    user = request.user
    houses = policy.houses_for(user, "report.forward")
    if not houses.exists():
        raise PermissionDenied("U heeft geen rechten om doorgezonden meldingen te bekijken.")
    # By default the offers waiting for a decision; a filter chosen (also "Alle") stays in the URL, pages included.
    filters = ForwardingFilterForm({"richting": INCOMING, "status": ForwardingStatus.PENDING, **request.GET.dict()})
    data = filters.cleaned_data if filters.is_valid() else {}
    direction = data.get("richting") or INCOMING
    rows = _forwardings(user).filter(**{"to_house__in" if direction == INCOMING else "from_house__in": houses})
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    seen = policy.visible_reports(Report.objects.filter(pk=OuterRef("report_id")), user)
    rows = (
        rows.annotate(report_visible=Exists(seen))
        .select_related("report__requested_case_type", "from_house", "to_house", "requested_by", "decided_by")
        .prefetch_related("report__persons")
        .order_by("-requested_at", "-pk")
    )
    page = paginate(request, rows)
    # Names are shown only for meldingen the user may see (the others show their number); every row is logged, as a
    # reason or decision may describe the person.
    log_reports_shown(Action.READ, [row.report for row in page.object_list], user)
    return render(
        request,
        "intake/forwardings.html",
        {"page_obj": page, "filters": filters, "direction": direction, "deciding_houses": set(houses.values_list("pk", flat=True))},
    )


def _offer(request, pk) -> Forwarding:
    forwarding = get_object_or_404(_forwardings(request.user).select_related("report", "from_house", "to_house", "requested_by"), pk=pk)
    policy.require(request.user, "report.forward", forwarding.to_house)
    return forwarding


def _decided(request, forwarding):
    messages.info(request, f"Over deze doorzending is al besloten: {forwarding.get_status_display().lower()}.")
    return redirect(f"{_list_url()}?richting={INCOMING}")


def _list_url():
    return reverse("intake:forwardings")


@login_required
def accept(request, pk):
    forwarding = _offer(request, pk)
    if forwarding.status != ForwardingStatus.PENDING:
        return _decided(request, forwarding)
    form = DecisionForm(request.POST or None)
    if submitted(request, form, lambda data: services.accept(forwarding, actor=request.user, note=data["note"])):
        messages.success(request, f"Melding {forwarding.report.number} hoort nu bij {forwarding.to_house}.")
        return redirect("intake:detail", number=forwarding.report.number)
    log_report(Action.READ, forwarding.report, request.user)
    return render(request, "intake/forwarding_decision.html", _decision_context(forwarding, form, accepting=True))


@login_required
def decline(request, pk):
    forwarding = _offer(request, pk)
    if forwarding.status != ForwardingStatus.PENDING:
        return _decided(request, forwarding)
    form = DeclineForm(request.POST or None)
    if submitted(request, form, lambda data: services.decline(forwarding, actor=request.user, reason=data["reason"])):
        messages.success(
            request, f"De doorzending van melding {forwarding.report.number} is afgewezen; {forwarding.from_house} is op de hoogte."
        )
        return redirect(f"{_list_url()}?richting={INCOMING}")
    log_report(Action.READ, forwarding.report, request.user)
    return render(request, "intake/forwarding_decision.html", _decision_context(forwarding, form, accepting=False))


def _decision_context(forwarding, form, *, accepting: bool) -> dict:
    report = forwarding.report
    return {
        "forwarding": forwarding,
        "report": report,
        "form": form,
        "accepting": accepting,
        "weighed": report.status == ReportStatus.TRIAGED,
        "on_agenda": report.triage_items.filter(decided_at__isnull=True).exists(),
    }
