"""Top-X ranking: a list is re-ranked only by a meeting's decision; every decision stays as history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from spil.cases import services as case_services
from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError
from spil.logbook.models import Action, ProcessingRecord
from spil.meetings import services as meeting_services
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.timeline.models import Event
from spil.topx import services
from spil.topx.models import Ranking, RankingEntry

pytestmark = pytest.mark.django_db


def order(ranking):
    return [entry.case.number for entry in ranking.entries.order_by("rank")]


def test_ranking_history_shows_how_each_case_moved(bureau, house, heerlen_list, open_pga, meeting_of):
    a, b, c, d = (open_pga(name) for name in ["Aa", "Bee", "Cee", "Dee"])
    first = services.rerank(
        heerlen_list, actor=bureau, meeting=meeting_of(house, 60), entries=[(a, "Geweld"), (b, "Overlast"), (c, "Dreiging")]
    )
    second = services.rerank(
        heerlen_list,
        actor=bureau,
        meeting=meeting_of(house, 1),
        entries=[(c, "Escalatie"), (a, "Stabieler"), (d, "Nieuw incident")],
        note="Bee is afgeschaald.",
    )

    assert order(first) == [a.number, b.number, c.number]  # the earlier decision is kept as it was
    assert order(second) == [c.number, a.number, d.number]
    assert services.current_ranking(heerlen_list) == second
    history = services.movements(list(first.entries.all()), list(second.entries.all()))
    assert [(m.case, m.kind, m.before, m.after) for m in history] == [
        (c, "up", 3, 1),
        (a, "down", 1, 2),
        (d, "in", None, 3),
        (b, "out", 2, None),
    ]
    assert services.current_place(c).rank == 1 and services.current_place(b) is None


def test_each_affected_case_gets_a_timeline_line_and_unchanged_cases_none(bureau, house, heerlen_list, open_pga, meeting_of):
    a, b, c = open_pga("Aa"), open_pga("Bee"), open_pga("Cee")
    services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house, 30), entries=[(a, "Geweld"), (b, "Overlast")])
    meeting = meeting_of(house, 1)
    services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, ""), (c, "Ernstige dreiging")])

    def lines(case):
        return [text for text in Event.objects.filter(case=case).values_list("text", flat=True) if "Top-X" in text]

    assert len(lines(a)) == 1 and "geplaatst (rang 1)" in lines(a)[0]
    assert lines(b)[-1].startswith(f"Van de Top-X-lijst '{heerlen_list}' gehaald (was rang 2)")
    assert meeting.number in lines(b)[-1]
    assert lines(c) == [
        f"Op de Top-X-lijst '{heerlen_list}' geplaatst (rang 2), besluit in {meeting_services.label(meeting)}: Ernstige dreiging"
    ]


def test_a_decision_is_logged_for_every_person_it_concerns(bureau, house, heerlen_list, open_pga, meeting_of):
    a = open_pga("Aa")
    services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(a, "Geweld")])
    assert ProcessingRecord.objects.filter(action=Action.UPDATE, object_ref=a.number).exists()


def test_renewing_an_unchanged_list_is_a_decision_too(bureau, house, heerlen_list, open_pga, meeting_of):
    a = open_pga("Aa")
    services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house, 100), entries=[(a, "Geweld")])
    services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house, 1), entries=[(a, "")])
    assert heerlen_list.rankings.count() == 2


def test_the_database_refuses_to_change_or_remove_a_decision(bureau, house, heerlen_list, open_pga, meeting_of):
    services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(open_pga("Aa"), "Geweld")])
    for change in [
        lambda: RankingEntry.objects.update(rank=2),
        lambda: RankingEntry.objects.all().delete(),
        lambda: Ranking.objects.update(note="herschreven"),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()


def test_only_open_pga_cases_of_the_house_and_municipality_can_be_placed(
    bureau, house, other_house, heerlen_list, kerkrade, open_pga, meeting_of, regisseur
):
    meeting = meeting_of(house)
    closed = open_pga("Dicht")
    case_services.close_case(closed, actor=regisseur, result="doel_bereikt", note="", expected_version=closed.version)
    refused = {
        "gesloten": closed,
        "Alleen casussen met aanpak": open_pga("Jong", code="pga-jeugd"),
        "woont in gemeente Heerlen": open_pga("Kerk", municipality=kerkrade),
        "geen casus van ZVH Parkstad": open_pga("Venlo", in_house=other_house, municipality=other_house.municipalities.get()),
    }
    for message, case in refused.items():
        with pytest.raises(DomainError, match=message):
            services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(case, "Reden")])
    assert not heerlen_list.rankings.exists()


def test_a_region_list_takes_cases_from_every_municipality_of_the_house(bureau, house, kerkrade, open_pga, meeting_of):
    region = services.create_list(actor=bureau, house=house)
    ranking = services.rerank(region, actor=bureau, meeting=meeting_of(house), entries=[(open_pga("Kerk", municipality=kerkrade), "Reden")])
    assert ranking.entries.count() == 1 and region.name == "Top-X regio ZVH Parkstad"


def test_a_case_is_on_one_list_at_a_time(bureau, house, heerlen_list, open_pga, meeting_of):
    region = services.create_list(actor=bureau, house=house)
    a = open_pga("Aa")
    services.rerank(region, actor=bureau, meeting=meeting_of(house), entries=[(a, "Geweld")])
    with pytest.raises(DomainError, match="staat al op de Top-X-lijst"):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(a, "Geweld")])


def test_ranks_are_unique_and_new_or_moved_cases_need_a_reason(bureau, house, heerlen_list, open_pga, meeting_of):
    a, b = open_pga("Aa"), open_pga("Bee")
    meeting = meeting_of(house)
    with pytest.raises(DomainError, match="twee keer"):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, "x"), (a, "y")])
    with pytest.raises(DomainError, match="reden voor de plaatsing"):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, " ")])
    services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, "Geweld"), (b, "Overlast")])
    with pytest.raises(DomainError, match="wijziging van de rang"):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(b, ""), (a, "")])


def test_the_decision_is_of_a_meeting_of_the_house_that_has_begun(bureau, house, other_house, heerlen_list, open_pga, meeting_of):
    a = open_pga("Aa")
    for meeting, message in [
        (meeting_of(other_house), "geen overleg van ZVH Parkstad"),
        (meeting_of(house, days_ago=-7), "nog niet begonnen"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, "Geweld")])
    cancelled = meeting_of(house, days_ago=-1)
    meeting_services.cancel_meeting(cancelled, actor=bureau, reason="Ziekte voorzitter")
    with pytest.raises(DomainError, match="geannuleerd"):
        services.rerank(heerlen_list, actor=bureau, meeting=cancelled, entries=[(a, "Geweld")])


def test_a_decision_based_on_an_outdated_list_is_refused(bureau, house, heerlen_list, open_pga, meeting_of):
    a, b = open_pga("Aa"), open_pga("Bee")
    meeting = meeting_of(house)
    seen = services.current_ranking(heerlen_list)  # None: the list had no ranking yet
    services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(a, "Geweld")], based_on=seen)
    with pytest.raises(ConcurrentEdit):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting, entries=[(b, "Overlast")], based_on=seen)


def test_who_may_manage_lists(bureau, house, heerlen_list, open_pga, meeting_of, intake_worker, regisseur):
    a = open_pga("Aa")
    meeting = meeting_of(house)
    for outsider in [intake_worker, member(house, Role.MANAGER)]:
        with pytest.raises(PermissionDenied):
            services.rerank(heerlen_list, actor=outsider, meeting=meeting, entries=[(a, "Geweld")])
        with pytest.raises(PermissionDenied):
            services.create_list(actor=outsider, house=house)
    # A procesregisseur records decisions, but places only cases they may see (the bedrijfsbureau sees all).
    colleague = member(house, Role.PROCESS_DIRECTOR)
    with pytest.raises(DomainError, match="niet inzien"):
        services.rerank(heerlen_list, actor=colleague, meeting=meeting, entries=[(a, "Geweld")])
    services.rerank(heerlen_list, actor=regisseur, meeting=meeting, entries=[(a, "Geweld")])
    services.rerank(heerlen_list, actor=colleague, meeting=meeting, entries=[(a, "")])  # keeping it on is fine


def test_one_list_per_municipality_of_the_house(bureau, house, other_house, heerlen, heerlen_list):
    with pytest.raises(DomainError, match="al een Top-X-lijst voor gemeente Heerlen"):
        services.create_list(actor=bureau, house=house, municipality=heerlen, name="Andere naam")
    with pytest.raises(DomainError, match="hoort niet bij"):
        services.create_list(actor=bureau, house=house, municipality=other_house.municipalities.get())
    assert heerlen_list.name == "Top-X Heerlen"


def test_destroying_a_case_after_its_retention_term_takes_its_places_on_the_lists(
    bureau, house, heerlen_list, open_pga, meeting_of, regisseur
):
    from spil.privacy import services as privacy_services

    long_ago = clock.now() - datetime.timedelta(days=7 * 365)
    with clock.travel_to(long_ago):
        a, b = open_pga("Aa"), open_pga("Bee")
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(a, "Geweld"), (b, "Overlast")])
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(b, "Stabiel"), (a, "Minder urgent")])
        case_services.close_case(a, actor=regisseur, result="doel_bereikt", note="", expected_version=a.version)
    privacy_services.destroy(a)
    assert not RankingEntry.objects.filter(case_id=a.pk).exists()
    assert heerlen_list.rankings.count() == 2 and RankingEntry.objects.filter(case=b).count() == 2
