"""The meetings list (filters, pagination, a fixed number of queries), planning and set-up screens."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from spil.core import clock
from spil.meetings import config, services
from spil.meetings.models import MeetingSetup, MeetingType

pytestmark = pytest.mark.django_db


def plan(back_office, house, chair, meeting_type, count, days_ago=0):
    return [
        services.plan_meeting(
            actor=back_office,
            house=house,
            meeting_type=meeting_type,
            chair=chair,
            starts_at=clock.now() - datetime.timedelta(days=days_ago + i),
        )
        for i in range(count)
    ]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_list_costs_the_same_queries_however_many_meetings(client, back_office, house, chair, pga_overleg):
    client.force_login(back_office)
    plan(back_office, house, chair, pga_overleg, 2)
    few = queries_for(client, reverse("meetings:list"))
    plan(back_office, house, chair, pga_overleg, 8)
    assert queries_for(client, reverse("meetings:list")) == few


def test_the_list_filters_on_type_status_and_period(client, back_office, house, chair, pga_overleg):
    riec = MeetingType.objects.get(code="riec")
    [old] = plan(back_office, house, chair, pga_overleg, 1, days_ago=40)
    [recent] = plan(back_office, house, chair, riec, 1, days_ago=1)
    services.cancel_meeting(recent, actor=back_office, reason="Geen agendapunten")
    client.force_login(back_office)
    url = reverse("meetings:list")
    by_type = client.get(url, {"meeting_type": riec.pk}).content.decode()
    assert recent.number in by_type and old.number not in by_type
    by_status = client.get(url, {"status": "geannuleerd"}).content.decode()
    assert recent.number in by_status and old.number not in by_status
    since = (clock.today() - datetime.timedelta(days=10)).isoformat()
    by_period = client.get(url, {"start": since}).content.decode()
    assert recent.number in by_period and old.number not in by_period


def test_the_list_is_paginated(client, back_office, house, chair, pga_overleg, settings):
    settings.PAGE_SIZE = 3
    plan(back_office, house, chair, pga_overleg, 4)
    client.force_login(back_office)
    assert "Pagina 1 van 2" in client.get(reverse("meetings:list")).content.decode()


def test_planning_a_meeting_and_putting_a_case_on_the_agenda_over_http(client, back_office, house, chair, pga_overleg, case_a, nurse):
    client.force_login(back_office)
    response = client.post(
        reverse("meetings:create"), {"house": house.pk, "meeting_type": pga_overleg.pk, "starts_at": "2030-01-08T10:00", "chair": chair.pk}
    )
    assert response.status_code == 302
    meeting = house.meetings.get()
    response = client.post(reverse("meetings:item-add", args=[meeting.pk]), {"case": case_a.pk, "question": "Voortgang"})
    item = meeting.items.get()
    assert response.url == reverse("meetings:item-edit", args=[meeting.pk, item.pk])
    form = client.get(response.url).content.decode()
    assert escape(nurse.get_full_name()) in form  # the case team is offered as attendees
    client.post(response.url, {"version": item.version, "question": "Voortgang", "attendees": [nurse.pk]})
    assert list(item.attendees.all()) == [nurse]
    assert meeting.participants.filter(user=nurse).exists()


def test_a_stale_edit_of_an_item_is_refused(client, meeting, agenda, back_office, nurse):
    item_a, _ = agenda
    client.force_login(back_office)
    url = reverse("meetings:item-edit", args=[meeting.pk, item_a.pk])
    client.post(url, {"version": item_a.version, "question": "Eerste", "attendees": [nurse.pk]})
    response = client.post(url, {"version": item_a.version, "question": "Tweede", "attendees": [nurse.pk]})
    assert "gewijzigd door een ander" in response.content.decode()


def test_removing_an_item_asks_for_confirmation(client, meeting, agenda, back_office, case_a):
    item_a, _ = agenda
    client.force_login(back_office)
    url = reverse("meetings:item-remove", args=[meeting.pk, item_a.pk])
    assert "Van de agenda halen" in client.get(url).content.decode()
    assert meeting.items.filter(pk=item_a.pk).exists()
    client.post(url)
    assert not meeting.items.filter(pk=item_a.pk).exists()


def test_the_bedrijfsbureau_sets_up_a_meeting_type_for_its_house(client, back_office, house, chair, nurse, pga_overleg):
    client.force_login(back_office)
    assert "PGA-overleg" in client.get(reverse("meetings:setups")).content.decode()
    url = reverse("meetings:setup", args=[house.code, pga_overleg.code])
    response = client.post(url, {"chair": chair.pk, "members": [nurse.pk], "rhythm_days": 21, "location": "Heerlen", "active": "on"})
    assert response.status_code == 302
    setup = MeetingSetup.objects.get(house=house, meeting_type=pga_overleg)
    assert setup.chair == chair and list(setup.members.all()) == [nurse] and setup.rhythm == 21


def test_meeting_types_are_validated_data():
    data = config.read()
    assert {
        "weegtafel",
        "pga-overleg",
        "top-x-overleg",
        "mda-analyseteam",
        "jeugdbeschermingstafel",
        "routeertafel-vt",
        "regieteam",
        "riec",
        "arbeidsmigranten",
    } <= {entry["code"] for entry in data["meeting_type"]}
    assert MeetingType.objects.filter(billable=True).values_list("code", flat=True).get() == "jeugdbeschermingstafel"
    with pytest.raises(config.MeetingTypeConfigError, match=r"meeting_type\[0\] 'x'.*default_rhythm_days"):
        config.validate({"meeting_type": [{"code": "x", "name": "X", "default_rhythm_days": 0}]})
    with pytest.raises(config.MeetingTypeConfigError, match="onbekende sleutel"):
        config.validate({"meeting_type": [{"code": "x", "name": "X", "default_rhythm_days": 7, "chair": "iemand"}]})
    with pytest.raises(config.MeetingTypeConfigError, match="dubbel"):
        config.validate(
            {"meeting_type": [{"code": "x", "name": "X", "default_rhythm_days": 7}, {"code": "x", "name": "Y", "default_rhythm_days": 7}]}
        )
