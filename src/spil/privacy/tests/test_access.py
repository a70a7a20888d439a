import datetime

import pytest
from django.urls import reverse

from spil.organisations.models import Role
from spil.testing.factories import member, register_report

pytestmark = pytest.mark.django_db

PAGES = [
    ("privacy:home", {}),
    ("privacy:register", {}),
    ("privacy:register-export", {"fmt": "csv"}),
    ("privacy:register-export", {"fmt": "pdf"}),
    ("privacy:inzage", {}),
    ("privacy:inzage-person", {"pk": 1}),
    ("privacy:inzage-export", {"pk": 1, "fmt": "csv"}),
    ("privacy:retention", {}),
    ("privacy:hold-create", {}),
    ("privacy:hold-lift", {"pk": 1}),
    ("privacy:extension-create", {}),
    ("privacy:destroy", {"number": "C-2020-000001"}),
]


@pytest.mark.parametrize("name, kwargs", PAGES)
@pytest.mark.parametrize("role", [Role.INTAKE, Role.PROCESS_DIRECTOR, Role.BACK_OFFICE])
def test_only_privacy_officers_get_in(client, house, name, kwargs, role):
    client.force_login(member(house, role))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    assert "Alleen de privacy officer" in response.content.decode()


@pytest.mark.parametrize("name, kwargs", PAGES[:2])
def test_anonymous_users_are_sent_to_log_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_menu_shows_privacy_to_the_privacy_officer_only(client, house, officer, intake_worker):
    client.force_login(officer)
    assert 'href="/privacy/"' in client.get(reverse("privacy:home")).content.decode()
    client.force_login(intake_worker)
    assert 'href="/privacy/"' not in client.get("/").content.decode()


def test_another_houses_person_and_case_are_not_found(client, other_house, officer, closed_case):
    other_worker = member(other_house, Role.INTAKE)
    stranger = register_report(other_worker, other_house).persons.get()
    client.force_login(officer)
    assert client.get(reverse("privacy:inzage-person", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("privacy:inzage-export", args=[stranger.pk, "csv"])).status_code == 404

    other_director = member(other_house, Role.PROCESS_DIRECTOR, Role.TRIAGE, Role.INTAKE)
    case = closed_case(other_house, closed_on=datetime.date(2015, 3, 1), actors=other_director)
    assert client.get(reverse("privacy:destroy", args=[case.number])).status_code == 404
    assert client.post(reverse("privacy:hold-create"), {"case": case.number, "reason": "x"}).status_code == 200  # form error
    assert not case.retention_holds.exists()
