"""The partner-API scenarios of the performance harness (`manage.py bench_fixtures`): the requests they emit are
accepted by the real API, each virtual user is its own machine client with ordinary access, and a second run on the
same database reuses the clients, their tokens and the meldingen they submitted before."""

import json
import uuid

import pytest
from django.test import Client

from spil.api.models import ApiClient
from spil.api.testing import VALID_BSN, open_case
from spil.demo.management.commands.bench_fixtures import SEEDED_REPORTS, Command
from spil.intake.models import Report
from spil.organisations.models import Membership, PartnerType, Role
from spil.testing.factories import PartnerFactory, member, person_data, register_report

pytestmark = pytest.mark.django_db


def send(user: dict, spec: dict):
    """One request as bench/scenarios.py builds it: `{unique}` replaced, an Idempotency-Key when asked for."""
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in user["headers"].items()}
    if spec.get("idempotent"):
        headers["HTTP_IDEMPOTENCY_KEY"] = uuid.uuid4().hex
    if "json" in spec:
        body = json.dumps(spec["json"]).replace("{unique}", uuid.uuid4().hex)
        return Client().generic(spec.get("method", "POST"), spec["path"], body, content_type="application/json", **headers)
    return Client().get(spec["path"], **headers)


def scenarios(house) -> dict:
    command = Command()
    command.count = 2
    return {
        "api_report_create": command.each_client(command.report_clients([house]), command.report_submissions),
        "api_report_list": command.each_client(command.report_clients([house]), command.report_lists),
        "zsm_query": command.each_client(command.zsm_clients([house]), command.zsm_questions),
    }


def test_api_scenarios_are_accepted_by_the_api_and_rerun_on_the_same_database(house, other_house):
    PartnerFactory(name="Politie Limburg", type=PartnerType.POLICE)
    PartnerFactory(name="ZSM Limburg", type=PartnerType.PROSECUTION)
    open_case(house, intake=member(house, Role.INTAKE), director=member(house, Role.PROCESS_DIRECTOR), persons=[person_data(bsn=VALID_BSN)])

    first = scenarios(house)
    answers = {}
    for name, users in first.items():
        for user in users:
            for spec in user["requests"]:
                response = send(user, spec)
                assert response.status_code in spec.get("ok", [200]), (name, spec["path"], response.content)
                answers.setdefault(name, []).append(response.json())

    assert all(len(page["results"]) == 25 for page in answers["api_report_list"])  # a full first page
    assert {answer["bekend"] for answer in answers["zsm_query"]} == {True, False}  # hits and no-hits
    clients = ApiClient.objects.filter(client_id__startswith="bench-")
    assert clients.count() == 2  # meldingen and ZSM for the one house
    for client in clients:
        assert not client.user.is_superuser and not client.user.is_staff
        assert set(Membership.objects.filter(user=client.user).values_list("house", "role")) == {(house.pk, Role.API_CLIENT)}

    again = scenarios(house)
    assert ApiClient.objects.filter(client_id__startswith="bench-").count() == 2
    assert again["zsm_query"][0]["headers"] == first["zsm_query"][0]["headers"]  # the same token
    reports = Report.objects.filter(created_by__api_client__client_id=f"bench-meldingen-{house.code}").count()
    assert reports == SEEDED_REPORTS + sum(len(user["requests"]) for user in first["api_report_create"])


def test_name_searches_are_encoded_and_find_the_person(client, house):
    """The first four letters of "Lim Tan" end in a space: sent as typed, the load generator refused the path."""
    intake = member(house, Role.INTAKE)
    register_report(intake, house, persons=[person_data(surname_prefix="", surname="Lim Tan")])
    [path] = Command().name_searches(intake, house)
    assert path == "/personen/?q=Lim+"
    client.force_login(intake)
    assert "Lim Tan" in client.get(path).content.decode()


def test_searches_ask_for_the_house_s_own_persons_not_those_of_the_harness_s_meldingen(house):
    """Every run's API scenario registers thousands of meldingen with a few names and no BSN; the next run's searches
    still ask for the persons of the house's own meldingen."""
    intake = member(house, Role.INTAKE)
    register_report(intake, house, persons=[person_data(surname_prefix="", surname="Zeeman", bsn=VALID_BSN)])
    command = Command()
    command.count = 1
    [(client, _house)] = command.report_clients([house])
    command.seed_reports(client, house)

    assert Report.objects.filter(created_by=client.user).count() == SEEDED_REPORTS
    assert command.name_searches(intake, house) == ["/personen/?q=Zeem"]
    assert command.bsn_searches(intake, house) == [f"/personen/?q={VALID_BSN}"]
