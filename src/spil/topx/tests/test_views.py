"""Top-X screens: house staff see the lists with their history; the OOV officer of the municipality sees only the
current list of that municipality at summary level, and never a dossier."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.casetypes.models import LifeDomain
from spil.core import clock
from spil.logbook.models import Action, ProcessingRecord
from spil.organisations.models import Membership, Role
from spil.plans import services as plan_services
from spil.testing.factories import PartnerFactory, member
from spil.topx import services, views
from spil.topx.models import Ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(bureau, house, heerlen_list, open_pga, meeting_of):
    """The Heerlen list decided twice: Aa and Bee, then Bee first, Aa second and Cee new."""
    a, b, c = open_pga("Aardema"), open_pga("Beekman"), open_pga("Crijns")
    with clock.travel_to(clock.now() - datetime.timedelta(days=90)):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(a, "Ernstig geweld in de wijk"), (b, "Overlast")])
    services.rerank(
        heerlen_list,
        actor=bureau,
        meeting=meeting_of(house),
        entries=[(b, "Escalatie bij buren"), (a, "Stabieler"), (c, "Dreiging")],
        note="Besproken met de driehoek.",
    )
    return heerlen_list, (a, b, c)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_house_staff_see_the_list_with_its_history(client, bureau, ranked):
    topx_list, (a, b, c) = ranked
    html = page(client, bureau, reverse("topx:detail", args=[topx_list.pk]))
    for text in [
        "Aardema",
        "Beekman",
        "Crijns",
        "Ernstig geweld in de wijk",
        "Escalatie bij buren",
        "Besproken met de driehoek",
        "Gestegen",
        "Gedaald",
        "Nieuw op de lijst",
    ]:
        assert text in html
    assert reverse("cases:detail", args=[a.number]) in html  # the bedrijfsbureau may open these dossiers
    assert "Rangorde vastleggen" in html


def test_staff_link_only_the_dossiers_they_may_open(client, house, ranked):
    topx_list, (a, b, c) = ranked
    colleague = member(house, Role.PROCESS_DIRECTOR)  # not in the case teams
    html = page(client, colleague, reverse("topx:detail", args=[topx_list.pk]))
    assert a.number in html and reverse("cases:detail", args=[a.number]) not in html


def test_a_manager_does_not_see_the_names_on_the_list(client, house, ranked):
    topx_list, _ = ranked
    client.force_login(member(house, Role.MANAGER))
    assert client.get(reverse("topx:detail", args=[topx_list.pk])).status_code == 404
    assert reverse("topx:detail", args=[topx_list.pk]) not in client.get(reverse("topx:index")).content.decode()


def test_oov_officer_sees_the_current_list_of_their_municipality_at_summary_level(client, oov_heerlen, ranked):
    topx_list, (a, b, c) = ranked
    index = page(client, oov_heerlen, reverse("topx:index"))
    assert reverse("topx:detail", args=[topx_list.pk]) in index and ">Top-X</a>" in index
    html = page(client, oov_heerlen, reverse("topx:detail", args=[topx_list.pk]))
    assert html.index("Beekman") < html.index("Aardema") < html.index("Crijns")
    assert "AVE 4" in html and "nog geen plan van aanpak" in html
    # No reasons, notes, history or links into the dossiers.
    for text in [
        "Escalatie bij buren",
        "Ernstig geweld",
        "Besproken met de driehoek",
        "Gedaald",
        reverse("cases:detail", args=[a.number]),
        "Rangorde vastleggen",
    ]:
        assert text not in html
    # The shown persons are in the processing log, as read by the OOV officer.
    logged = ProcessingRecord.objects.filter(action=Action.READ, object_ref=views.object_ref(topx_list))
    assert logged.count() == 3


def test_oov_officer_never_opens_a_dossier(client, oov_heerlen, ranked):
    topx_list, cases = ranked
    client.force_login(oov_heerlen)
    for case in cases:
        assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
    assert client.get(reverse("topx:rerank", args=[topx_list.pk])).status_code == 403
    assert client.get(reverse("topx:create")).status_code == 403
    for case in cases:
        assert case.number not in client.get(reverse("cases:list")).content.decode()


def test_other_municipalities_and_houses_do_not_see_the_list(client, house, other_house, kerkrade, ranked):
    topx_list, cases = ranked
    oov_kerkrade = member(house)
    Membership.objects.create(user=oov_kerkrade, house=house, role=Role.OOV_OFFICER, municipality=kerkrade)
    for outsider in [oov_kerkrade, member(other_house, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR, Role.MANAGER), member(house, Role.INTAKE)]:
        client.force_login(outsider)
        assert client.get(reverse("topx:detail", args=[topx_list.pk])).status_code == 404
        index = client.get(reverse("topx:index")).content.decode()
        assert topx_list.name not in index and not any(case.number in index for case in cases)


def test_oov_officer_does_not_see_the_region_list(client, bureau, house, oov_heerlen):
    region = services.create_list(actor=bureau, house=house)
    client.force_login(oov_heerlen)
    assert client.get(reverse("topx:detail", args=[region.pk])).status_code == 404


def test_the_dossier_shows_its_place_on_the_list(client, regisseur, oov_heerlen, ranked):
    topx_list, (a, b, c) = ranked
    html = page(client, regisseur, reverse("cases:detail", args=[b.number]))
    assert "Top-X:</strong> rang 1 op" in html and topx_list.name in html


def test_progress_at_summary_level_counts_actions_of_the_current_plan(client, regisseur, oov_heerlen, ranked):
    topx_list, (a, b, c) = ranked
    plan = plan_services.start_plan(a, actor=regisseur)
    domain = a.case_type.life_domains.first() or LifeDomain.objects.first()
    partner = PartnerFactory()
    today = clock.today()
    plan_services.add_action(
        plan,
        actor=regisseur,
        life_domain=domain,
        description="Geheime actie over schulden",
        partner=partner,
        responsible=None,
        start_on=today,
        due_on=today + datetime.timedelta(days=30),
    )
    html = page(client, oov_heerlen, reverse("topx:detail", args=[topx_list.pk]))
    assert "Plan v1: concept" in html and "acties 0 gereed, 1 open" in html
    assert "Geheime actie" not in html


def test_recording_a_decision_through_the_form(client, bureau, house, ranked, meeting_of):
    topx_list, (a, b, c) = ranked
    meeting = meeting_of(house)
    url = reverse("topx:rerank", args=[topx_list.pk])
    form = page(client, bureau, url)
    assert all(case.number in form for case in (a, b, c))
    current = services.current_ranking(topx_list)
    data = {
        "meeting": meeting.pk,
        "based_on": current.pk,
        "note": "",
        f"rank_{a.pk}": "1",
        f"reason_{a.pk}": "Nieuwe feiten",
        f"rank_{c.pk}": "5",
        f"reason_{c.pk}": "Iets minder urgent",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    latest = services.current_ranking(topx_list)
    assert [(entry.case, entry.rank) for entry in latest.entries.order_by("rank")] == [(a, 1), (c, 2)]  # renumbered, Bee left

    # The same form again is based on a ranking that is no longer current.
    response = client.post(url, data)
    assert response.status_code == 200 and "intussen door een ander herijkt" in response.content.decode()
    data = {**data, "based_on": latest.pk, f"rank_{c.pk}": "1"}
    response = client.post(url, data)
    assert "Rang 1 is ook gekozen" in response.content.decode()
    assert Ranking.objects.filter(topx_list=topx_list).count() == 3


def test_creating_a_list(client, bureau, house, heerlen):
    client.force_login(bureau)
    response = client.post(reverse("topx:create"), {"house": house.pk, "municipality": heerlen.pk, "name": ""})
    assert response.status_code == 302
    response = client.post(reverse("topx:create"), {"house": house.pk, "municipality": heerlen.pk, "name": "Nog een"})
    assert "al een Top-X-lijst voor gemeente Heerlen" in response.content.decode()


@pytest.mark.parametrize("url_name", ["topx:detail", "topx:index"])
def test_query_count_does_not_grow_with_the_list(client, bureau, house, heerlen_list, open_pga, meeting_of, url_name):
    client.force_login(bureau)
    url = reverse(url_name, args=[heerlen_list.pk]) if url_name == "topx:detail" else reverse(url_name)

    def queries(count):
        cases = [open_pga(f"P{i}") for i in range(count)]
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(case, "Reden") for case in cases])
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    assert queries(2) == queries(8)
