from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from spil.access import policy
from spil.access.processing import log_case, log_cases_shown
from spil.cases import forms, services
from spil.core import clock
from spil.cases.models import Case, EmergencyAccess, Review, TeamMember
from spil.cases.rows import case_rows
from spil.logbook.models import Action
from spil.persons.models import Person
from spil.plans.views import dossier_section as plan_section
from spil.web.forms import submitted
from spil.web.listing import paginate, sort, timeline_page

SORTABLE = {"number": "number", "opened_at": "opened_at", "ave": "ave_level", "phase_due_on": "phase_due_on"}


def visible_case(request, number) -> Case:
    # The regisseurs and the melding are read when shown: joined here as well, the eight tables cost PostgreSQL about
    # 6 ms to plan and Django as much to compile and build, against about 1 ms for each separate read.
    return get_object_or_404(Case.objects.visible_to(request.user).select_related("house", "case_type", "phase"), number=number)


def filter_cases(queryset, data: dict, user):
    if text := data.get("q", "").strip():
        persons = Person.objects.matching(text).filter(cases=OuterRef("pk"))
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
    filters = forms.CaseFilterForm(request.GET or None, houses=policy.member_house_ids(request.user))
    if filters.is_valid():
        cases = filter_cases(cases, filters.cleaned_data, request.user)
    cases, current_sort = sort(cases, request, SORTABLE, "-opened_at")
    page = paginate(request, cases, ids_first=True, read=case_rows)
    log_cases_shown(Action.SEARCH, page.object_list, request.user)
    return render(request, "cases/case_list.html", {"page_obj": page, "filters": filters, "sort": current_sort})


@login_required
def case_detail(request, number):
    case = visible_case(request, number)
    team = list(case.team.active().select_related("user"))  # shown, and it says which parts the user sees: read once
    _directors_from(team, case)
    parts = policy.dossier_parts(request.user, case, team=team)
    persons = list(case.persons.select_related("municipality"))  # shown and logged: read once
    log_case(Action.READ, case, request.user, persons=persons)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "parts": parts,
            "plan_section": plan_section(request.user, case, parts),
            "persons": persons,
            "ave_changes": case.ave_changes.select_related("changed_by"),
            "events": timeline_page(request, case.events.all()) if "timeline" in parts else [],
            "phases": case.case_type.phases.all(),
            "team": team,
            "report_number": policy.case_report_number(request.user, case, team=team),
            "emergency": policy.running_emergency_access(request.user, case),
            "note_form": forms.NoteForm(case=case),
            "can_direct": policy.can(request.user, "case.direct", case.house) and "timeline" in parts,
            "can_assign": policy.can(request.user, "case.assign", case.house),
            "can_team": policy.can(request.user, "case.team", case.house),
            "can_close": policy.can(request.user, "case.close", case.house),
        },
    )


