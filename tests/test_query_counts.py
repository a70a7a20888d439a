"""Pages cost a fixed number of queries, however many rows they show (no N+1).

Each test renders a page twice, with few and with more rows of everything the page lists, and asserts that the
number of queries is the same. The partner API's lists have theirs in `spil/api/tests/test_query_counts.py`.
"""

import datetime

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from spil.cases import services as case_services
from spil.cases.models import AccessLevel, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import ReportStatus
from spil.organisations.models import House, PartnerType, Role
from spil.plans import services as plan_services
from spil.testing.factories import PartnerFactory, UserFactory, member, person_data, register_report
from spil.triage import services as triage_services
from spil.web.forms import StyledForm

pytestmark = pytest.mark.django_db


def add_rows(user, house, count):
    pga = CaseType.objects.get(code="pga")
    for i in range(count):
        report = register_report(user, house, persons=[person_data(first_names=f"P{i}"), person_data(first_names=f"Q{i}")])
        case_services.open_case(
            actor=user,
            house=house,
            case_type=pga,
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=user,
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url_name", ["intake:inbox", "cases:list", "web:my-work", "triage:list"])
def test_list_query_count_does_not_grow_with_rows(client, house, url_name):
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    client.force_login(user)
    add_rows(user, house, 2)
    client.get(reverse(url_name))  # a list's filter form is rendered once and kept (`OptionsKeptForAMinute`)
    few = queries_for(client, reverse(url_name))
    add_rows(user, house, 8)
    assert queries_for(client, reverse(url_name)) == few


def dossier(director, house, size: int):
    """An open PGA case with `size` persons, team members, AVE changes, plan goals and actions, and timeline notes."""
    pga = CaseType.objects.get(code="pga")
    persons = [person_data(first_names=f"Persoon{i}", surname=f"Dossier{size}") for i in range(size)]
    report = register_report(director, house, persons=persons, requested_case_type=pga)
    case = case_services.open_case(
        actor=director,
        house=house,
        case_type=pga,
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=director,
    )
    partner = PartnerFactory(type=PartnerType.MENTAL_HEALTH)
    for i in range(size):
        colleague = member(house, Role.PROFESSIONAL, partner=partner)
        case_services.add_team_member(case, actor=director, user=colleague, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL)
        case.refresh_from_db()
        case_services.change_ave(case, actor=director, to_level=2 + i % 2, reason=f"Wijziging {i}", expected_version=case.version)
        case.refresh_from_db()
    plan = plan_services.start_plan(case, actor=director)
    domains = list(pga.life_domains.all())[:size]
    for domain in domains:
        plan_services.set_goal(plan, actor=director, life_domain=domain, situation="Situatie", goal="Doel")
        plan_services.add_action(
            plan,
            actor=director,
            life_domain=domain,
            description=f"Actie {domain}",
            partner=partner,
            responsible=None,
            start_on=clock.today(),
            due_on=clock.today() + datetime.timedelta(days=30),
        )
    for i in range(size * 5):
        case_services.add_note(case, actor=director, text=f"Notitie {i}")
    return case


def test_dossier_query_count_does_not_grow_with_its_history(client, house):
    director = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    client.force_login(director)
    small, large = dossier(director, house, 1), dossier(director, house, 4)
    assert large.events.count() > 3 * small.events.count()
    assert "Notitie 19" in client.get(reverse("cases:detail", args=[large.number])).content.decode()
    assert queries_for(client, reverse("cases:detail", args=[large.number])) == queries_for(
        client, reverse("cases:detail", args=[small.number])
    )


def test_the_dossier_reads_its_team_once_and_takes_the_regisseur_and_the_melding_from_it(client, house):
    director = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR, user=UserFactory(first_name="Ria", last_name="Regisseur"))
    client.force_login(director)
    case = dossier(director, house, 2)
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "<dt>Procesregisseur</dt><dd>Ria Regisseur</dd>" in page
    assert f'na melding <a class="utrecht-link" href="{reverse("intake:detail", args=[case.report.number])}">' in page
    read = [query["sql"] for query in context.captured_queries]
    assert sum(sql.startswith('SELECT "cases_teammember"."id"') for sql in read) == 1
    assert sum(sql.startswith('SELECT "auth_user"."id"') for sql in read) == 1  # the signed-in user, from the session
    assert not any(sql.startswith('SELECT "intake_report"."id"') for sql in read)
    # A full member of the team sees the melding without the whole rule: the user's reasons to see meldingen are not read.
    assert not any("SELECT forwarding.report_id" in sql for sql in read)
    # Nor any emergency access to the case: the user's reasons, read to find the case, hold none for it.
    assert not any(sql.startswith('SELECT "cases_emergencyaccess"."id"') for sql in read)


