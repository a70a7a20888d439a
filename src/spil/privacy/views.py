"""The privacy officer's screens: Verwerkingsregister, Inzage (AVG art. 15) and Bewaartermijnen.

Every view is for users who are privacy officer in at least one house (403 otherwise); objects are looked up within
those houses (404 otherwise). Inzage views log the processing they do in the same transaction as the response.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from spil.access import policy
from spil.cases.models import Case, EmergencyAccess, Review
from spil.core import clock
from spil.core.errors import DomainError
from spil.logbook.models import Action, ProcessingActivity
from spil.privacy import inzage, services
from spil.privacy.forms import ExtensionForm, HoldForm, InzageSearchForm, LiftHoldForm
from spil.privacy.models import RetentionExtension, RetentionHold
from spil.web.exports import Table, csv_response
from spil.web.listing import paginate
from spil.web.pdf import pdf_response

FORMATS = {"csv", "pdf"}


def privacy_officer(view):
    """Only for privacy officers; the view gets the houses where the user is one as `request.privacy_houses`."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        houses = policy.houses_for(request.user, "privacy.review")
        if not houses.exists():
            raise PermissionDenied("Alleen de privacy officer van een Zorg- en Veiligheidshuis heeft toegang tot dit onderdeel.")
        request.privacy_houses = houses
        return view(request, *args, **kwargs)

    return wrapper


def _cases_in_scope(request):
    return Case.objects.filter(house__in=request.privacy_houses)


@privacy_officer
def home(request):
    today = clock.today()
    cases = _cases_in_scope(request)
    return render(
        request,
        "privacy/home.html",
        {
            "houses": request.privacy_houses,
            "activity_count": ProcessingActivity.objects.count(),
            "due_count": services.due_for_destruction(today).filter(house__in=request.privacy_houses).count(),
            "hold_count": RetentionHold.objects.active(today).filter(case__in=cases).count(),
            "pending_reviews": EmergencyAccess.objects.filter(case__in=cases, review=Review.PENDING).count(),
        },
    )


# Verwerkingsregister ------------------------------------------------------------------------------------------

REGISTER_HEADER = [
    "Code",
    "Verwerkingsactiviteit",
    "Doel",
    "Grondslag",
    "Categorieën betrokkenen",
    "Categorieën persoonsgegevens",
    "Ontvangers",
    "Bewaartermijn (jaren na afsluiten)",
    "Casustypen",
]


def _activities():
    return ProcessingActivity.objects.prefetch_related("case_types").order_by("name")


def _case_type_labels(activity) -> list[str]:
    return [f"{case_type.name}{'' if case_type.active else ' (niet actief)'}" for case_type in activity.case_types.all()]


@privacy_officer
def register(request):
    activities = [(activity, _case_type_labels(activity)) for activity in _activities()]
    return render(request, "privacy/register.html", {"activities": activities})


@privacy_officer
def register_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    activities = [(activity, _case_type_labels(activity)) for activity in _activities()]
    title = f"verwerkingsregister {clock.today():%Y-%m-%d}"
    if fmt == "csv":
        rows = [
            [
                a.code,
                a.name,
                a.purpose,
                a.legal_basis,
                a.categories_of_persons,
                a.categories_of_data,
                a.recipients,
                a.retention_years,
                ", ".join(labels),
            ]
            for a, labels in activities
        ]
        return csv_response(Table(title, REGISTER_HEADER, rows))
    return pdf_response(title, "privacy/pdf/register.html", {"activities": activities, "printed_at": clock.now()})


# Inzage (AVG art. 15) -------------------------------------------------------------------------------------------


@privacy_officer
@transaction.atomic
def inzage_search(request):
    form = InzageSearchForm(request.GET or None)
    persons, more = [], False
    if form.is_valid():
        persons, more = inzage.search(request.user, form.cleaned_data["q"])
        if persons:
            inzage.log(Action.SEARCH, actor=request.user, persons=persons)
    return render(request, "privacy/inzage_search.html", {"form": form, "persons": persons, "more": more, "limit": inzage.SEARCH_LIMIT})


def _person_in_scope(request, pk):
    return get_object_or_404(inzage.persons_in_scope(request.user).select_related("municipality"), pk=pk)


def _with_users(request) -> bool:
    return request.GET.get("medewerkers") == "1"


@privacy_officer
@transaction.atomic
def inzage_person(request, pk):
    person = _person_in_scope(request, pk)
    inzage.log(Action.READ, actor=request.user, persons=[person])
    with_users = _with_users(request)
    page = paginate(request, inzage.processings(person))
    names = inzage.user_names(page.object_list) if with_users else {}
    rows = [(record, inzage.user_label(record, names) if with_users else "") for record in page.object_list]
    return render(
        request,
        "privacy/inzage_person.html",
        {"person": person, "page_obj": page, "rows": rows, "with_users": with_users, "dossiers": _dossiers(request, person)},
    )


