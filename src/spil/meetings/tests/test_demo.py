"""The demo casusoverleggen (generated with the 'test' size) show every state a reviewer should see."""

import pytest

from spil.cases.models import TeamMember
from spil.core import clock
from spil.demo import generator
from spil.meetings import services
from spil.meetings.detectors import detect_overdue_minutes
from spil.meetings.models import ActionReview, AgendaItem, Meeting, MeetingSetup, MeetingStatus

pytestmark = pytest.mark.django_db


def test_demo_meetings(db):
    generator.generate("test", log=lambda message: None)
    parkstad = Meeting.objects.filter(house__code="parkstad")
    assert parkstad.filter(status=MeetingStatus.FINALISED, meeting_type__code="pga-overleg").exists()
    assert parkstad.filter(status=MeetingStatus.PLANNED).exists()
    assert MeetingSetup.objects.filter(house__code="parkstad", chair__isnull=False).count() >= 4
    youth = Meeting.objects.filter(meeting_type__billable=True, held_at__isnull=False)
    assert youth.count() >= 3 and not youth.filter(municipality__isnull=True).exists()
    overdue = [signal for signal in detect_overdue_minutes(clock.now()) if signal.house_id == parkstad.first().house_id]
    assert overdue, "one Parkstad meeting keeps overdue minutes"
    assert AgendaItem.objects.filter(meeting__status=MeetingStatus.PLANNED).exists()
    for item in AgendaItem.objects.prefetch_related("attendees"):
        team = set(TeamMember.objects.filter(case=item.case_id).values_list("user_id", flat=True))
        assert {user.pk for user in item.attendees.all()} <= team
    for meeting in Meeting.objects.filter(status=MeetingStatus.FINALISED):
        assert meeting.minutes_finalised_at <= services.minutes_due(meeting)
    assert ActionReview.objects.exists(), "meetings review the actions of the plans demo"
    numbers = list(Meeting.objects.order_by("created_at", "pk").values_list("number", flat=True))
    assert numbers == sorted(numbers), "meeting numbers follow the calendar"
