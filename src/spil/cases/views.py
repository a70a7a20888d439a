from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from spil.access import policy
from spil.cases import forms, services
from spil.cases.models import Case
from spil.core.errors import DomainError
from spil.organisations.models import House
from spil.persons.models import Person
from spil.web.listing import paginate, sort

SORTABLE = {"number": "number", "opened_at": "opened_at", "ave": "ave_level", "phase_due_on": "phase_due_on"}


def visible_case(request, number) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("house", "case_type", "phase", "process_director", "case_director", "report"),
        number=number,
    )


def filter_cases(queryset, data: dict, user):
    if text := data.get("q", "").strip():
        persons = Person.objects.filter(cases=OuterRef("pk")).filter(
            Q(surname__unaccent__icontains=text) | Q(first_names__unaccent__icontains=text) | Q(bsn=text)
        )
        queryset = queryset.filter(Q(number__icontains=text) | Exists(persons))
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("case_type"):
        queryset = queryset.filter(case_type=data["case_type"])
    if data.get("phase"):
        queryset = queryset.filter(phase__name=data["phase"])
    if data.get("ave"):
        queryset = queryset.filter(ave_level=data["ave"])
    if regisseur := data.get("regisseur"):
        director = user.pk if regisseur == "mij" else int(regisseur)
        queryset = queryset.filter(Q(process_director=director) | Q(case_director=director))
    if data.get("municipality"):
        queryset = queryset.filter(Exists(Person.objects.filter(cases=OuterRef("pk"), municipality=data["municipality"])))
    return queryset


@login_required
def case_list(request):
    cases = Case.objects.visible_to(request.user)
    houses = House.objects.filter(pk__in=policy.member_house_ids(request.user))
    filters = forms.CaseFilterForm(request.GET or None, houses=houses)
    if filters.is_valid():
        cases = filter_cases(cases, filters.cleaned_data, request.user)
    cases, current_sort = sort(cases, request, SORTABLE, "-opened_at")
    page = paginate(request, cases.select_related("case_type", "phase", "process_director", "house").prefetch_related("persons"))
    return render(request, "cases/case_list.html", {"page_obj": page, "filters": filters, "sort": current_sort})


@login_required
def case_detail(request, number):
    case = visible_case(request, number)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "persons": case.persons.select_related("municipality"),
            "ave_changes": case.ave_changes.select_related("changed_by"),
            "events": case.events.select_related("actor"),
            "phases": case.case_type.phases.all(),
            "note_form": forms.NoteForm(case=case),
            "can_direct": policy.can(request.user, "case.direct", case.house),
            "can_assign": policy.can(request.user, "case.assign", case.house),
            "can_close": policy.can(request.user, "case.close", case.house),
        },
    )


@dataclass(frozen=True)
class CaseAction:
    permission: str
    title: str
    form: type
    perform: Callable
    done: str
    button: str
    warning: str = ""


ACTIONS = {
    "ave": CaseAction(
        "case.direct", "Op- of afschalen", forms.AveForm,
        lambda case, user, d: services.change_ave(case, actor=user, to_level=d["to_level"], reason=d["reason"], expected_version=d["version"]),
        "Het AVE-niveau is gewijzigd.", "AVE-niveau wijzigen",
    ),
    "fase": CaseAction(
        "case.direct", "Fase wijzigen", forms.PhaseForm,
        lambda case, user, d: services.change_phase(case, actor=user, phase=d["phase"], note=d["note"], expected_version=d["version"]),
        "De fase is gewijzigd.", "Fase wijzigen",
    ),
    "regie": CaseAction(
        "case.assign", "Regisseurs toewijzen", forms.DirectorsForm,
        lambda case, user, d: services.assign_directors(
            case, actor=user, process_director=d["process_director"], case_director=d["case_director"], expected_version=d["version"]
        ),
        "De regisseurs zijn bijgewerkt.", "Opslaan",
    ),
    "notitie": CaseAction(
        "case.direct", "Notitie toevoegen", forms.NoteForm,
        lambda case, user, d: services.add_note(case, actor=user, text=d["text"]),
        "De notitie is toegevoegd aan de tijdlijn.", "Notitie toevoegen",
    ),
    "afsluiten": CaseAction(
        "case.close", "Casus afsluiten", forms.CloseForm,
        lambda case, user, d: services.close_case(case, actor=user, result=d["result"], note=d["note"], expected_version=d["version"]),
        "De casus is gesloten.", "Casus afsluiten",
        "Na het afsluiten kan niemand de casus meer bijwerken tot hij wordt heropend.",
    ),
    "heropenen": CaseAction(
        "case.close", "Casus heropenen", forms.ReopenForm,
        lambda case, user, d: services.reopen_case(case, actor=user, reason=d["reason"], expected_version=d["version"]),
        "De casus is heropend.", "Casus heropenen",
    ),
}


@login_required
def case_action(request, number, action):
    case = visible_case(request, number)
    if action not in ACTIONS:
        raise Http404
    spec = ACTIONS[action]
    policy.require(request.user, spec.permission, case.house)
    form = spec.form(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            spec.perform(case, request.user, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, spec.done)
            return redirect("cases:detail", number=number)
    return render(request, "cases/case_action.html", {"case": case, "form": form, "action": spec})
