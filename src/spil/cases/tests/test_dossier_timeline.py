"""A long-running case's dossier shows the latest part of its timeline and pages back: its cost does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spil.cases import services
from spil.cases.models import AccessLevel, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.organisations.models import Role
from spil.testing.factories import UserFactory, member, person_data, register_report
from spil.web.listing import TIMELINE_PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(regisseur, intake_worker, house):
    report = register_report(intake_worker, house, persons=[person_data()])
    return services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Gewogen.",
        process_director=regisseur,
    )


def add_notes(case, regisseur, count, start=0):
    for n in range(start, start + count):
        services.add_note(case, actor=regisseur, text=f"Notitie nummer {n:03d}.")


def test_the_dossier_shows_the_latest_events_and_links_to_earlier_ones(client, regisseur, case):
    add_notes(case, regisseur, TIMELINE_PAGE_SIZE + 20)
    client.force_login(regisseur)

    latest = client.get(f"/casussen/{case.number}/").content.decode()
    assert f"Notitie nummer {TIMELINE_PAGE_SIZE + 19:03d}." in latest
    assert "Notitie nummer 000." not in latest
    assert "Eerdere gebeurtenissen" in latest

    earliest = client.get(f"/casussen/{case.number}/?tijdlijn=1").content.decode()
    assert "Notitie nummer 000." in earliest and "Latere gebeurtenissen" in earliest


def test_the_dossier_costs_the_same_queries_with_a_short_or_a_long_timeline(client, regisseur, case):
    client.force_login(regisseur)
    add_notes(case, regisseur, 5)
    with CaptureQueriesContext(connection) as short:
        assert client.get(f"/casussen/{case.number}/").status_code == 200
    add_notes(case, regisseur, 2 * TIMELINE_PAGE_SIZE, start=5)
    with CaptureQueriesContext(connection) as long:
        assert client.get(f"/casussen/{case.number}/").status_code == 200
    assert len(long) == len(short)


def test_a_timeline_line_shows_when_what_and_who_and_the_username_of_a_user_without_a_name(client, regisseur, case):
    with clock.travel_to(datetime.datetime(2026, 3, 9, 8, 5, tzinfo=datetime.UTC)):
        services.add_note(case, actor=regisseur, text="Met naam.")
    nameless = member(case.house, Role.PROCESS_DIRECTOR, user=UserFactory(first_name="", last_name=""))
    services.add_team_member(case, actor=regisseur, user=nameless, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL)
    services.add_note(case, actor=nameless, text="Zonder naam.")
    client.force_login(regisseur)
    page = client.get(f"/casussen/{case.number}/").content.decode()
    assert f'<time datetime="2026-03-09T09:05:00+01:00">9 maart 2026 09:05</time> · Notitie · {regisseur.get_full_name()}</div>' in page
    assert f"· Notitie · {nameless.username}</div>" in page
