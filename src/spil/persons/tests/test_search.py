"""Personen zoeken: by name fragment or BSN, only among the persons the user may see, each result logged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import ReportStatus
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Membership, Role
from spil.persons.models import Person
from spil.testing.factories import member, person_data, register_report
from spil.triage import services as triage_services

pytestmark = pytest.mark.django_db

BSN = "111222333"


@pytest.fixture
def anna(intake_worker, house):
    return register_report(
        intake_worker, house, persons=[person_data(first_names="Anna", surname_prefix="", surname="Vriës", bsn=BSN)]
    ).persons.get()


def results(client, user, text):
    client.force_login(user)
    response = client.get(reverse("persons:search"), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("text", ["vries", "VRI", "Anna", "111 222 333"])
def test_finds_a_visible_person_by_name_fragment_or_bsn(client, intake_worker, anna, text):
    assert reverse("persons:detail", args=[anna.pk]) in results(client, intake_worker, text)


def test_another_house_finds_nothing_and_nothing_is_logged_for_it(client, anna, other_house):
    stranger = member(other_house, Role.INTAKE)
    for text in ["vries", BSN]:
        page = results(client, stranger, text)
        # By link, not by name: the stranger's own (generated) name may contain "Anna".
        assert reverse("persons:detail", args=[anna.pk]) not in page and "0 personen gevonden" in page
    assert not ProcessingRecord.objects.filter(subject=subject_of(anna), object_ref="personen zoeken").exists()


def test_each_person_shown_is_logged_as_a_search(client, intake_worker, anna):
    results(client, intake_worker, "vries")
    assert ProcessingRecord.objects.filter(subject=subject_of(anna), action=Action.SEARCH, object_ref="personen zoeken").count() == 1


def test_without_a_search_text_nothing_is_listed(client, intake_worker, anna):
    assert reverse("persons:detail", args=[anna.pk]) not in results(client, intake_worker, "")


def test_a_vague_search_lists_the_first_matches_and_asks_for_a_sharper_question(client, intake_worker, house, monkeypatch):
    monkeypatch.setattr("spil.persons.views.SEARCH_LIMIT", 2)
    for first_names in ("Bas", "Cor", "Dirk"):
        register_report(intake_worker, house, persons=[person_data(first_names=first_names, surname_prefix="", surname="Jansen")])
    page = results(client, intake_worker, "jans")
    assert "Meer dan 2 personen gevonden" in page
    assert ">Bas Jansen<" in page and ">Cor Jansen<" in page and ">Dirk Jansen<" not in page
    assert "1 persoon gevonden" in results(client, intake_worker, "dirk")


SEARCH_BOX = {"HX-Request": "true", "HX-Target": "zoekresultaten"}


def test_the_search_box_gets_the_results_alone_and_each_person_shown_is_logged(client, intake_worker, anna):
    client.force_login(intake_worker)
    response = client.get(reverse("persons:search"), {"q": "vrie"}, headers=SEARCH_BOX)
    results = response.content.decode()
    assert reverse("persons:detail", args=[anna.pk]) in results and "1 persoon gevonden" in results
    assert "<html" not in results and "Naam of BSN" not in results  # not the page around them
    assert "HX-Target" in response["Vary"]
    assert ProcessingRecord.objects.filter(subject=subject_of(anna), action=Action.SEARCH, object_ref="personen zoeken").count() == 1


def test_the_page_fills_its_results_as_the_user_types_and_restoring_it_from_history_gives_it_whole(client, intake_worker, anna):
    page = results(client, intake_worker, "vrie")
    assert 'hx-target="#zoekresultaten"' in page and '<div id="zoekresultaten">' in page
    assert '"historyCacheSize": 0' in page  # htmx keeps no copy of a page with personal data in the browser
    restored = client.get(reverse("persons:search"), {"q": "vrie"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.content.decode()


def test_a_text_shorter_than_three_letters_is_a_whole_name_not_a_fragment(client, intake_worker, house, anna):
    """ "a" occurs in nearly every name: as a fragment it made PostgreSQL check everyone known in the user's houses."""
    li = register_report(intake_worker, house, persons=[person_data(first_names="Wei", surname_prefix="", surname="Li")]).persons.get()
    register_report(intake_worker, house, persons=[person_data(first_names="Lisa", surname_prefix="", surname="Lindeman")])
    assert list(Person.objects.found_by("Li", intake_worker)) == [li]
    assert list(Person.objects.found_by("vr", intake_worker)) == []
    assert list(Person.objects.found_by("vri", intake_worker)) == [anna]
    assert "0 personen gevonden" in results(client, intake_worker, "a")


