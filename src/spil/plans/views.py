"""Screens of the plan van aanpak. Views fetch through `visible_to` querysets (invisible: 404), check the role with
`policy.require` (403), call a service and render; every page writes the processing log of its case."""

from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from spil.access import policy
from spil.access.processing import log_case, log_cases_shown
from spil.cases.models import Case, CaseStatus
from spil.casetypes.models import LifeDomain
from spil.logbook.models import Action as LogAction
from spil.plans import forms, services
from spil.plans.models import (
    Action,
    ConfirmationStatus,
    DeliveryConfirmation,
    Plan,
    PlanStatus,
    SignedAgreement,
)
from spil.web.forms import submitted
from spil.web.listing import paginate

CASE_RELATED = ("house", "case_type", "process_director", "case_director")


def _full_case(request, number) -> Case:
    """The case, if the user sees its full dossier (summary-level members see only their own actions)."""
    return get_object_or_404(policy.full_dossier_cases(request.user).select_related(*CASE_RELATED), number=number)


def _plan(request, number, version) -> Plan:
    plans = Plan.objects.visible_to(request.user).select_related(*(f"case__{name}" for name in CASE_RELATED))
    return get_object_or_404(plans, case__number=number, version_number=version)


def _plan_page(request, case: Case, plan: Plan | None):
    log_case(LogAction.READ, case, request.user)
    context = {"case": case, "plan": plan, "can_direct": policy.can(request.user, "case.direct", case.house) and case.is_open}
    context["versions"] = case.plans.order_by("-version_number")
    if plan is not None:
        context.update(
            goals=services.goals_with_actions(plan),
            confirmations=services.open_confirmations(plan),
            earlier_confirmations=plan.confirmations.exclude(round=plan.confirmation_round)
            .select_related("partner", "answered_by")
            .order_by("-round", "partner__name"),
            offer_blockers=services.offer_blockers(plan),
            evaluations=plan.evaluations.prefetch_related("progress__life_domain").select_related("created_by", "new_version"),
            documents=plan.documents.select_related("uploaded_by"),
            status_changes=plan.status_changes.select_related("actor"),
            next_evaluation=services.next_evaluation_due(plan),
            is_current=not case.plans.filter(version_number__gt=plan.version_number).exists(),
            editable=context["can_direct"] and plan.status == PlanStatus.DRAFT,
            missing_domains=case.case_type.life_domains.exclude(pk__in=plan.goals.values("life_domain_id")),
        )
    return render(request, "plans/plan.html", context)


@login_required
def current(request, number):
    case = _full_case(request, number)
    return _plan_page(request, case, services.current_plan(case))


@login_required
def version(request, number, version):
    plan = _plan(request, number, version)
    return _plan_page(request, plan.case, plan)


def _redirect(plan: Plan):
    return redirect("plans:version", number=plan.case.number, version=plan.version_number)


@login_required
def start(request, number):
    case = _full_case(request, number)
    policy.require(request.user, "case.direct", case.house)
    latest = services.current_plan(case)
    form = Form(request.POST if request.method == "POST" else None)
    if submitted(request, form, lambda data: services.start_plan(case, actor=request.user)):
        messages.success(request, f"Versie {form.result.version_number} van het plan van aanpak is aangemaakt als concept.")
        return _redirect(form.result)
    log_case(LogAction.READ, case, request.user)
    return render(request, "plans/start.html", {"case": case, "latest": latest, "form": form})


@login_required
def edit(request, number, version):
    plan = _plan(request, number, version)
    policy.require(request.user, "case.direct", plan.case.house)
    form = forms.PlanForm(request.POST or None, plan=plan)
    perform = lambda d: services.update_plan(
        plan, actor=request.user, instrument=d["instrument"], diagnosis=d["diagnosis"], expected_version=d["version"]
    )  # noqa: E731
    if submitted(request, form, perform):
        messages.success(request, "Diagnose en instrument zijn opgeslagen.")
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    return render(
        request, "plans/form.html", {"plan": plan, "case": plan.case, "form": form, "title": "Diagnose en instrument", "button": "Opslaan"}
    )