def test_a_registration_reads_the_actors_memberships_once_before_it_writes(house):
    """The permission, the person matching and the hit/no-hit question all ask for the actor's roles (`core.kept`)."""
    intake = member(house, Role.INTAKE)
    known = [person_data(bsn="111222333"), person_data(first_names="Anna", surname="Appel")]
    register_report(intake, house, persons=known)
    with CaptureQueriesContext(connection) as context:
        register_report(intake, house, persons=known)  # both are matched against the persons known in the house
    read = [query["sql"] for query in context.captured_queries]
    first_write = next(i for i, sql in enumerate(read) if sql.startswith('INSERT INTO "intake_report"'))
    assert sum("FROM organisations_membership membership" in sql for sql in read[:first_write]) == 1


def test_person_search_query_count_does_not_grow_with_hits(client, house):
    intake = member(house, Role.INTAKE)
    client.force_login(intake)
    register_report(intake, house, persons=[person_data(surname="Zoekers", first_names="A0")])
    url = reverse("persons:search") + "?q=zoeker"
    few = queries_for(client, url)
    for i in range(1, 8):
        register_report(intake, house, persons=[person_data(surname="Zoekers", first_names=f"A{i}"), person_data(surname="Zoekermans")])
    assert "Zoekermans" in client.get(url).content.decode()
    assert queries_for(client, url) == few


def test_weegtafel_agenda_query_count_does_not_grow_with_items(client, house):
    weger = member(house, Role.INTAKE, Role.TRIAGE)
    client.force_login(weger)
    starts_at = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
    with clock.travel_to(starts_at - datetime.timedelta(days=3)):

        def ready(count):
            for i in range(count):
                report = register_report(weger, house, persons=[person_data(first_names=f"W{i}"), person_data(first_names=f"V{i}")])
                intake_services.change_status(report, actor=weger, to=ReportStatus.READY)

        ready(1)
        session = triage_services.plan_session(actor=weger, house=house, starts_at=starts_at, participants=[weger])
        few = queries_for(client, reverse("triage:detail", args=[session.pk]))
        ready(6)
        triage_services.refresh_agenda(session, actor=weger)
        assert session.items.count() == 7
        assert queries_for(client, reverse("triage:detail", args=[session.pk])) == few


def test_monitor_dashboard_query_count_does_not_grow_with_cases_or_houses(client, house, other_house):
    """The national monitor's dashboard, both when its figures are computed (no stored snapshot) and when read."""
    from spil.monitor.models import Snapshot

    monitor = member(house, Role.NATIONAL_MONITOR)
    client.force_login(monitor)
    url = reverse("monitor:dashboard")

    def computed_and_stored():
        Snapshot.objects.all().delete()
        return queries_for(client, url), queries_for(client, url)

    here = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    add_rows(here, house, 1)
    few = computed_and_stored()
    add_rows(here, house, 4)
    add_rows(member(other_house, Role.INTAKE, Role.PROCESS_DIRECTOR), other_house, 3)
    assert computed_and_stored() == few


def test_a_select_reads_its_options_with_one_plain_query(house):
    """Django's own choice iterator opens a server-side cursor: DECLARE, FETCH and CLOSE for a handful of options."""

    class HouseForm(StyledForm, forms.Form):
        house = forms.ModelChoiceField(queryset=House.objects.all())

    with CaptureQueriesContext(connection) as queries:
        html = str(HouseForm()["house"])
    assert house.name in html
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"]


@pytest.mark.parametrize("url_name", ["intake:inbox", "web:my-work"])
def test_a_page_reads_the_users_memberships_once(client, house, url_name):
    """The access rules, the menu and the processing log's organisation all ask for them (`memberships_of`)."""
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    client.force_login(user)
    add_rows(user, house, 2)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(url_name)).status_code == 200
    assert len([q for q in context if "FROM organisations_membership membership" in q["sql"]]) == 1