def test_a_bsn_is_checked_directly_and_a_name_fragment_through_the_houses_index(intake_worker, anna):
    """A BSN names one person; narrowing to the user's houses first would make PostgreSQL read a house's whole entry
    in the houses index for it (tens of thousands of persons nationally). A name fragment needs that narrowing."""
    assert "known_in_houses" not in str(Person.objects.found_by(BSN, intake_worker).values("pk").query)
    assert "known_in_houses" in str(Person.objects.found_by("vries", intake_worker).values("pk").query)
    assert list(Person.objects.found_by(BSN, intake_worker)) == list(Person.objects.found_by("vries", intake_worker)) == [anna]


def test_the_page_finds_its_ids_with_the_visibility_rule_and_reads_its_rows_by_id_alone(client, intake_worker, anna):
    """The narrowing serves finding the matches among a million persons; for the page's few rows by id it made PostgreSQL
    intersect them with everyone known in the user's houses. The ids are found among the persons the user may see, so
    the rows are read by those ids alone."""
    with CaptureQueriesContext(connection) as queries:
        assert reverse("persons:detail", args=[anna.pk]) in results(client, intake_worker, "vries")
    person_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "persons_person"."id"')]
    found, rows = (sql.split(" WHERE ", 1)[1] for sql in person_reads)
    assert "known_in_houses" in found and "name_key" in found
    assert "EXISTS" in found  # among the persons the user may see
    assert rows.startswith('"persons_person"."id" IN') and "known_in_houses" not in rows and "EXISTS" not in rows


def test_a_row_shows_the_name_birth_date_and_gemeente_or_that_they_are_unknown(client, intake_worker, house, anna):
    Person.objects.filter(pk=anna.pk).update(municipality=house.municipalities.first())
    register_report(intake_worker, house, persons=[person_data(first_names="Bram", surname_prefix="", surname="Vriesman", birth_date=None)])
    page = results(client, intake_worker, "vries")
    assert (
        f'>Anna Vriës</a></td>\n      <td class="utrecht-table__cell">17-5-1990</td>\n      <td class="utrecht-table__cell">{house.municipalities.first().name}</td>'
        in page
    )
    assert (
        '>Bram Vriesman</a></td>\n      <td class="utrecht-table__cell">onbekend</td>\n      <td class="utrecht-table__cell">onbekend</td>'
        in page
    )


def test_a_name_search_finds_whom_the_user_sees_for_a_reason_of_their_own_outside_their_intake_houses(
    client, intake_worker, house, other_house
):
    """The search first narrows to the houses where the user may see meldingen and cases: those of their roles, and
    those of their own reasons (a melding they registered, a weegtafel they sit at)."""
    registered = register_report(intake_worker, house, persons=[person_data(surname_prefix="", surname="Eigenaar")]).persons.get()
    Membership.objects.filter(user=intake_worker, house=house).delete()
    member(other_house, Role.INTAKE, user=intake_worker)
    assert reverse("persons:detail", args=[registered.pk]) in results(client, intake_worker, "eigen")

    weger = member(house, Role.TRIAGE)
    report = register_report(member(house, Role.INTAKE), house, persons=[person_data(surname_prefix="", surname="Tafelgast")])
    intake_services.change_status(report, actor=report.created_by, to=ReportStatus.READY)
    triage_services.plan_session(actor=weger, house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[weger])
    assert reverse("persons:detail", args=[report.persons.get().pk]) in results(client, weger, "tafel")
