from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.access.processing import log_report, log_reports_shown
from spil.core.errors import DomainError
from spil.intake import channel_forms, channels, services
from spil.intake.forms import (
    EnrichmentAnswerForm,
    EnrichmentRequestForm,
    InboxFilterForm,
    NewReportForm,
    PersonFormSet,
    ReportEditForm,
    StatusForm,
)
from spil.intake.models import Enrichment, Report, ReportPerson, ReportStatus
from spil.intake.rows import report_rows
from spil.logbook.models import Action
from spil.persons.models import Person
from spil.web.forms import attempt, submitted
from spil.web.listing import paginate_by_ids, sort, timeline_page

SORTABLE = {"number": "number", "received_on": "received_on", "status": "status", "source": "source_partner__name"}


def visible_report(request, number) -> Report:
    return get_object_or_404(Report.objects.visible_to(request.user).select_related("house"), number=number)


def search_reports(queryset, text: str):
    """Match a melding number, a reporter, or the name or BSN of one of its persons."""
    text = text.strip()
    persons = ReportPerson.objects.filter(report=OuterRef("pk"), person__in=Person.objects.matching(text))
    return queryset.filter(Q(number__icontains=text) | Q(reporter_name__unaccent__icontains=text) | Exists(persons))


def filter_reports(queryset, data: dict):
    if data.get("q"):
        queryset = search_reports(queryset, data["q"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("case_type"):
        queryset = queryset.filter(requested_case_type=data["case_type"])
    if data.get("municipality"):
        queryset = queryset.filter(Exists(ReportPerson.objects.filter(report=OuterRef("pk"), person__municipality=data["municipality"])))
    if data.get("source"):
        queryset = queryset.filter(source_partner=data["source"])
    if data.get("form"):
        queryset = queryset.filter(form=data["form"])
    if data.get("received_from"):
        queryset = queryset.filter(received_on__gte=data["received_from"])
    if data.get("received_until"):
        queryset = queryset.filter(received_on__lte=data["received_until"])
    return queryset


# A house gathers tens of thousands of meldingen over the years; the inbox lists the first this many in the chosen order
# (newest first by default), ten pages, and asks for filters to reach older ones, instead of counting and sorting them all
# each time. Every page reads this many candidates for each reason to see a melding: with 1,000 that query took about
# 10 ms at national size, with 250 about 3 ms (docs/performance.md, round eight).
INBOX_LIMIT = 250


@login_required
def inbox(request):
    reports = Report.objects.all()
    houses = policy.roles_of(request.user).member_houses
    filters = InboxFilterForm(request.GET or None, houses=houses)
    if filters.is_valid():
        reports = filter_reports(reports, filters.cleaned_data)
    reports, current_sort = sort(reports, request, SORTABLE, "-received_on")
    page = paginate_by_ids(
        request,
        policy.visible_reports(reports, request.user),
        limit=INBOX_LIMIT,
        ids=policy.visible_report_ids_in_order(reports, request.user, limit=INBOX_LIMIT + 1),
        read=report_rows,
    )
    log_reports_shown(Action.SEARCH, page.object_list, request.user)
    return render(
        request,
        "intake/inbox.html",
        {
            "page_obj": page,
            "filters": filters,
            "sort": current_sort,
            "can_register": policy.may_somewhere(request.user, "report.register"),
        },
    )


def _posted_rows(data, prefix: str, fields) -> list[dict]:
    total = int(data.get(f"{prefix}-TOTAL_FORMS") or 1)
    return [{name: data.get(f"{prefix}-{i}-{name}", "") for name in fields} for i in range(min(total, 12))]


@login_required
def report_create(request, form_code=channels.GENERAL):
    """A new melding on the general form or a channel's form (`channels`): the melding's fields, the form's own
    fields (`details`) and the persons; `NewReportForm.destination()` says where it goes (house or region)."""
    houses = policy.houses_for(request.user, "report.register")
    if not houses:
        raise PermissionDenied("U heeft geen rechten om meldingen te registreren.")
    if "add_person" in request.POST:
        # 'Nog een persoon toevoegen' works without JavaScript: redisplay what was typed, one row more, no errors yet.
        form = NewReportForm(initial=request.POST.dict(), houses=houses)
        details = channel_forms.details_form(form_code, initial=request.POST)
        rows = _posted_rows(request.POST, "persons", PersonFormSet.form.base_fields)
        persons = PersonFormSet(prefix="persons", initial=rows + [{}])
        return render(request, "intake/report_form.html", {"form": form, "details": details, "persons": persons})
    form = NewReportForm(request.POST or None, houses=houses, initial=channel_forms.report_initial(form_code))
    details = channel_forms.details_form(form_code, data=request.POST or None)
    persons = PersonFormSet(request.POST or None, prefix="persons")
    if request.method == "POST" and all([form.is_valid(), details.is_valid(), persons.is_valid()]):
        try:
            report = services.register_report(
                actor=request.user,
                fields={**form.report_fields(), "form": form_code},
                details=details.cleaned_data,
                persons=persons.persons(),
                **form.destination(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Melding {report.number} is geregistreerd en de ontvangst is bevestigd.")
            return redirect("intake:detail", number=report.number)
    return render(request, "intake/report_form.html", {"form": form, "details": details, "persons": persons})


@login_required
def report_detail(request, number):
    report = visible_report(request, number)
    log_report(Action.READ, report, request.user)
    return render(
        request,
        "intake/report_detail.html",
        {
            "report": report,
            "report_persons": report.report_persons.select_related("person__municipality"),
            "enrichments": report.enrichments.select_related("partner"),
            "events": timeline_page(request, report.events.all()),
            "cases": report.cases.visible_to(request.user),
            "triage_items": report.triage_items.select_related("session").order_by("session__starts_at"),
            "enrichment_form": EnrichmentRequestForm(prefix="enrichment"),
            "answer_form": EnrichmentAnswerForm(prefix="answer"),
            "next_statuses": [ReportStatus(s) for s in services.TRANSITIONS[ReportStatus(report.status)]],
            "can_enrich": policy.can(request.user, "report.enrich", report.house),
            "can_edit": policy.can(request.user, "report.register", report.house) and report.status != ReportStatus.TRIAGED,
        },
    )


@login_required
def report_edit(request, number):
    report = visible_report(request, number)
    policy.require(request.user, "report.register", report.house)
    form = ReportEditForm(request.POST or None, instance=report, initial={"version": report.version})

    def update(data):
        # The form wrote the new values onto `report`; the service compares against the stored row.
        fields = {name: data[name] for name in services.EDITABLE_FIELDS}
        services.update_report(Report.objects.get(pk=report.pk), actor=request.user, expected_version=data["version"], fields=fields)

    if submitted(request, form, update):
        messages.success(request, "De melding is bijgewerkt.")
        return redirect("intake:detail", number=number)
    return render(request, "intake/report_edit.html", {"form": form, "report": report})


@login_required
@require_POST
def report_status(request, number):
    report = visible_report(request, number)
    policy.require(request.user, "report.enrich", report.house)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ongeldige statuswijziging.")
    else:
        attempt(
            request,
            lambda: services.change_status(
                report, actor=request.user, to=form.cleaned_data["to"], expected_version=form.cleaned_data["version"]
            ),
            lambda changed: f"Status gewijzigd naar '{changed.get_status_display()}'.",
        )
    return redirect("intake:detail", number=number)


@login_required
def enrichment_create(request, number):
    report = visible_report(request, number)
    policy.require(request.user, "report.enrich", report.house)
    form = EnrichmentRequestForm(request.POST or None, prefix="enrichment")
    if submitted(request, form, lambda data: services.request_enrichment(report, actor=request.user, **data)):
        messages.success(request, f"Uitvraag bij {form.cleaned_data['partner']} vastgelegd.")
        return redirect("intake:detail", number=number)
    return render(request, "intake/enrichment_form.html", {"form": form, "report": report, "title": "Informatie opvragen"})


@login_required
def enrichment_answer(request, number, pk):
    report = visible_report(request, number)
    enrichment = get_object_or_404(Enrichment, report=report, pk=pk)
    policy.require(request.user, "report.enrich", report.house)
    form = EnrichmentAnswerForm(request.POST or None, prefix="answer")
    if submitted(request, form, lambda data: services.record_enrichment_answer(enrichment, actor=request.user, **data)):
        messages.success(request, f"Antwoord van {enrichment.partner} vastgelegd.")
        return redirect("intake:detail", number=number)
    return render(
        request,
        "intake/enrichment_form.html",
        {"form": form, "report": report, "enrichment": enrichment, "title": f"Antwoord van {enrichment.partner}"},
    )
