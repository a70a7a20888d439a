"""Signals of the casusoverleg (see `spil.deadlines.registry`)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from spil.deadlines.registry import Detected, Kind, link_to
from spil.meetings import services
from spil.meetings.models import Meeting, MeetingStatus
from spil.organisations.models import Membership, Role

MINUTES_OVERDUE = Kind("meetings.minutes-overdue", "Notulen niet op tijd vastgesteld")


def detect_overdue_minutes(now: datetime.datetime):
    """Held meetings whose minutes the chair has not finalised by the end of the third working day after.

    Three working days span at least three calendar days, so the SQL filter keeps only candidates."""
    candidates = list(
        Meeting.objects.filter(status=MeetingStatus.HELD, held_at__lte=now - datetime.timedelta(days=services.MINUTES_WORKING_DAYS))
        .select_related("meeting_type")
        .order_by("held_at", "pk")
    )
    back_office = defaultdict(set)
    for house_id, user_id in Membership.objects.filter(
        house__in={meeting.house_id for meeting in candidates}, role=Role.BACK_OFFICE
    ).values_list("house_id", "user_id"):
        back_office[house_id].add(user_id)
    meeting_url = link_to("meetings:detail")
    for meeting in candidates:
        due = services.minutes_due(meeting)
        if due > now:
            continue
        yield Detected(
            key=f"{MINUTES_OVERDUE.code}:{meeting.pk}",
            kind=MINUTES_OVERDUE.code,
            house_id=meeting.house_id,
            due=due,
            title=f"Notulen {meeting.meeting_type} van {timezone.localtime(meeting.held_at):%d-%m-%Y} ({meeting.number}) nog niet vastgesteld",
            url=meeting_url(meeting.pk),
            recipients=frozenset({meeting.chair_id, *back_office[meeting.house_id]}),
        )
