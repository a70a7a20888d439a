"""A partner's actions: only its own, of accepted and running plans in open cases that are not restricted, in its
houses; progress through plans.services.report_progress with If-Match (428 without, 412 when stale)."""

import pytest

from spil.api.testing import open_case
from spil.cases import services as case_services
from spil.core import clock
from spil.logbook.models import Action as LogAction
from spil.logbook.models import AuditEvent, AuditRecord, ProcessingRecord
from spil.organisations.models import Role
from spil.plans import services as plan_services
from spil.plans.models import ActionStatus, ActionUpdate
from spil.testing.factories import member
from spil.timeline.models import Event

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

ACTION_FIELDS = {
    "id",
    "casusnummer",
    "planversie",
    "leefgebied",
    "omschrijving",
    "partner",
    "start",
    "gereed_uiterlijk",
    "status",
    "status_omschrijving",
    "resultaat",
    "herkomst",
    "versie",
}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_client_sees_only_its_partners_actions_in_its_houses(clients, cases):
    actions = cases.actions
    assert ids(clients.a.http.get("/api/v1/acties")) == {actions["police"].pk}  # not the restricted case's, not the other house's
    assert ids(clients.b.http.get("/api/v1/acties")) == {actions["ggz"].pk}
    assert ids(clients.elsewhere.http.get("/api/v1/acties")) == {actions["foreign"].pk}
    assert ids(clients.zsm.http.get("/api/v1/acties")) == set()


def test_a_listed_action_shows_the_action_and_nothing_else_of_the_dossier(clients, cases):
    row = clients.a.http.get("/api/v1/acties").json()["results"][0]
    assert set(row) == ACTION_FIELDS
    assert row["casusnummer"] == cases.case.number and row["partner"] == "Politie Limburg"
    assert "Gewoon" not in clients.a.http.get(f"/api/v1/acties/{row['id']}").content.decode()  # the person's surname


def test_actions_of_a_plan_not_yet_accepted_are_not_listed(clients, cases, house):
    from spil.casetypes.models import LifeDomain

    director = member(house, Role.PROCESS_DIRECTOR)
    other = open_case(house, intake=member(house, Role.INTAKE), director=director)
    plan = plan_services.start_plan(other, actor=director)
    plan_services.add_action(
        plan,
        actor=director,
        life_domain=LifeDomain.objects.get(code="huisvesting"),
        description="Nog in concept",
        partner=clients.police,
        responsible=None,
        start_on=clock.today(),
        due_on=clock.today(),
    )
    assert ids(clients.a.http.get("/api/v1/acties")) == {cases.actions["police"].pk}


def test_a_closed_case_takes_its_actions_out_of_sight(clients, cases):
    case = cases.case
    case_services.close_case(case, actor=case.process_director, result="doel_bereikt", note="", expected_version=case.version)
    assert ids(clients.a.http.get("/api/v1/acties")) == set()
    assert_problem(clients.a.http.get(f"/api/v1/acties/{cases.actions['police'].pk}"), 404)


@pytest.mark.parametrize("name", ["ggz", "restricted", "foreign"])
def test_another_partners_or_a_restricted_or_foreign_action_is_404(clients, cases, name):
    action = cases.actions[name]
    assert_problem(clients.a.http.get(f"/api/v1/acties/{action.pk}"), 404)
    assert_problem(
        clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "loopt"}, HTTP_IF_MATCH=f'"{action.pk}-{action.version}"'),
        404,
    )
    denied = AuditRecord.objects.filter(event=AuditEvent.DENIED, user=clients.a.user).values_list("detail", flat=True)
    assert set(denied) == {f"404 GET /api/v1/acties/{action.pk}", f"404 POST /api/v1/acties/{action.pk}/voortgang"}


def test_the_action_carries_its_version_as_etag(clients, cases):
    action = cases.actions["police"]
    response = clients.a.http.get(f"/api/v1/acties/{action.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"{action.pk}-{action.version}"'
    assert response.json()["voortgang"] == []


def test_progress_without_if_match_is_428(clients, cases):
    action = cases.actions["police"]
    assert_problem(clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "loopt"}), 428)
    assert_problem(clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "loopt"}, HTTP_IF_MATCH="*"), 428)
    assert not ActionUpdate.objects.exists()


def test_progress_is_reported_through_the_plans_service(clients, cases):
    action = cases.actions["police"]
    tag = clients.a.http.get(f"/api/v1/acties/{action.pk}")["ETag"]

    response = clients.a.http.post(
        f"/api/v1/acties/{action.pk}/voortgang", {"status": "loopt", "resultaat": "Eerste gesprek gevoerd"}, HTTP_IF_MATCH=tag
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] != tag and response["ETag"] == f'"{action.pk}-{action.version + 1}"'
    body = response.json()
    assert body["status"] == "loopt" and body["resultaat"] == "Eerste gesprek gevoerd"
    assert [(row["status"], row["resultaat"]) for row in body["voortgang"]] == [("loopt", "Eerste gesprek gevoerd")]
    update = ActionUpdate.objects.get(action=action)
    assert update.actor == clients.a.user and update.status == ActionStatus.RUNNING
    assert Event.objects.filter(case=cases.case, actor=clients.a.user, text__startswith="Voortgang actie van Politie Limburg").exists()
    assert ProcessingRecord.objects.filter(action=LogAction.UPDATE, object_ref=cases.case.number).exists()


def test_a_stale_etag_is_412_and_changes_nothing(clients, cases, house):
    action = cases.actions["police"]
    tag = clients.a.http.get(f"/api/v1/acties/{action.pk}")["ETag"]
    # Meanwhile the regisseur reports progress in the web pages.
    action.refresh_from_db()
    plan_services.report_progress(
        action, actor=cases.case.process_director, status="loopt", result="Via de regisseur", expected_version=action.version
    )

    problem = assert_problem(
        clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "gereed", "resultaat": "Klaar"}, HTTP_IF_MATCH=tag), 412
    )

    assert "gewijzigd" in problem["detail"]
    action.refresh_from_db()
    assert action.status == ActionStatus.RUNNING and action.result == "Via de regisseur"


def test_progress_input_is_validated_and_the_plans_rules_apply(clients, cases):
    action = cases.actions["police"]
    tag = f'"{action.pk}-{action.version}"'
    problem = assert_problem(clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "half"}, HTTP_IF_MATCH=tag), 400)
    assert [param["name"] for param in problem["invalid-params"]] == ["status"]
    # The plans service: "niet mogelijk" needs an explanation.
    refused = assert_problem(
        clients.a.http.post(f"/api/v1/acties/{action.pk}/voortgang", {"status": "niet_mogelijk"}, HTTP_IF_MATCH=tag), 400
    )
    assert "Licht toe" in refused["detail"]
    assert not ActionUpdate.objects.exists()


def test_reading_actions_is_logged_for_the_cases_shown(clients, cases):
    clients.a.http.get("/api/v1/acties")
    clients.a.http.get(f"/api/v1/acties/{cases.actions['police'].pk}")
    reads = ProcessingRecord.objects.filter(action=LogAction.READ, object_ref__in=["lijst casussen", cases.case.number])
    assert set(reads.values_list("object_ref", flat=True)) == {"lijst casussen", cases.case.number}


def test_the_status_filter(clients, cases):
    assert ids(clients.a.http.get("/api/v1/acties?status=open")) == {cases.actions["police"].pk}
    assert ids(clients.a.http.get("/api/v1/acties?status=gereed")) == set()
