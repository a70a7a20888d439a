import datetime

from django.urls import reverse
from django.utils import timezone

from spil.api.testing import open_case
from spil.core import clock
from spil.organisations.models import Role
from spil.testing.factories import member, register_report
from spil.triage import services as triage_services
from spil.web.views import MY_WORK_LIMIT

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
    assert f"– {house.name}</li>" in html


def test_mijn_werk_counts_every_open_case_and_melding_beyond_those_it_lists(client, house):
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    for _ in range(MY_WORK_LIMIT + 2):
        open_case(house, intake=user, director=user)
    register_report(user, house)
    client.force_login(user)
    html = client.get(reverse("web:my-work")).content.decode()
    total = MY_WORK_LIMIT + 2
    assert f"Mijn casussen ({total})" in html
    assert f"Alle {total} casussen bekijken" in html
    assert f"Mijn open meldingen ({total + 1})" in html  # the cases' meldingen (opened without a weegtafel) and one more
