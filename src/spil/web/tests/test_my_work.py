import datetime

from django.urls import reverse
from django.utils import timezone

from spil.core import clock
from spil.triage import services as triage_services

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 14, 0))


def test_mijn_werk_shows_the_weegtafels_from_today_on(client, weger, house):
    with clock.travel_to(NOW - datetime.timedelta(days=3)):
        sessions = {
            when: triage_services.plan_session(actor=weger, house=house, starts_at=NOW + delta)
            for when, delta in {
                "gisteren": -datetime.timedelta(days=1),
                "vanochtend": -datetime.timedelta(hours=6),
                "morgen": datetime.timedelta(days=1),
            }.items()
        }
    client.force_login(weger)
    with clock.travel_to(NOW):
        html = client.get(reverse("web:my-work")).content.decode()
    shown = {when for when, session in sessions.items() if reverse("triage:detail", args=[session.pk]) in html}
    assert shown == {"vanochtend", "morgen"}
