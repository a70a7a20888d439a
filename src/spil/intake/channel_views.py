"""Pages of the meldformulieren: choosing a form for a new melding, and the nazorg handover of a detention notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from spil.access import policy
from spil.access.processing import log_report
from spil.casetypes.models import CaseType
from spil.intake import channels, nazorg, views
from spil.intake.channel_forms import HandoverForm
from spil.logbook.models import Action
from spil.organisations.models import PartnerType
from spil.web.forms import submitted


@login_required
def choose_form(request):
    """'Nieuwe melding': the meldformulieren with what each is for. A POST here registers a melding on the general
    form, as this address did before there were several forms."""
    if request.method == "POST":
        return views.report_create(request, channels.GENERAL)
    if not policy.may_somewhere(request.user, "report.register"):
        raise PermissionDenied("U heeft geen rechten om meldingen te registreren.")
    definitions = list(channels.definitions().values())
    case_types = dict(CaseType.objects.filter(code__in=[d.case_type for d in definitions if d.case_type]).values_list("code", "name"))
    partner_types = dict(PartnerType.choices)
    forms = [
        {
            "definition": definition,
            "case_type": case_types.get(definition.case_type),
            "partners": [partner_types[kind] for kind in definition.source_partner_types],
        }
        for definition in definitions
    ]
    return render(request, "intake/choose_form.html", {"forms": forms})


@login_required
def handover(request, number):
    report = views.visible_report(request, number)
    policy.require(request.user, "nazorg.handover", report.house)
    if refusal := nazorg.handover_refusal(report):
        messages.error(request, refusal)
        return redirect("intake:detail", number=number)
    form = HandoverForm(request.POST or None, report=report)
    if submitted(request, form, lambda data: nazorg.hand_over_to_municipality(report, actor=request.user, **data)):
        messages.success(request, f"Melding {number} is voor nazorg overgedragen aan de gemeente {form.cleaned_data['municipality']}.")
        return redirect("intake:detail", number=number)
    log_report(Action.READ, report, request.user)  # the form shows where the person lives
    return render(request, "intake/handover_form.html", {"form": form, "report": report})
