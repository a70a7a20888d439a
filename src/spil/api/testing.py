"""Test helpers for the partner API (its own tests and tests/test_api_authorization.py), built through the services."""

import datetime
from dataclasses import dataclass

from rest_framework.test import APIClient

from spil.api import services
from spil.api.models import ApiClient
from spil.cases import services as case_services
from spil.casetypes.models import CaseType, LifeDomain
from spil.core import clock
from spil.intake import services as intake_services
from spil.organisations.models import PartnerType, Role
from spil.plans import services as plan_services
from spil.plans.models import Plan
from spil.testing.factories import PartnerFactory, member, person_data, register_report

VALID_BSN = "111222333"  # passes the 11-proef
OTHER_BSN = "123456782"


@dataclass
class Client:
    """A machine client with its token and an HTTP client that sends it."""

    client: ApiClient
    token: str

    @property
    def user(self):
        return self.client.user

    @property
    def http(self) -> APIClient:
        http = APIClient()
        http.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        return http


def make_client(name: str, partner, houses, *, rate_limit_per_minute: int = 1000) -> Client:
    client = services.create_client(
        name=name, client_id=name.lower().replace(" ", "-"), partner=partner, houses=houses, rate_limit_per_minute=rate_limit_per_minute
    )
    return Client(client, services.issue_credential(client))


def open_case(house, *, intake, director, code: str = "pga", persons=None):
    report = register_report(intake, house, persons=persons, requested_case_type=CaseType.objects.get(code=code))
    return case_services.open_case(
        actor=director,
        house=house,
        case_type=CaseType.objects.get(code=code),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=director,
    )


def running_plan(case, director, partners, answerers) -> Plan:
    """A plan in uitvoering with one action (huisvesting) per partner; `answerers` confirm for their partners."""
    domain = LifeDomain.objects.get(code="huisvesting")
    plan = plan_services.start_plan(case, actor=director)
    for number, partner in enumerate(partners):
        plan_services.add_action(
            plan,
            actor=director,
            life_domain=domain,
            description=f"Actie {number + 1} van {partner}",
            partner=partner,
            responsible=None,
            start_on=clock.today(),
            due_on=clock.today() + datetime.timedelta(days=30 + number),
        )
    plan.refresh_from_db()
    plan_services.request_confirmations(plan, actor=director, expected_version=plan.version)
    for confirmation in plan_services.open_confirmations(plan):
        answerer = next(user for user in answerers if plan_services.acts_for(user, case, confirmation.partner))
        plan_services.answer_confirmation(confirmation, actor=answerer, confirmed=True, reason="")
    plan.refresh_from_db()
    plan_services.offer(plan, actor=director, offered_on=clock.today(), expected_version=plan.version)
    plan_services.accept(
        plan, actor=director, decided_on=clock.today(), agreement="mondeling", note="Akkoord", expected_version=plan.version
    )
    plan_services.start(plan, actor=director, started_on=clock.today(), expected_version=plan.version)
    plan.refresh_from_db()
    return plan


@dataclass
class Clients:
    police: object
    ggz: object
    om: object
    a: Client  # the police's client in the house
    b: Client  # the GGZ's client in the house
    zsm: Client  # the OM's client, both houses
    elsewhere: Client  # the police's client in the other house only


def make_clients(house, other_house) -> Clients:
    police = PartnerFactory(name="Politie Limburg", type=PartnerType.POLICE)
    ggz = PartnerFactory(name="Mondriaan", type=PartnerType.MENTAL_HEALTH)
    om = PartnerFactory(name="ZSM Limburg", type=PartnerType.PROSECUTION)
    return Clients(
        police,
        ggz,
        om,
        a=make_client("Politie meldingen", police, [house]),
        b=make_client("Mondriaan koppeling", ggz, [house]),
        zsm=make_client("ZSM OM", om, [house, other_house]),
        elsewhere=make_client("Politie Noord", police, [other_house]),
    )


@dataclass
class Cases:
    case: object  # open PGA case of the house; its person has VALID_BSN
    restricted_case: object
    foreign_case: object  # in the other house
    actions: dict  # name -> Action: "police" and "ggz" in `case`, "restricted", "foreign" (both the police's)


def make_cases(clients: Clients, house, other_house) -> Cases:
    """An open PGA case with a running plan holding an action for the police and one for the GGZ; a restricted case
    and a case in the other house, each with a running plan holding an action for the police."""
    police, ggz = clients.police, clients.ggz
    intake, director = member(house, Role.INTAKE), member(house, Role.PROCESS_DIRECTOR)
    other_intake, other_director = member(other_house, Role.INTAKE), member(other_house, Role.PROCESS_DIRECTOR)
    case = open_case(house, intake=intake, director=director, persons=[person_data(bsn=VALID_BSN, surname="Gewoon")])
    restricted_case = open_case(
        house, intake=intake, director=director, code="pga-radicalisering", persons=[person_data(surname="Afgeschermd")]
    )
    foreign_case = open_case(other_house, intake=other_intake, director=other_director, persons=[person_data(surname="Elders")])
    plan = running_plan(case, director, [police, ggz], [clients.a.user, clients.b.user])
    # Restricted: the clients are no team members and act for nobody there; the team's partner user confirms.
    helper = member(house, Role.PROFESSIONAL, partner=police)
    case_services.add_team_member(restricted_case, actor=director, user=helper, role="professional", access="samenvatting")
    restricted_plan = running_plan(restricted_case, director, [police], [helper])
    foreign_plan = running_plan(foreign_case, other_director, [police], [clients.elsewhere.user])
    actions = {
        "police": plan.actions.get(partner=police),
        "ggz": plan.actions.get(partner=ggz),
        "restricted": restricted_plan.actions.get(),
        "foreign": foreign_plan.actions.get(),
    }
    return Cases(case, restricted_case, foreign_case, actions)


def make_enrichments(clients: Clients, house, other_house) -> dict:
    """Questions to the police and the GGZ about meldingen of the house, and to the police by the other house."""

    def ask(house_, partner):
        worker = member(house_, Role.INTAKE)
        report = register_report(worker, house_, persons=[person_data(surname="Verrijking")])
        return intake_services.request_enrichment(
            report, actor=worker, partner=partner, question="Is betrokkene bij u bekend?", requested_on=clock.today()
        )

    return {"police": ask(house, clients.police), "ggz": ask(house, clients.ggz), "foreign": ask(other_house, clients.police)}


def melding(house=None, **overrides) -> dict:
    body = {
        "huis": house.code if house is not None else None,
        "thema": "pga",
        "melder_naam": "Wijkagent De Boer",
        "melder_bereikbaarheid": "06-12345678",
        "aanleiding": "Herhaalde overlast en zorgen over de thuissituatie.",
        "hulpvraag": "Procesregie op zorg en veiligheid.",
        "personen": [
            {"voornamen": "Piet", "tussenvoegsel": "van der", "achternaam": "Meer", "geboortedatum": "1988-03-01", "bsn": OTHER_BSN}
        ],
    }
    body.update(overrides)
    return body


def submit(client: Client, house, **overrides):
    from spil.intake.models import Report

    response = client.http.post("/api/v1/meldingen", melding(house, **overrides), format="json")
    assert response.status_code == 201, response.content
    return Report.objects.get(number=response.json()["nummer"])
