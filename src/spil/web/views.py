from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.access.processing import log_lists_shown
from spil.cases.models import Case, CaseStatus
from spil.core import clock
from spil.deadlines import mine
from spil.deadlines.rows import signal_rows_with_cases
from spil.intake.models import Report, ReportStatus
from spil.intake.rows import report_rows
from spil.logbook.models import Action
from spil.triage.models import SessionStatus, TriageSession
from spil.web.listing import first_ids, first_rows

MY_WORK_LIMIT = 20


@login_required
def my_work(request):
    """The start page: what is waiting for me, most urgent first."""
    user = request.user
    now = clock.now()
    today = clock.today()
    my_cases = (
        Case.objects.visible_to(user)
        .filter(Q(process_director=user) | Q(case_director=user), status=CaseStatus.OPEN)
        .order_by("phase_due_on")
    )
    intake_houses = policy.house_ids_for(user, "report.enrich")
    # Without a house to do intake in there are no meldingen to list, and their visibility rule need not be read (for a
    # regisseur it looks up the melding of each of their hundreds of team cases).
    reports = Report.objects.visible_to(user) if intake_houses else Report.objects.none()
    open_reports = reports.filter(house_id__in=intake_houses).exclude(status=ReportStatus.TRIAGED).order_by("received_on")
    my_reports = open_reports.filter(created_by=user)
    sessions = (
        TriageSession.objects.visible_to(user)
        .filter(status=SessionStatus.PLANNED, starts_at__gte=clock.start_of_today())
        .order_by("starts_at")
        .values("pk", "starts_at", "house__name")
    )
    # Signals for me and of the cases I direct, of cases I may (still) see.
    signal_values, signal_counts = mine.most_urgent(user, now, MY_WORK_LIMIT)
    my_case_ids, my_cases_count = first_ids(my_cases, MY_WORK_LIMIT)
    shown_signals, shown_cases = signal_rows_with_cases(signal_values, now, my_case_ids)
    shown_reports, my_reports_count = first_rows(my_reports, MY_WORK_LIMIT, read=report_rows)
    signal_cases = [signal.case for signal in shown_signals if signal.case is not None]
    log_lists_shown(Action.READ, user, cases=shown_cases + signal_cases, reports=shown_reports)
    return render(
        request,
        "web/my_work.html",
        {
            "today": today,
            "notifications": user.notifications.filter(read_at__isnull=True)[:MY_WORK_LIMIT],
            "signals": shown_signals,
            "signal_counts": signal_counts,
            "can_see_house_signals": policy.may_somewhere(user, "signals.house"),
            "my_cases": shown_cases,
            "my_cases_count": my_cases_count,
            "my_reports": shown_reports,
            "my_reports_count": my_reports_count,
            # Counted only when the page says it (the user has no open meldingen of their own): for a house's
            # bedrijfsbureau nationally, counting took 20 ms.
            "open_reports": open_reports,
            "sessions": sessions[:5],
            "can_emergency": policy.may_somewhere(user, "case.emergency"),
            "can_review": policy.may_somewhere(user, "privacy.review"),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification.read_at = clock.now()
    notification.save(update_fields=["read_at"])
    return redirect(notification.url or "web:my-work")


@login_required
def bench_baseline(request):
    """Performance harness only (SPIL_BENCH_MODE): the whole middleware stack and one trivial query, the yardstick
    every measured page is divided by."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
