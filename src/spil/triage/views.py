from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.cases.models import Case
from spil.access.processing import log_report, log_reports_shown
from spil.intake.models import Report, ReportStatus
from spil.logbook.models import Action
from spil.triage import services
from spil.triage.forms import DecisionForm, SessionForm
from spil.triage.models import SessionStatus, TriageItem, TriageSession
from spil.web.forms import attempt, submitted
from spil.web.listing import paginate


def visible_session(request, pk) -> TriageSession:
    return get_object_or_404(TriageSession.objects.visible_to(request.user).select_related("house"), pk=pk)


@login_required
def session_list(request):
    sessions = (
        TriageSession.objects.visible_to(request.user)
        .select_related("house")
        .annotate(items_count=Count("items"), open_count=Count("items", filter=Q(items__decided_at__isnull=True)))
        .order_by("status", "-starts_at")
    )
    status = request.GET.get("status")
    if status in SessionStatus.values:
        sessions = sessions.filter(status=status)
    return render(
        request,
        "triage/session_list.html",
        {
            "page_obj": paginate(request, sessions),
            "status": status,
            "statuses": SessionStatus.choices,
            "can_plan": policy.may_somewhere(request.user, "triage.plan"),
        },
    )


@login_required
def session_create(request):
    houses = policy.houses_for(request.user, "triage.plan")
    if not houses:
        raise PermissionDenied("U heeft geen rechten om weegtafels te plannen.")
    form = SessionForm(request.POST or None, houses=houses)
    if submitted(request, form, lambda data: services.plan_session(actor=request.user, **data)):
        session = form.result
        messages.success(request, f"Weegtafel gepland met {session.items.count()} meldingen op de agenda.")
        return redirect("triage:detail", pk=session.pk)
    return render(request, "triage/session_form.html", {"form": form})


@login_required
def session_detail(request, pk):
    session = visible_session(request, pk)
    items = (
        session.items.filter(report__in=Report.objects.visible_to(request.user))
        .select_related("report__requested_case_type", "report__source_partner", "case_type")
        .prefetch_related("report__persons", Prefetch("report__cases", queryset=Case.objects.visible_to(request.user)))
    )
    log_reports_shown(Action.READ, [item.report for item in items], request.user)
    return render(
        request,
        "triage/session_detail.html",
        {
            "session": session,
            "items": items,
            "hidden_items": session.items.count() - len(items),
            "participants": session.participants.order_by("last_name"),
            "waiting_after_cutoff": Report.objects.visible_to(request.user)
            .filter(house=session.house, status=ReportStatus.READY, ready_at__gt=session.cutoff_at)
            .count(),
            "can_plan": policy.can(request.user, "triage.plan", session.house),
            "can_decide": policy.can(request.user, "triage.decide", session.house),
        },
    )


@login_required
@require_POST
def agenda_refresh(request, pk):
    session = visible_session(request, pk)
    attempt(
        request,
        lambda: services.refresh_agenda(session, actor=request.user),
        lambda added: f"{len(added)} melding{'en' if len(added) != 1 else ''} aan de agenda toegevoegd.",
    )
    return redirect("triage:detail", pk=pk)


@login_required
@require_POST
def session_close(request, pk):
    session = visible_session(request, pk)
    attempt(request, lambda: services.close_session(session, actor=request.user), "De weegtafel is afgerond.")
    return redirect("triage:detail", pk=pk)


@login_required
def decide(request, pk, item_pk):
    session = visible_session(request, pk)
    item = get_object_or_404(
        TriageItem.objects.filter(report__in=Report.objects.visible_to(request.user)).select_related("report__house"),
        session=session,
        pk=item_pk,
    )
    policy.require(request.user, "triage.decide", session.house)
    log_report(Action.READ, item.report, request.user)
    form = DecisionForm(request.POST or None, item=item)

    def decide(data):
        services.decide(item, actor=request.user, **{**data, "criteria": set(data["criteria"])})

    if submitted(request, form, decide):
        messages.success(request, f"Besluit over melding {item.report.number} vastgelegd.")
        return redirect("triage:detail", pk=pk)
    return render(
        request,
        "triage/decide.html",
        {
            "session": session,
            "item": item,
            "report": item.report,
            "form": form,
            "enrichments": item.report.enrichments.select_related("partner"),
        },
    )
