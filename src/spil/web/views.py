import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from spil.access import policy
from spil.cases.models import Case, CaseStatus
from spil.core import clock
from spil.intake.models import Report, ReportStatus
from spil.triage.models import SessionStatus, TriageSession

MY_WORK_LIMIT = 20


@login_required
def my_work(request):
    """The start page: what is waiting for me, most urgent first."""
    user = request.user
    today = clock.today()
    end_of_week = today + datetime.timedelta(days=6 - today.weekday())
    my_cases = (
        Case.objects.visible_to(user)
        .filter(Q(process_director=user) | Q(case_director=user), status=CaseStatus.OPEN)
        .select_related("case_type", "phase", "house")
        .prefetch_related("persons")
        .order_by("phase_due_on")
    )
    intake_houses = policy.houses_for(user, "report.enrich")
    open_reports = (
        Report.objects.visible_to(user)
        .filter(house__in=intake_houses)
        .exclude(status=ReportStatus.TRIAGED)
        .select_related("requested_case_type", "source_partner")
        .prefetch_related("persons")
        .order_by("received_on")
    )
    my_reports = open_reports.filter(created_by=user)
    sessions = (
        TriageSession.objects.visible_to(user)
        .filter(status=SessionStatus.PLANNED, starts_at__date__gte=today)
        .select_related("house")
        .order_by("starts_at")
    )
    return render(
        request,
        "web/my_work.html",
        {
            "today": today,
            "due_this_week": my_cases.filter(phase_due_on__lte=end_of_week),
            "my_cases": my_cases[:MY_WORK_LIMIT],
            "my_cases_count": my_cases.count(),
            "my_reports": my_reports[:MY_WORK_LIMIT],
            "my_reports_count": my_reports.count(),
            "open_reports_count": open_reports.count(),
            "sessions": sessions[:5],
        },
    )