def _directors_from(team, case) -> None:
    """The regisseurs are on the case team (`services.assign_directors` adds them): the case takes them from the team
    read for the page rather than reading each again."""
    users = {member.user_id: member.user for member in team}
    for field in ("process_director", "case_director"):
        if (user_id := getattr(case, f"{field}_id")) in users:
            setattr(case, field, users[user_id])


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
        "case.direct",
        "Op- of afschalen",
        forms.AveForm,
        lambda case, user, d: services.change_ave(
            case, actor=user, to_level=d["to_level"], reason=d["reason"], expected_version=d["version"]
        ),
        "Het AVE-niveau is gewijzigd.",
        "AVE-niveau wijzigen",
    ),
    "fase": CaseAction(
        "case.direct",
        "Fase wijzigen",
        forms.PhaseForm,
        lambda case, user, d: services.change_phase(case, actor=user, phase=d["phase"], note=d["note"], expected_version=d["version"]),
        "De fase is gewijzigd.",
        "Fase wijzigen",
    ),
    "regie": CaseAction(
        "case.assign",
        "Regisseurs toewijzen",
        forms.DirectorsForm,
        lambda case, user, d: services.assign_directors(
            case, actor=user, process_director=d["process_director"], case_director=d["case_director"], expected_version=d["version"]
        ),
        "De regisseurs zijn bijgewerkt.",
        "Opslaan",
    ),
    "team": CaseAction(
        "case.team",
        "Iemand aan het casusteam toevoegen",
        forms.TeamMemberForm,
        lambda case, user, d: services.add_team_member(case, actor=user, user=d["user"], role=d["role"], access=d["access"]),
        "Het casusteam is bijgewerkt.",
        "Toevoegen",
    ),
    "notitie": CaseAction(
        "case.direct",
        "Notitie toevoegen",
        forms.NoteForm,
        lambda case, user, d: services.add_note(case, actor=user, text=d["text"]),
        "De notitie is toegevoegd aan de tijdlijn.",
        "Notitie toevoegen",
    ),
    "afsluiten": CaseAction(
        "case.close",
        "Casus afsluiten",
        forms.CloseForm,
        lambda case, user, d: services.close_case(case, actor=user, result=d["result"], note=d["note"], expected_version=d["version"]),
        "De casus is gesloten.",
        "Casus afsluiten",
        "Na het afsluiten kan niemand de casus meer bijwerken tot hij wordt heropend.",
    ),
    "heropenen": CaseAction(
        "case.close",
        "Casus heropenen",
        forms.ReopenForm,
        lambda case, user, d: services.reopen_case(case, actor=user, reason=d["reason"], expected_version=d["version"]),
        "De casus is heropend.",
        "Casus heropenen",
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
    if submitted(request, form, lambda data: spec.perform(case, request.user, data)):
        messages.success(request, spec.done)
        return redirect("cases:detail", number=number)
    return render(request, "cases/case_action.html", {"case": case, "form": form, "action": spec})


@login_required
def team_revoke(request, number, member_pk):
    case = visible_case(request, number)
    policy.require(request.user, "case.team", case.house)
    member = get_object_or_404(TeamMember.objects.active().select_related("user"), case=case, pk=member_pk)
    form = forms.RevokeForm(request.POST or None)
    if submitted(request, form, lambda data: services.revoke_team_member(member, actor=request.user, **data)):
        messages.success(request, f"De toegang van {member.user.get_full_name()} is ingetrokken.")
        return redirect("cases:detail", number=number)
    return render(request, "cases/team_revoke.html", {"case": case, "member": member, "form": form})


@login_required
def emergency_access(request):
    """Doorbreken: the page where a bedrijfsbureau member or procesregisseur asks for 24 hours of access."""
    if not policy.may_somewhere(request.user, "case.emergency"):
        raise PermissionDenied("Alleen het bedrijfsbureau en procesregisseurs kunnen noodtoegang vragen.")
    form = forms.EmergencyAccessForm(request.POST or None)
    if submitted(request, form, lambda data: services.request_emergency_access(actor=request.user, **data)):
        access = form.result
        messages.warning(
            request,
            f"Noodtoegang tot {access.case.number} tot {clock.local_text(access.expires_at)}. De procesregisseur en de privacy officer zijn ingelicht.",
        )
        return redirect("cases:detail", number=access.case.number)
    return render(request, "cases/emergency_access.html", {"form": form})


@login_required
def emergency_reviews(request):
    """The privacy officer's queue: every emergency access in their houses, to be judged justified or not."""
    houses = policy.houses_for(request.user, "privacy.review")
    if not houses.exists():
        raise PermissionDenied("Alleen de privacy officer beoordeelt noodtoegang.")
    accesses = EmergencyAccess.objects.filter(case__house__in=houses).select_related("case", "user", "reviewed_by")
    pending = request.GET.get("status", "open") == "open"
    if pending:
        accesses = accesses.filter(review=Review.PENDING)
    return render(request, "cases/emergency_reviews.html", {"page_obj": paginate(request, accesses), "pending": pending})


@login_required
def emergency_review(request, pk):
    houses = policy.houses_for(request.user, "privacy.review")
    access = get_object_or_404(EmergencyAccess.objects.filter(case__house__in=houses).select_related("case", "user"), pk=pk)
    form = forms.ReviewForm(request.POST or None)
    if submitted(request, form, lambda data: services.review_emergency_access(access, actor=request.user, **data)):
        messages.success(request, "De beoordeling is vastgelegd.")
        return redirect("cases:emergency-reviews")
    return render(request, "cases/emergency_review.html", {"access": access, "form": form})