@login_required
def goal(request, number, version, domain):
    plan = _plan(request, number, version)
    policy.require(request.user, "case.direct", plan.case.house)
    life_domain = get_object_or_404(plan.case.case_type.life_domains, code=domain)
    existing = plan.goals.filter(life_domain=life_domain).first()
    initial = {"situation": existing.situation, "goal": existing.goal, "version": existing.version} if existing else {"version": 0}
    form = forms.GoalForm(request.POST or None, initial=initial)
    perform = lambda d: services.set_goal(
        plan, actor=request.user, life_domain=life_domain, situation=d["situation"], goal=d["goal"], expected_version=d["version"]
    )  # noqa: E731
    if submitted(request, form, perform):
        messages.success(request, f"Het doel voor {life_domain} is opgeslagen.")
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    return render(
        request,
        "plans/form.html",
        {"plan": plan, "case": plan.case, "form": form, "title": f"Leefgebied: {life_domain}", "button": "Opslaan"},
    )


@login_required
def action_add(request, number, version):
    plan = _plan(request, number, version)
    policy.require(request.user, "case.direct", plan.case.house)
    form = forms.ActionForm(request.POST or None, case=plan.case, initial={"life_domain": request.GET.get("leefgebied")})
    if submitted(request, form, lambda d: services.add_action(plan, actor=request.user, **d)):
        messages.success(request, "De actie is toegevoegd.")
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    return render(
        request, "plans/form.html", {"plan": plan, "case": plan.case, "form": form, "title": "Actie toevoegen", "button": "Toevoegen"}
    )


def _editable_action(request, pk) -> Action:
    actions = Action.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related(
        "plan__case__house", "plan__case__case_type"
    )
    action = get_object_or_404(actions, pk=pk)
    policy.require(request.user, "case.direct", action.plan.case.house)
    return action


@login_required
def action_edit(request, pk):
    action = _editable_action(request, pk)
    plan = action.plan
    form = forms.ActionForm(request.POST or None, case=plan.case, action=action)
    if submitted(request, form, lambda d: services.change_action(action, actor=request.user, expected_version=d.pop("version"), **d)):
        messages.success(request, "De actie is gewijzigd.")
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    return render(
        request, "plans/form.html", {"plan": plan, "case": plan.case, "form": form, "title": "Actie wijzigen", "button": "Opslaan"}
    )


@login_required
def action_remove(request, pk):
    action = _editable_action(request, pk)
    plan = action.plan
    form = Form(request.POST if request.method == "POST" else None)
    if submitted(request, form, lambda d: services.remove_action(action, actor=request.user)):
        messages.success(request, "De actie is verwijderd.")
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    return render(request, "plans/action_remove.html", {"plan": plan, "case": plan.case, "action": action, "form": form})


@dataclass(frozen=True)
class Step:
    title: str
    form: type
    perform: Callable
    done: str
    button: str
    intro: str = ""


def _accept(plan, user, d):
    return services.accept(
        plan,
        actor=user,
        decided_on=d["decided_on"],
        agreement=d["agreement"],
        note=d["note"],
        document=d["document"],
        expected_version=d["version"],
    )


def _evaluate(plan, user, d, form):
    return services.evaluate(
        plan,
        actor=user,
        evaluated_on=d["evaluated_on"],
        summary=d["summary"],
        progress=form.progress(),
        ave_level=d["ave_level"],
        ave_reason=d["ave_reason"],
        new_version=d["new_version"],
        expected_version=d["version"],
    )


