import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_mijn_werk_counts_the_houses_open_meldingen_only_for_whoever_has_none_of_their_own(client, house):
    colleague, newcomer = member(house, Role.INTAKE), member(house, Role.INTAKE)
    register_report(colleague, house)
    register_report(colleague, house)
    client.force_login(newcomer)
    with CaptureQueriesContext(connection) as newcomers:
        html = client.get(reverse("web:my-work")).content.decode()
    assert "U heeft geen open meldingen. Er staan 2 open meldingen in de" in html
    client.force_login(colleague)
    with CaptureQueriesContext(connection) as colleagues:
        html = client.get(reverse("web:my-work")).content.decode()
    assert "Mijn open meldingen (2)" in html and "Er staan" not in html
    counting = [query for query in newcomers.captured_queries if query["sql"].startswith('SELECT COUNT(*) AS "__count"')]
    assert len(counting) == 1
    assert not [query for query in colleagues.captured_queries if query["sql"] == counting[0]["sql"]]
