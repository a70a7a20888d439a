"""A user of ZVH Parkstad never sees a Noord-Limburg melding, case, person or weegtafel: not in a list,
not in a detail page, not in a search. Invisible objects answer 404, so their existence does not leak."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spil.cases import services as case_services
from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing.factories import member, person_data, register_report
from spil.triage import services as triage_services
from spil.triage.models import TriageSession

pytestmark = pytest.mark.django_db

SECRET_SURNAME = "Noordelijk"


@pytest.fixture
def parkstad_user(house):
    return member(house, Role.INTAKE, Role.TRIAGE, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR, Role.MANAGER)


@pytest.fixture
def noord(other_house):
    """A melding (ready, on a weegtafel agenda) and an open case in Noord-Limburg."""
    worker = member(other_house, Role.INTAKE, Role.TRIAGE, Role.PROCESS_DIRECTOR)
    report = register_report(worker, other_house, persons=[person_data(surname=SECRET_SURNAME, bsn="111222333")])
    case = case_services.open_case(
        actor=worker,
        house=other_house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
        process_director=worker,
    )
    ready = register_report(worker, other_house, persons=[person_data(surname=SECRET_SURNAME)])
    intake_services.change_status(ready, actor=worker, to=ReportStatus.READY)
    session = triage_services.plan_session(actor=worker, house=other_house, starts_at=timezone.now() + datetime.timedelta(days=7))
    assert session.items.count() == 1
    return {"report": report, "case": case, "session": session, "worker": worker}


def test_querysets_are_scoped_to_the_users_houses(parkstad_user, noord, house, intake_worker):
    own = register_report(intake_worker, house)
    assert list(Report.objects.visible_to(parkstad_user)) == [own]
    assert not Case.objects.visible_to(parkstad_user).exists()
    assert not TriageSession.objects.visible_to(parkstad_user).exists()
    assert list(Person.objects.visible_to(parkstad_user)) == list(own.persons.all())
    assert Report.objects.visible_to(noord["worker"]).count() == 2


def test_a_user_without_membership_sees_nothing(noord):
    outsider = member(noord["report"].house)  # no roles at all
    assert not Report.objects.visible_to(outsider).exists()
    assert not Person.objects.visible_to(outsider).exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda n: reverse("intake:inbox"),
        lambda n: reverse("intake:inbox") + f"?q={SECRET_SURNAME}",
        lambda n: reverse("intake:inbox") + "?q=111222333",
        lambda n: reverse("intake:inbox") + f"?q={n['report'].number}",
        lambda n: reverse("cases:list"),
        lambda n: reverse("cases:list") + f"?q={SECRET_SURNAME}",
        lambda n: reverse("cases:list") + "?status=open",
        lambda n: reverse("triage:list"),
        lambda n: reverse("web:my-work"),
    ],
    ids=[
        "inbox",
        "inbox-name-search",
        "inbox-bsn-search",
        "inbox-number-search",
        "cases",
        "case-search",
        "open-cases",
        "weegtafels",
        "mijn-werk",
    ],
)
def test_lists_and_searches_show_nothing_of_another_house(client, parkstad_user, noord, url):
    client.force_login(parkstad_user)
    response = client.get(url(noord))
    assert response.status_code == 200
    searched = response.wsgi_request.GET.get("q", "")
    content = response.content.decode().replace(f'value="{searched}"', "")  # the search box echoes what was typed
    assert SECRET_SURNAME not in content
    assert noord["report"].number not in content
    assert noord["case"].number not in content
    if "page_obj" in response.context:
        assert not response.context["page_obj"].object_list


@pytest.mark.parametrize(
    "url",
    [
        lambda n: reverse("intake:detail", args=[n["report"].number]),
        lambda n: reverse("intake:edit", args=[n["report"].number]),
        lambda n: reverse("intake:enrichment-create", args=[n["report"].number]),
        lambda n: reverse("cases:detail", args=[n["case"].number]),
        lambda n: reverse("cases:action", args=[n["case"].number, "ave"]),
        lambda n: reverse("cases:action", args=[n["case"].number, "afsluiten"]),
        lambda n: reverse("triage:detail", args=[n["session"].pk]),
        lambda n: reverse("triage:decide", args=[n["session"].pk, n["session"].items.get().pk]),
    ],
    ids=["melding", "melding-edit", "verrijking", "casus", "casus-ave", "casus-afsluiten", "weegtafel", "wegen"],
)
def test_detail_pages_and_actions_of_another_house_answer_404(client, parkstad_user, noord, url):
    client.force_login(parkstad_user)
    response = client.get(url(noord))
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
    assert client.post(url(noord), {"version": 1, "reason": "x", "to_level": 4}).status_code == 404


def test_status_change_on_another_houses_melding_is_404_and_changes_nothing(client, parkstad_user, noord):
    client.force_login(parkstad_user)
    report = noord["report"]
    response = client.post(reverse("intake:status", args=[report.number]), {"to": "gereed", "version": report.version})
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RECEIVED


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, noord):
    response = client.get(reverse("intake:detail", args=[noord["report"].number]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_visible_object_without_the_role_answers_403(client, house, intake_worker, regisseur):
    report = register_report(intake_worker, house)
    case = case_services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
        process_director=regisseur,
    )
    partner_director = member(house, Role.CASE_DIRECTOR)
    case_services.assign_directors(
        case, actor=regisseur, process_director=regisseur, case_director=partner_director, expected_version=case.version
    )
    client.force_login(partner_director)
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 200
    response = client.get(reverse("cases:action", args=[case.number, "afsluiten"]))
    assert response.status_code == 403
    assert "U heeft geen rechten om casussen af te sluiten" in response.content.decode()


def test_the_own_house_does_find_them(client, noord):
    """Control for the tests above: the same searches by a Noord-Limburg user do find the objects."""
    client.force_login(noord["worker"])
    inbox = client.get(reverse("intake:inbox") + f"?q={SECRET_SURNAME}")
    assert len(inbox.context["page_obj"].object_list) == 2
    cases = client.get(reverse("cases:list") + f"?q={SECRET_SURNAME}")
    assert [c.number for c in cases.context["page_obj"].object_list] == [noord["case"].number]
    assert client.get(reverse("cases:detail", args=[noord["case"].number])).status_code == 200