STEPS = {
    "ter-bevestiging": Step(
        "Partners om bevestiging vragen",
        forms.ConfirmStepForm,
        lambda plan, user, d, form: services.request_confirmations(plan, actor=user, expected_version=d["version"]),
        "De partners met een actie zijn om bevestiging gevraagd.",
        "Bevestiging vragen",
        "Elke partner met een actie in dit plan bevestigt dat hij op tijd kan leveren. Zolang het plan ter bevestiging ligt, kunt u het niet wijzigen.",
    ),
    "terug-naar-concept": Step(
        "Terug naar concept",
        forms.BackToDraftForm,
        lambda plan, user, d, form: services.back_to_draft(plan, actor=user, reason=d["reason"], expected_version=d["version"]),
        "Het plan is weer een concept.",
        "Terug naar concept",
        "De gegeven bevestigingen vervallen; na het aanpassen vraagt u alle partners opnieuw.",
    ),
    "aanbieden": Step(
        "Plan aanbieden aan de cliënt",
        forms.OfferForm,
        lambda plan, user, d, form: services.offer(plan, actor=user, offered_on=d["offered_on"], expected_version=d["version"]),
        "Het plan is aangeboden.",
        "Aanbieden",
    ),
    "acceptatie": Step(
        "Acceptatie door de cliënt",
        forms.AcceptForm,
        lambda plan, user, d, form: _accept(plan, user, d),
        "De acceptatie is vastgelegd.",
        "Acceptatie vastleggen",
    ),
    "weigering": Step(
        "Weigering door de cliënt",
        forms.RefuseForm,
        lambda plan, user, d, form: services.refuse(
            plan, actor=user, decided_on=d["decided_on"], follow_up=d["follow_up"], note=d["note"], expected_version=d["version"]
        ),
        "De weigering en het vervolg zijn vastgelegd.",
        "Weigering vastleggen",
    ),
    "starten": Step(
        "Uitvoering starten",
        forms.StartForm,
        lambda plan, user, d, form: services.start(plan, actor=user, started_on=d["started_on"], expected_version=d["version"]),
        "Het plan is in uitvoering.",
        "Starten",
    ),
    "evaluatie": Step("Evaluatie", forms.EvaluationForm, _evaluate, "De evaluatie is vastgelegd.", "Evaluatie vastleggen"),
}


@login_required
def step(request, number, version, step):
    plan = _plan(request, number, version)
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    policy.require(request.user, "case.direct", plan.case.house)
    extra = {}
    if spec.form is forms.EvaluationForm:
        domain_ids = {goal.life_domain_id for goal in plan.goals.all()} | set(plan.actions.values_list("life_domain_id", flat=True))
        extra["domains"] = LifeDomain.objects.filter(pk__in=domain_ids)
    form = spec.form(request.POST or None, request.FILES or None, plan=plan, **extra)
    if submitted(request, form, lambda d: spec.perform(plan, request.user, d, form)):
        messages.success(request, spec.done)
        plan.refresh_from_db()
        if step == "starten" and plan.started_late:
            messages.warning(request, f"Het plan start later dan een week na het aanbieden (aangeboden op {plan.offered_on:%d-%m-%Y}).")
        if step == "evaluatie" and form.result.new_version:
            return _redirect(form.result.new_version)
        return _redirect(plan)
    log_case(LogAction.READ, plan.case, request.user)
    context = {"plan": plan, "case": plan.case, "form": form, "title": spec.title, "button": spec.button, "intro": spec.intro}
    if step == "aanbieden":
        context["blockers"] = services.offer_blockers(plan)
    return render(request, "plans/form.html", context)


@login_required
def document(request, pk):
    signed = get_object_or_404(
        SignedAgreement.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related("plan__case__case_type"),
        pk=pk,
    )
    log_case(LogAction.EXPORT, signed.plan.case, request.user)
    return signed.download()


# ---------------------------------------------------------------------------------------------------- partners


@login_required
def progress(request, pk):
    """An action and its progress: for the partner's users, the responsible person and the regisseurs."""
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "plan__case__house", "plan__case__case_type", "partner", "responsible", "life_domain"
        ),
        pk=pk,
    )
    case = action.plan.case
    form = forms.ProgressForm(request.POST or None, action=action)
    perform = lambda d: services.report_progress(
        action, actor=request.user, status=d["status"], result=d["result"], expected_version=d["version"]
    )  # noqa: E731
    if submitted(request, form, perform):
        messages.success(request, "De voortgang is vastgelegd.")
        return redirect("plans:progress", pk=action.pk)
    log_case(LogAction.READ, case, request.user)
    may_report = (
        action.plan.status in services.PROGRESS_STATUSES
        and case.is_open
        and (
            action.responsible_id == request.user.pk
            or services.acts_for(request.user, case, action.partner)
            or (
                policy.can(request.user, "case.direct", case.house)
                and Plan.objects.visible_to(request.user).filter(pk=action.plan_id).exists()
            )
        )
    )
    full = Plan.objects.visible_to(request.user).filter(pk=action.plan_id).exists()
    return render(
        request,
        "plans/progress.html",
        {
            "action": action,
            "case": case,
            "form": form,
            "may_report": may_report,
            "full": full,
            "updates": action.updates.select_related("actor"),
        },
    )


