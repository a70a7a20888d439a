"""Demo API clients for ZVH Parkstad and what they did, written through the services at past moments.

Three clients: the police district Parkstad submits meldingen (channel "Systeemkoppeling"), the Reclassering reports
progress on its plan actions from its own system, and ZSM Limburg (OM) posts a decision on a suspect known in an open
PGA case. Their tokens are fixed demo values (printed in the log), like the demo accounts' password: never in production.
"""

import datetime

from django.utils import timezone

from spil.api import services
from spil.api.models import ApiClient, Credential, CredentialKind, digest
from spil.cases.models import Case, CaseStatus
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Channel, Report
from spil.organisations.models import House, Partner
from spil.plans import services as plan_services
from spil.plans.models import ActionStatus
from spil.casetypes.models import CaseType

HOUSE = "parkstad"
CLIENTS = [
    # client id, name, partner, all houses?
    ("politie-parkstad", "Politie Parkstad – meldingen (demo)", "Politie eenheid Limburg, district Parkstad", False),
    ("reclassering-limburg", "Reclassering – voortgang (demo)", "Reclassering Nederland, regio Limburg", False),
    ("zsm-limburg", "ZSM Limburg (demo)", "ZSM Limburg", True),
]
MELDINGEN = [
    ("Herhaalde meldingen van overlast en bedreiging van buren; betrokkene weigert hulp.", "Procesregie op zorg en veiligheid."),
    ("Verward gedrag op straat (E33), derde keer deze maand; geen zorg in beeld.", "Afstemming zorg en veiligheid, toeleiding naar GGZ."),
    ("Jongere betrokken bij reeks inbraken; ouders vragen om hulp.", "Gezamenlijke aanpak met jeugdzorg en reclassering."),
]
FIRST_NAMES = ["Ricardo", "Sandra", "Kevin", "Dewi", "Ahmed", "Lotte"]
SURNAMES = [("", "Jongen"), ("van", "Loo"), ("", "Schmeitz"), ("de", "Wit"), ("", "Bemelmans"), ("", "Knops")]


def demo_token(client_id: str, kind: str = "token") -> str:
    return f"spil_demo_{client_id}_{kind}"


def counts() -> dict[str, int]:
    return {
        "API-koppelingen": ApiClient.objects.count(),
        "Meldingen via een koppeling": Report.objects.filter(channel=Channel.SYSTEM, created_by__api_client__isnull=False).count(),
    }


def _moment(ctx, days_ago: int, hour: int) -> datetime.datetime:
    day = (ctx.now - datetime.timedelta(days=days_ago)).date()
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), ctx.now)


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    if house is None or ApiClient.objects.exists():
        return
    clients = {}
    with clock.travel_to(_moment(ctx, 60, 9)):
        for client_id, name, partner_name, everywhere in CLIENTS:
            partner = Partner.objects.filter(name=partner_name).first()
            if partner is None:
                continue
            houses = list(House.objects.all()) if everywhere else [house]
            client = services.create_client(name=name, client_id=client_id, partner=partner, houses=houses)
            for kind in (CredentialKind.TOKEN, CredentialKind.SECRET):
                token = demo_token(client_id, kind)
                Credential.objects.create(client=client, kind=kind, digest=digest(token), hint=token[:10])
            clients[client_id] = client
            ctx.log(f"  API-koppeling {name}: token {demo_token(client_id)} (client secret {demo_token(client_id, 'secret')})")
    if "politie-parkstad" in clients:
        _submit(ctx, house, clients["politie-parkstad"])
    if "reclassering-limburg" in clients:
        _report_progress(ctx, clients["reclassering-limburg"])
    if "zsm-limburg" in clients:
        _zsm_decision(ctx, house, clients["zsm-limburg"])


def _submit(ctx, house, client) -> None:
    pga = CaseType.objects.get(code="pga")
    municipalities = list(house.municipalities.all())
    for index, (reason, request) in enumerate(MELDINGEN):
        moment = _moment(ctx, 20 - 8 * index, 10 + index)
        prefix, surname = SURNAMES[index]
        person = {
            "first_names": FIRST_NAMES[index],
            "surname_prefix": prefix,
            "surname": surname,
            "birth_date": datetime.date(1975 + ctx.rng.randrange(30), ctx.rng.randrange(1, 13), ctx.rng.randrange(1, 29)),
            "municipality": ctx.rng.choice(municipalities) if municipalities else None,
            "relation": "betrokkene",
        }
        fields = {
            "source_partner": client.partner,
            "reporter_name": ctx.rng.choice(["Wijkagent Peters", "Wijkagent Hendriks", "Brigadier Ramakers"]),
            "reporter_contact": "0900-8844",
            "channel": Channel.SYSTEM,
            "received_on": moment.date(),
            "reason": reason,
            "request": request,
            "requested_case_type": pga,
        }
        with clock.travel_to(moment):
            intake_services.register_report(actor=client.user, fields=fields, persons=[person], house=house)


def _report_progress(ctx, client) -> None:
    """The Reclassering's system reports on its running actions (as the casusregisseur otherwise does by hand)."""
    from spil.plans.models import Action

    from spil.access import policy

    # Only actions already running: an open one may be the plans demo's example of an action nobody started yet.
    running = policy.visible_client_actions(Action.objects.all(), client.user).filter(status=ActionStatus.RUNNING)
    actions = list(running.order_by("due_on", "pk")[:2])
    for action in actions:
        moment = max(_moment(ctx, 3, 14), action.updated_at + datetime.timedelta(hours=1))
        if moment > ctx.now:
            continue
        with clock.travel_to(moment):
            plan_services.report_progress(
                action,
                actor=client.user,
                status=ActionStatus.RUNNING,
                result="Gestart; eerste afspraak heeft plaatsgevonden (via koppeling).",
                expected_version=action.version,
            )


def _zsm_decision(ctx, house, client) -> None:
    moment = _moment(ctx, 2, 11)
    open_cases = Case.objects.filter(
        house=house, status=CaseStatus.OPEN, case_type__restricted=False, opened_at__lt=moment, persons__bsn__gt=""
    )
    case = (open_cases.filter(case_type__code="pga").first() or open_cases.first()) if open_cases.exists() else None
    if case is None:
        ctx.log("  geen open casus met een BSN voor een ZSM-beslissing")
        return
    person = case.persons.exclude(bsn="").first()
    with clock.travel_to(moment):
        services.record_zsm_decision(
            actor=client.user,
            bsn=person.bsn,
            decision="OM-strafbeschikking: taakstraf van 40 uur; bijzondere voorwaarde meldplicht reclassering.",
            reference=f"03/{ctx.rng.randrange(100000, 999999)}-{moment:%y}",
            decided_on=moment.date(),
        )