def _dossiers(request, person) -> list[str]:
    """The meldingen and cases of the officer's houses the person is linked to (numbers only)."""
    reports = person.reports.filter(house__in=request.privacy_houses).values_list("number", flat=True)
    cases = person.cases.filter(house__in=request.privacy_houses).values_list("number", flat=True)
    return sorted([*reports, *cases])


@privacy_officer
@transaction.atomic
def inzage_export(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    person = _person_in_scope(request, pk)
    inzage.log(Action.EXPORT, actor=request.user, persons=[person])
    with_users = _with_users(request)
    records = list(inzage.processings(person))
    names = inzage.user_names(records) if with_users else {}
    header, rows = inzage.export_rows(records, with_users=with_users, names=names)
    title = f"inzage verwerkingen {clock.today():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(Table(title, header, rows))
    context = {"person": person, "header": header, "rows": rows, "printed_at": clock.now(), "dossiers": _dossiers(request, person)}
    return pdf_response(title, "privacy/pdf/inzage.html", context)


# Bewaartermijnen --------------------------------------------------------------------------------------------------


@privacy_officer
def retention(request):
    today = clock.today()
    cases = _cases_in_scope(request)
    due = services.due_for_destruction(today).filter(house__in=request.privacy_houses).select_related("case_type", "house")
    page = paginate(request, due)
    holds = RetentionHold.objects.active(today).filter(case__in=cases).select_related("case", "created_by")
    extensions = (
        RetentionExtension.objects.filter(case__in=cases, keep_until__gte=today).select_related("case", "created_by").order_by("keep_until")
    )
    return render(request, "privacy/retention.html", {"page_obj": page, "holds": holds, "extensions": extensions, "today": today})


def _submitted(request, form, call, success: str):
    """Run `call(cleaned_data)` for a valid POST; a domain error goes onto the form. Returns a redirect when done."""
    if request.method == "POST" and form.is_valid():
        try:
            call(dict(form.cleaned_data))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect("privacy:retention")
    return None


def _case_form(request, form_class, service, *, success: str, title: str, submit: str):
    """A form naming a case of the officer's houses (prefilled from ?casus=), handled by a retention service."""
    form = form_class(request.POST or None, initial={"case": request.GET.get("casus", "")}, cases=_cases_in_scope(request))
    number = form.cleaned_data["case"].number if form.is_bound and form.is_valid() else ""
    done = _submitted(request, form, lambda data: service(data.pop("case"), actor=request.user, **data), success.format(number=number))
    return done or render(request, "privacy/retention_form.html", {"form": form, "title": title, "submit": submit})


@privacy_officer
def hold_create(request):
    return _case_form(
        request,
        HoldForm,
        services.place_hold,
        success="Bewaarplicht geplaatst op casus {number}.",
        title="Bewaarplicht plaatsen",
        submit="Bewaarplicht plaatsen",
    )


@privacy_officer
def extension_create(request):
    return _case_form(
        request,
        ExtensionForm,
        services.extend,
        success="Bewaartermijn van casus {number} verlengd.",
        title="Bewaartermijn verlengen",
        submit="Verlengen",
    )


@privacy_officer
def hold_lift(request, pk):
    hold = get_object_or_404(
        RetentionHold.objects.filter(case__in=_cases_in_scope(request), lifted_at__isnull=True).select_related("case"), pk=pk
    )
    form = LiftHoldForm(request.POST or None)
    done = _submitted(
        request,
        form,
        lambda data: services.lift_hold(hold, actor=request.user, **data),
        f"Bewaarplicht op casus {hold.case.number} opgeheven.",
    )
    if done:
        return done
    return render(
        request,
        "privacy/retention_form.html",
        {"form": form, "hold": hold, "title": f"Bewaarplicht op {hold.case.number} opheffen", "submit": "Bewaarplicht opheffen"},
    )


@privacy_officer
def destroy(request, number):
    case = get_object_or_404(
        services.due_for_destruction().filter(house__in=request.privacy_houses).select_related("case_type", "house", "report"),
        number=number,
    )
    policy.require(request.user, "privacy.review", case.house)
    if request.method == "POST":
        try:
            result = services.destroy(case, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Casus {result.case_number} is vernietigd"
                f"{f' met melding {result.report_number}' if result.report_number else ''}; "
                f"{result.persons_removed} personen verwijderd, {result.persons_kept} elders gekoppeld en behouden.",
            )
        return redirect(reverse("privacy:retention"))
    case.due_since = services.due_since(case)
    return render(request, "privacy/destroy_confirm.html", {"case": case})
