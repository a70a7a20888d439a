"""Holding a meeting, finalising its minutes (the chair, within 3 working days) and the overdue signal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition, NotAllowed
from spil.meetings import services, workdays
from spil.meetings.detectors import detect_overdue_minutes
from spil.meetings.models import MeetingStatus, MeetingType
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def held_on(meeting, actor, moment):
    with clock.travel_to(moment):
        services.record_held(meeting, actor=actor, held_at=moment)
    meeting.refresh_from_db()
    return meeting


def test_working_days_skip_weekends_and_public_holidays():
    friday = datetime.date(2026, 11, 27)
    assert workdays.add_working_days(friday, 3) == datetime.date(2026, 12, 2)  # Mon, Tue, Wed
    assert workdays.easter(2026) == datetime.date(2026, 4, 5)
    assert not workdays.is_working_day(datetime.date(2026, 4, 6))  # tweede Paasdag
    assert not workdays.is_working_day(datetime.date(2026, 4, 27))  # Koningsdag
    assert not workdays.is_working_day(datetime.date(2026, 5, 14))  # Hemelvaartsdag
    assert workdays.add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 28)  # over Christmas
    assert workdays.holidays(2025) >= {datetime.date(2025, 4, 26)}  # Koningsdag moves off a Sunday


def test_minutes_are_due_at_the_end_of_the_third_working_day(meeting, back_office):
    held_on(meeting, back_office, local(2026, 11, 27, 14, 0))  # a Friday
    assert services.minutes_due(meeting) == local(2026, 12, 3, 0, 0)  # after Wednesday


def test_overdue_minutes_are_detected_counting_working_days(meeting, back_office, chair, house, other_house):
    held_on(meeting, back_office, local(2026, 11, 27, 14, 0))  # Friday
    member(other_house, Role.BACK_OFFICE)
    # Tuesday: three calendar days have passed, but only two working days.
    assert list(detect_overdue_minutes(local(2026, 12, 1, 9, 0))) == []
    assert list(detect_overdue_minutes(local(2026, 12, 2, 23, 59))) == []
    [signal] = detect_overdue_minutes(local(2026, 12, 3, 9, 0))
    assert signal.kind == "meetings.minutes-overdue" and signal.key == f"meetings.minutes-overdue:{meeting.pk}"
    assert signal.house_id == house.pk and signal.due == local(2026, 12, 3, 0, 0)
    assert signal.recipients == {chair.pk, back_office.pk}
    assert meeting.number in signal.title and signal.url == reverse("meetings:detail", args=[meeting.pk])


def test_finalised_minutes_are_no_longer_signalled(held, chair):
    moment = held.held_at + datetime.timedelta(days=30)
    assert [s.key for s in detect_overdue_minutes(moment)] == [f"meetings.minutes-overdue:{held.pk}"]
    with clock.travel_to(moment):
        services.finalise_minutes(held, actor=chair)
    assert list(detect_overdue_minutes(moment)) == []


def test_only_the_chair_finalises_and_each_case_timeline_records_the_decisions(held, agenda, chair, back_office, case_a):
    with pytest.raises(NotAllowed):
        services.finalise_minutes(held, actor=back_office)
    services.finalise_minutes(held, actor=chair)
    held.refresh_from_db()
    assert held.status == MeetingStatus.FINALISED and held.minutes_finalised_by == chair
    assert Event.objects.filter(case=case_a, text__contains="Besluiten: Urgentie aanvragen").exists()
    item_a, _ = agenda
    item_a.refresh_from_db()
    with pytest.raises(IllegalTransition):
        services.write_minutes(item_a, actor=back_office, summary="later", decisions="", expected_version=item_a.version)


def test_minutes_cannot_be_finalised_with_an_item_not_minuted(meeting, agenda, back_office, chair):
    held_on(meeting, back_office, clock.now())
    with pytest.raises(DomainError, match="Notuleer eerst"):
        services.finalise_minutes(meeting, actor=chair)


def test_finalising_asks_for_confirmation_and_tells_others_who_can(client, held, chair, back_office):
    client.force_login(back_office)
    page = client.get(reverse("meetings:finalise", args=[held.pk])).content.decode()
    assert "Alleen de voorzitter" in page and "<form" not in page.split("<main", 1)[-1]
    client.force_login(chair)
    assert "Notulen vaststellen" in client.get(reverse("meetings:finalise", args=[held.pk])).content.decode()
    response = client.post(reverse("meetings:finalise", args=[held.pk]))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MeetingStatus.FINALISED


def test_a_meeting_not_yet_started_cannot_be_recorded_as_held(meeting, back_office):
    with pytest.raises(IllegalTransition):
        services.record_held(meeting, actor=back_office)


def test_attendance_and_apologies_are_recorded(client, meeting, agenda, back_office, nurse, probation_officer):
    with clock.travel_to(meeting.starts_at + datetime.timedelta(hours=1)):
        services.record_held(meeting, actor=back_office, attendance={nurse.pk: "aanwezig", probation_officer.pk: "afgemeld"})
    rows = dict(meeting.participants.values_list("user_id", "attendance"))
    assert rows[nurse.pk] == "aanwezig" and rows[probation_officer.pk] == "afgemeld"
    client.force_login(nurse)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Afgemeld" in page and "Aanwezig" in page


def test_a_jeugdbeschermingstafel_is_held_for_a_municipality_and_billable(back_office, house, chair):
    table = MeetingType.objects.get(code="jeugdbeschermingstafel")
    assert table.billable
    with pytest.raises(DomainError, match="gemeente"):
        services.plan_meeting(actor=back_office, house=house, meeting_type=table, chair=chair, starts_at=clock.now())
    heerlen = house.municipalities.get()
    meeting = services.plan_meeting(
        actor=back_office,
        house=house,
        meeting_type=table,
        chair=chair,
        municipality=heerlen,
        starts_at=clock.now() - datetime.timedelta(hours=2),
    )
    services.record_held(meeting, actor=back_office)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at == meeting.starts_at and meeting.municipality == heerlen


def test_planning_takes_chair_members_and_location_from_the_house_setup(back_office, house, chair, nurse, pga_overleg):
    services.set_up(actor=back_office, house=house, meeting_type=pga_overleg, chair=chair, members=[nurse], location="ZVH Heerlen")
    meeting = services.plan_meeting(actor=back_office, house=house, meeting_type=pga_overleg, starts_at=clock.now())
    assert meeting.chair == chair and meeting.location == "ZVH Heerlen"
    assert set(meeting.participants.values_list("user_id", flat=True)) == {chair.pk, nurse.pk}
    assert meeting.number.startswith(f"O-{clock.now().year}-")


def test_planning_is_for_the_bedrijfsbureau_and_procesregisseurs(house, pga_overleg, chair, nurse):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.plan_meeting(actor=nurse, house=house, meeting_type=pga_overleg, chair=chair, starts_at=clock.now())
    assert services.plan_meeting(actor=chair, house=house, meeting_type=pga_overleg, starts_at=clock.now(), chair=chair)


def test_cancelling_needs_a_reason_and_tells_the_case_timelines(meeting, agenda, back_office, case_a):
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting, actor=back_office, reason=" ")
    services.cancel_meeting(meeting, actor=back_office, reason="Voorzitter ziek")
    assert Event.objects.filter(case=case_a, text__contains="geannuleerd").exists()


def test_a_chair_among_the_regular_members_is_invited_once(back_office, house, chair, nurse, pga_overleg):
    meeting = services.plan_meeting(
        actor=back_office, house=house, meeting_type=pga_overleg, chair=chair, participants=[chair, nurse, nurse], starts_at=clock.now()
    )
    assert sorted(meeting.participants.values_list("user_id", flat=True)) == sorted([chair.pk, nurse.pk])
