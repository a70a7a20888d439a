"""Stored kerncijfers: the page reads a snapshot, says when it was computed, recomputes what is stale or missing,
the periodic task keeps every standard scope warm, and a snapshot never widens who sees which house."""

import csv
import datetime
import io

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.core import clock
from spil.monitor import figures, snapshots, tasks, views
from spil.monitor.figures import Period
from spil.monitor.figures import default_period
from spil.monitor.models import Snapshot
from spil.monitor.tests.conftest import PERIOD, at
from spil.organisations.models import IntakeRegion, Role
from spil.testing.factories import HouseFactory, PartnerFactory, member, person_data, register_report

pytestmark = pytest.mark.django_db

QUERY = f"?van={PERIOD[0]}&tot={PERIOD[1]}"
NOW = at(datetime.date(2025, 7, 1), 9)
MINUTE = datetime.timedelta(minutes=1)


def headline(page) -> dict:
    return dict(page.context["data"].headline)


def add_melding(house, day=datetime.date(2025, 2, 1), partner=None, count=1):
    actor = member(house, Role.INTAKE)
    with clock.travel_to(at(day)):
        for _ in range(count):
            register_report(actor, house, persons=[person_data()], received_on=day, **({"source_partner": partner} if partner else {}))


@pytest.fixture
def nine(house):
    """Nine meldingen in the period, nothing else: enough for the tests that do not look at the figures themselves."""
    add_melding(house, count=9)


def test_the_page_says_when_its_figures_were_computed_and_reads_them_back_until_they_are_stale(client, house, dataset, manager):
    client.force_login(manager)
    url = reverse("monitor:dashboard") + QUERY
    with clock.travel_to(NOW):
        first = client.get(url)
    assert "Cijfers berekend op 1 juli 2025 om 09:00" in first.content.decode()
    assert headline(first)["Meldingen"] == 9
    assert Snapshot.objects.get().houses == str(house.pk)

    add_melding(house)  # a late registration in the period
    with clock.travel_to(NOW + snapshots.MAX_AGE - MINUTE):
        cached = client.get(url)
    assert headline(cached)["Meldingen"] == 9 and "om 09:00" in cached.content.decode()

    with clock.travel_to(NOW + snapshots.MAX_AGE + MINUTE):
        stale = client.get(url)
    assert headline(stale)["Meldingen"] == 10 and "om 10:01" in stale.content.decode()
    assert Snapshot.objects.count() == 1


def test_reading_a_snapshot_takes_a_few_queries_whatever_the_data(client, house, nine, manager):
    client.force_login(manager)
    url = reverse("monitor:dashboard") + QUERY

    def queries():
        with CaptureQueriesContext(connection) as context, clock.travel_to(NOW):
            assert client.get(url).status_code == 200
        return len(context)

    computing = queries()
    reading = queries()
    for _ in range(5):
        add_melding(house)
    assert queries() == reading
    assert reading <= computing - 25, (reading, computing)


def test_every_web_server_process_reads_the_tables_one_of_them_rendered(client, house, nine, manager, monkeypatch):
    """The rendered tables are cached in PostgreSQL: another process (here: the process's own copy cleared) reads them
    instead of rendering a house's tables again."""
    rendered = []
    render_tables = views._with_charts
    monkeypatch.setattr(views, "_with_charts", lambda data: rendered.append(data) or render_tables(data))
    client.force_login(manager)
    url = reverse("monitor:dashboard") + QUERY
    with clock.travel_to(NOW):
        first = client.get(url)
        caches["monitor"].local.clear()
        second = client.get(url)
    assert len(rendered) == 1
    assert headline(second) == headline(first) and headline(first)["Meldingen"] == 9
    assert second.content.decode().count("<table") == first.content.decode().count("<table") > 0


def test_a_process_reads_a_cached_entry_from_the_table_once_then_from_its_copy(django_assert_num_queries):
    cache = caches["monitor"]
    cache.set("tabellen", "<table>…</table>")
    cache.local.clear()  # another process
    with django_assert_num_queries(1):
        assert cache.get("tabellen") == "<table>…</table>"
    with django_assert_num_queries(0):
        assert cache.get("tabellen") == "<table>…</table>"
    assert cache.get("onbekend", "niets") == "niets"


def test_a_changed_threshold_or_schema_makes_the_snapshot_stale(client, house, nine, manager, settings):
    client.force_login(manager)
    url = reverse("monitor:dashboard") + QUERY
    with clock.travel_to(NOW):
        assert headline(client.get(url))["Meldingen"] == 9
        settings.SPIL_MONITOR_MIN_COUNT = 10
        assert headline(client.get(url))["Meldingen"] == "< 10"
        Snapshot.objects.update(schema=snapshots.SCHEMA - 1)
        add_melding(house)
        assert headline(client.get(url))["Meldingen"] == 10


