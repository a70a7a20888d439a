"""Demo huisverboden and live signals for ZVH Parkstad, written through the services at believable moments.

Every case is opened by the weegtafel (the first table after the melding was ready). Two WTH cases of the demo
"regisseur": one huisverbod imposed eight days ago without a decision on extension yet (the
decision is due in two days and the end is near), and one imposed 25 days ago that the burgemeester extended to 28
days (it ends within three days). Two stagnating cases: one of "regisseur" with "casusregisseur" as casusregisseur, and
one without a procesregisseur (the bedrijfsbureau is told). The final `refresh` turns these, the phases due and the
other apps' deadlines into signals in Mijn werk for "regisseur", "casusregisseur" and "bedrijfsbureau". Their
notifications go out when the worker runs (`make demo` starts one).
"""

import datetime

from faker import Faker

from spil.cases import services as case_services
from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.deadlines import services
from spil.deadlines.models import ExtensionDecision, Measure, Signal
from spil.intake import services as intake_services
from spil.intake.models import Channel, ReportStatus
from spil.organisations.models import Partner, PartnerType
from spil.triage import services as triage_services
from spil.triage.models import Outcome

HOUSE = "parkstad"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def counts() -> dict[str, int]:
    return {
        "Huisverboden": Measure.objects.count(),
        "Open signalen": Signal.objects.open().count(),
    }


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    if house is None:
        return
    regisseur, intake = ctx.users["regisseur"], ctx.users["intake"]
    fake = Faker("nl_NL")
    fake.seed_instance(ctx.rng.randrange(2**32))
    municipalities = list(house.municipalities.order_by("name"))

    police = Partner.objects.filter(type=PartnerType.POLICE).order_by("pk").first()
    planner, weger = ctx.users["bedrijfsbureau"], ctx.users["weger"]

    def register(at, code, reason, request, relations):
        """A melding from the police, registered and ready for the weegtafel at `at`."""
        with clock.travel_to(at):
            municipality = ctx.rng.choice(municipalities)
            persons = [
                {
                    "first_names": fake.first_name_male() if index == 0 else fake.first_name_female(),
                    "surname": fake.last_name(),
                    "birth_date": fake.date_of_birth(minimum_age=23, maximum_age=55),
                    "municipality": municipality,
                    "relation": relation,
                }
                for index, relation in enumerate(relations)
            ]
            report = intake_services.register_report(
                actor=intake,
                house=house,
                persons=persons,
                fields={
                    "source_partner": police,
                    "reporter_name": f"{fake.first_name()} {fake.last_name()} (politie)",
                    "reporter_contact": f"06-{ctx.rng.randint(10_000_000, 99_999_999)}",
                    "channel": Channel.SYSTEM,
                    "received_on": clock.today(),
                    "reason": reason,
                    "request": request,
                    "requested_case_type": CaseType.objects.get(code=code),
                },
            )
        with clock.travel_to(at + 10 * MINUTE):
            intake_services.change_status(report, actor=intake, to=ReportStatus.READY)
        return report

    def weigh(reports_and_directors):
        """The first weegtafel after the meldingen were ready (the next weekly cut-off) decides on procesregie."""
        ready_at = max(report.ready_at for report, _ in reports_and_directors)
        starts_at = next_cutoff(ready_at) + HOUR
        with clock.travel_to(starts_at - 30 * MINUTE):
            session = triage_services.plan_session(
                actor=planner, house=house, starts_at=starts_at, location="ZVH Parkstad, Heerlen", participants=[weger, regisseur]
            )
        reports = {report.pk: director for report, director in reports_and_directors}
        if set(session.items.values_list("report_id", flat=True)) != set(reports):
            raise RuntimeError(f"Agenda van {session} wijkt af van de planning van de signalen-demo.")
        cases = []
        for minutes, item in enumerate(session.items.select_related("report__requested_case_type").order_by("order")):
            with clock.travel_to(starts_at + (minutes + 1) * 10 * MINUTE):
                triage_services.decide(
                    item,
                    actor=weger,
                    ave_level=3,
                    outcome=Outcome.PROCESS_DIRECTION,
                    reasons="Zorg en veiligheid op meerdere leefgebieden; regie van het ZVH nodig.",
                    criteria={"multiple_life_domains", "serious_local_safety"},
                    process_director=reports[item.report_id],
                )
            cases.append(Case.objects.get(report=item.report))
        with clock.travel_to(starts_at + 2 * HOUR):
            triage_services.close_session(session, actor=planner)
        return cases

    def next_cutoff(moment):
        cutoff = triage_services.cutoff_for(house, moment)
        return cutoff if cutoff >= moment else cutoff + 7 * DAY

    def wth_case(imposed_at):
        """The police's notice of a huisverbod, weighed at the next table; the measure is recorded right after."""
        report = register(
            imposed_at + 2 * HOUR,
            "wth",
            "Huisverbod opgelegd door de burgemeester na huiselijk geweld; kinderen in het gezin.",
            "Hulpverlening starten en advies over verlenging van het huisverbod.",
            ["uithuisgeplaatste", "partner"],
        )
        [case] = weigh([(report, regisseur)])
        with clock.travel_to(case.opened_at + HOUR):
            measure = services.impose_measure(case, actor=regisseur, imposed_at=imposed_at)
        return case, measure

    now = ctx.now
    # Cases where nothing happened since the weegtafel took them up: one of "regisseur" with "casusregisseur" as
    # casusregisseur, and one still without a procesregisseur, which the bedrijfsbureau is told about.
    reason, request = "Aanhoudende overlast, zorgen over middelengebruik en dreiging richting buren.", "Procesregie op zorg en veiligheid."
    quiet, unassigned = weigh(
        [
            (register(now - 48 * DAY, "pga", reason, request, ["betrokkene"]), regisseur),
            (register(now - 48 * DAY + HOUR, "pga", reason, request, ["betrokkene"]), None),
        ]
    )
    with clock.travel_to(quiet.opened_at + 3 * HOUR):
        case_services.assign_directors(
            quiet,
            actor=planner,
            process_director=regisseur,
            case_director=ctx.users["casusregisseur"],
            expected_version=quiet.version,
        )

    extended, measure = wth_case(now - 25 * DAY - 4 * HOUR)
    with clock.travel_to(measure.imposed_at + 9 * DAY):
        services.decide_extension(
            extended,
            actor=regisseur,
            measure=measure,
            decision=ExtensionDecision.EXTENDED,
            extended_until=measure.max_ends_at,
            note="Advies van politie en Veilig Thuis: dreiging nog niet weg.",
        )
    with clock.travel_to(now - 2 * DAY):
        case_services.add_note(extended, actor=regisseur, text="Overdracht aan het lokale team voorbereid voor na afloop.")

    undecided, _ = wth_case(now - 8 * DAY - 5 * HOUR)
    with clock.travel_to(now - 12 * HOUR):
        case_services.add_note(undecided, actor=regisseur, text="Afstemming met Veilig Thuis en het maatschappelijk werk over het advies.")

    with clock.travel_to(now):
        result = services.refresh(now)
    ctx.log(f"  signalen: {result.opened} open, waarvan {Signal.objects.open().filter(recipients=regisseur).count()} voor 'regisseur'")