def _list_page(request, queryset, template: str):
    """A page of rows that each belong to a plan (confirmations, actions); the cases shown go to the processing log."""
    queryset = queryset.select_related("plan__case__case_type").prefetch_related("plan__case__persons")
    page = paginate(request, queryset)
    log_cases_shown(LogAction.READ, [row.plan.case for row in page.object_list], request.user)
    return render(request, template, {"page_obj": page})


@login_required
def confirmations(request):
    """Gevraagde bevestigingen: the open delivery confirmations of partners the user works for."""
    mine = (
        DeliveryConfirmation.objects.filter(policy.acting_for_partner(request.user, "plan__case", "partner"))
        .filter(status=ConfirmationStatus.REQUESTED, plan__status=PlanStatus.CONFIRMING, round=F("plan__confirmation_round"))
        .select_related("partner", "plan", "requested_by")
        .order_by("requested_at", "pk")
    )
    return _list_page(request, mine, "plans/confirmations.html")


@login_required
def confirmation(request, pk):
    asked = get_object_or_404(
        DeliveryConfirmation.objects.visible_to(request.user).select_related(
            "plan__case__house", "plan__case__case_type", "partner", "answered_by"
        ),
        pk=pk,
    )
    plan, case = asked.plan, asked.plan.case
    is_open = (
        asked.status == ConfirmationStatus.REQUESTED and plan.status == PlanStatus.CONFIRMING and asked.round == plan.confirmation_round
    )
    may_answer = is_open and services.acts_for(request.user, case, asked.partner)
    form = forms.ConfirmationForm(request.POST or None)
    if may_answer and submitted(
        request, form, lambda d: services.answer_confirmation(asked, actor=request.user, confirmed=d["answer"], reason=d["reason"])
    ):
        messages.success(
            request,
            "Uw antwoord is vastgelegd."
            if asked.status == ConfirmationStatus.CONFIRMED
            else "Uw antwoord is vastgelegd; het plan gaat terug naar de regisseur.",
        )
        return redirect("plans:confirmations")
    log_case(LogAction.READ, case, request.user)
    actions = plan.actions.filter(partner=asked.partner).select_related("life_domain", "responsible")
    return render(
        request,
        "plans/confirmation.html",
        {"asked": asked, "plan": plan, "case": case, "actions": actions, "form": form, "may_answer": may_answer, "is_open": is_open},
    )


@login_required
def my_actions(request):
    """Mijn acties: open and running actions of accepted or running plans that the user reports on."""
    mine = Q(responsible=request.user.pk) | policy.acting_for_partner(request.user, "plan__case", "partner")
    actions = (
        Action.objects.visible_to(request.user)
        .filter(mine)
        .active()
        .filter(plan__status__in=services.PROGRESS_STATUSES, plan__case__status=CaseStatus.OPEN)
        .select_related("partner", "life_domain", "plan")
        .order_by("due_on", "pk")
    )
    return _list_page(request, actions, "plans/my_actions.html")


# ---------------------------------------------------------------------------------------------------- dossier


def dossier_section(user, case: Case, parts) -> dict | None:
    """What the "Plan van aanpak" part of the dossier page shows: the current version for full readers, only the
    own organisation's actions for summary-level members. The dossier page writes the processing log."""
    if "plan" in parts:
        plan = services.current_plan(case)
        return {
            "full": True,
            "plan": plan,
            "goals": services.goals_with_actions(plan) if plan else [],
            "offer_blockers": services.offer_blockers(plan) if plan else [],
            "can_direct": policy.can(user, "case.direct", case.house) and case.is_open,
        }
    if "own_actions" in parts:
        plan = services.current_plan(case)
        actions = Action.objects.visible_to(user).filter(plan=plan).select_related("partner", "life_domain") if plan else []
        return {"full": False, "plan": plan, "actions": actions}
    return None