def test_recompute_on_request_and_not_twice_within_a_minute(client, house, nine, manager):
    client.force_login(manager)
    with clock.travel_to(NOW):
        client.get(reverse("monitor:dashboard") + QUERY)
    add_melding(house)
    with clock.travel_to(NOW + 5 * MINUTE):
        response = client.post(reverse("monitor:recompute") + QUERY)
        assert response.status_code == 302 and response.url == reverse("monitor:dashboard") + QUERY
        assert headline(client.get(response.url))["Meldingen"] == 10
    add_melding(house)
    with clock.travel_to(NOW + 5 * MINUTE + 30 * datetime.timedelta(seconds=1)):
        client.post(reverse("monitor:recompute") + QUERY)
        assert headline(client.get(reverse("monitor:dashboard") + QUERY))["Meldingen"] == 10
    assert client.get(reverse("monitor:recompute") + QUERY).status_code == 405


def test_the_periodic_task_computes_every_standard_scope_and_forgets_old_snapshots(house, other_house):
    region = IntakeRegion.objects.create(code="zuid", name="Zuid")
    north, south = HouseFactory(code="a", intake_region=region), HouseFactory(code="b", intake_region=region)
    member(house, Role.MANAGER)
    two_houses = member(house, Role.MANAGER)
    two_houses.memberships.create(house=other_house, role=Role.STEERING_GROUP)
    member(other_house, Role.NATIONAL_MONITOR)
    member(north, Role.INTAKE)  # no monitor role: no scope of its own
    old = Snapshot.objects.create(
        houses=str(house.pk),
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 6, 30),
        figures={},
        threshold=5,
        schema=snapshots.SCHEMA,
        seconds=0,
        computed_at=clock.now() - snapshots.KEPT - MINUTE,
    )

    tasks.refresh_snapshots()

    key = snapshots.scope_key
    expected = {
        key([house.pk]),
        key([other_house.pk]),
        key([north.pk]),
        key([south.pk]),
        key([north.pk, south.pk]),
        key([house.pk, other_house.pk]),
        key([house.pk, other_house.pk, north.pk, south.pk]),
    }
    start, end = default_period(clock.today())
    assert set(Snapshot.objects.values_list("houses", flat=True)) == expected
    assert set(Snapshot.objects.values_list("start", "end")) == {(start, end)}
    assert not Snapshot.objects.filter(pk=old.pk).exists()
    assert ("monitor.refresh_snapshots", "") in {
        (task.task.name, task.periodic_id) for task in tasks.app.periodic_registry.periodic_tasks.values()
    }


def test_a_snapshot_of_another_house_or_of_the_country_is_never_shown_to_a_house_manager(client, house, other_house, manager):
    """The national and other-house snapshots exist and are fresh; the Parkstad manager still gets only Parkstad."""
    add_melding(other_house, partner=PartnerFactory(name="Politie Noord-Limburg"))
    period = Period(*PERIOD)
    with clock.travel_to(NOW):
        for scope in ([other_house.pk], [house.pk, other_house.pk]):
            snapshots.recompute(scope, period)
        assert "Politie Noord-Limburg" in str(Snapshot.objects.get(houses=str(other_house.pk)).figures)
        client.force_login(manager)
        for huis in [f"&huis={other_house.pk}", f"&huis={house.pk}&huis={other_house.pk}", ""]:
            page = client.get(reverse("monitor:dashboard") + QUERY + huis).content.decode()
            assert "Politie Noord-Limburg" not in page and "ZVH Noord-Limburg" not in page, huis
            export = client.get(reverse("monitor:export", args=["meldingen-bron", "csv"]) + QUERY + huis)
            assert "Noord-Limburg" not in export.content.decode("utf-8-sig"), huis
            assert client.post(reverse("monitor:recompute") + QUERY + huis).status_code == 302
    assert set(Snapshot.objects.values_list("houses", flat=True)) == {
        str(other_house.pk),
        snapshots.scope_key([house.pk, other_house.pk]),
        str(house.pk),
    }


def test_the_page_and_its_export_show_exactly_the_computed_figures(client, house, dataset, manager):
    """The snapshot is the computation stored as is (test_figures checks the computation against the dataset)."""
    client.force_login(manager)
    with clock.travel_to(NOW):
        page = client.get(reverse("monitor:dashboard") + QUERY)
        read_back = snapshots.dashboard([house.pk], Period(*PERIOD))
        computed = figures.dashboard([house.pk], Period(*PERIOD))
    for shown in [page.context["data"], read_back]:
        assert shown.headline == computed.headline and shown.sections == computed.sections
        assert shown.houses == computed.houses and shown.computed_at == NOW
    add_melding(house)  # not yet in the snapshot: the export shows what the page showed
    with clock.travel_to(NOW + MINUTE):
        response = client.get(reverse("monitor:export", args=["meldingen-kanaal", "csv"]) + QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    shown = page.context["data"].figures["meldingen-kanaal"]
    assert rows[1:] == [[str(cell) for cell in row] for row in [*shown.rows, shown.total]]
