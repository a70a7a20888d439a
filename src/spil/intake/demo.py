"""Demo meldingen on every meldformulier for ZVH Parkstad, written through the services at past moments (see
`spil.demo.extensions`).

- Detention notices: one taken up by the weegtafel as a nazorg case and one as a BIJ case; one routed to the local
  level and handed over to the gemeente Kerkrade; one weighed without action; one without a fixed address (the
  intake chose the house and says why); and one whose release is nine days away without a plan, so the signal
  "Vrijlating binnen 14 dagen zonder plan" is live for the intake and the bedrijfsbureau.
- i28 police reports (E33, E14), a Veilig Thuis routeertafel case and a ZSM buikpijncasus.
- Restricted: a radicalisation signal, and a human-trafficking signal about a victim and, in a melding of its own, the
  suspected perpetrator; the victim's melding becomes a ZOCO case, the suspect's is routed to the police.

Weighed meldingen go to a weegtafel of their own, planned right after they were ready, so no melding of this demo is
left waiting on a later agenda.
"""

import datetime

from django.utils import timezone
from faker import Faker

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import channels, nazorg
from spil.intake import services as intake_services
from spil.intake.models import Handover, Report, ReportStatus
from spil.organisations.models import Partner, PartnerType
from spil.triage import services as triage_services
from spil.triage.models import Outcome

HOUSE = "parkstad"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def counts() -> dict[str, int]:
    return {
        "Meldingen op een eigen meldformulier": Report.objects.exclude(form=channels.GENERAL).count(),
        "Nazorg overgedragen aan de gemeente": Handover.objects.count(),
    }


class Builder:
    def __init__(self, ctx, house):
        self.ctx, self.house = ctx, house
        self.intake, self.planner = ctx.users["intake"], ctx.users["bedrijfsbureau"]
        self.weger, self.regisseur = ctx.users["weger"], ctx.users["regisseur"]
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(ctx.rng.randrange(2**32))
        self.municipalities = {m.name: m for m in house.municipalities.order_by("name")}

    def at(self, days_ago: float, hour: int = 10) -> datetime.datetime:
        day = timezone.localdate(self.ctx.now - datetime.timedelta(days=days_ago))  # a Dutch day, as `date` counts them
        return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), self.ctx.now - HOUR)

    def date(self, days_from_now: int) -> str:
        return (timezone.localdate(self.ctx.now) + datetime.timedelta(days=days_from_now)).isoformat()

    def partner(self, kind: str) -> Partner:
        partners = Partner.objects.order_by("pk")
        return partners.filter(type=kind).first() or partners.first()

    def person(self, *, municipality: str | None = "Heerlen", minimum_age=23, maximum_age=55, male=True, relation="betrokkene") -> dict:
        home = self.municipalities.get(municipality) if municipality else None
        person = {
            "first_names": self.fake.first_name_male() if male else self.fake.first_name_female(),
            "surname": self.fake.last_name(),
            "birth_date": self.fake.date_of_birth(minimum_age=minimum_age, maximum_age=maximum_age),
            "relation": relation,
        }
        if home is not None:
            person.update(address=self.fake.street_address(), city=home.name, municipality=home)
        return person

    def register(
        self, days_ago, form, *, partner, reporter, reason, request, details, persons=None, house_reason="", case_type=None
    ) -> Report:
        definition = channels.get(form)
        with clock.travel_to(self.at(days_ago)):
            return intake_services.register_report(
                actor=self.intake,
                house=self.house,
                routing_reason=house_reason,
                persons=persons or [self.person()],
                details=details,
                fields={
                    "form": form,
                    "source_partner": self.partner(partner),
                    "reporter_name": reporter,
                    "reporter_contact": f"06-{self.ctx.rng.randint(10_000_000, 99_999_999)}",
                    "channel": definition.channel,
                    "received_on": clock.today(),
                    "reason": reason,
                    "request": request,
                    "requested_case_type": CaseType.objects.get(code=case_type or definition.case_type),
                },
            )

    def weigh(self, decisions: list[tuple[Report, dict]]) -> datetime.datetime:
        """Ready the meldingen and decide on them at a weegtafel planned for the next cut-off; returns when it ended."""
        for report, _ in decisions:
            with clock.travel_to(report.created_at + 2 * DAY):
                intake_services.change_status(report, actor=self.intake, to=ReportStatus.READY)
                report.refresh_from_db()
        ready_at = max(report.ready_at for report, _ in decisions)
        cutoff = triage_services.cutoff_for(self.house, ready_at)
        starts_at = (cutoff if cutoff >= ready_at else cutoff + 7 * DAY) + HOUR
        with clock.travel_to(starts_at - HOUR / 2):
            session = triage_services.plan_session(
                actor=self.planner,
                house=self.house,
                starts_at=starts_at,
                location="ZVH Parkstad, Heerlen",
                participants=[self.weger, self.regisseur],
            )
        decided = {report.pk: decision for report, decision in decisions}
        if set(session.items.values_list("report_id", flat=True)) != set(decided):
            raise RuntimeError(f"Agenda van {session} wijkt af van de planning van de meldformulieren-demo.")
        for minutes, item in enumerate(session.items.order_by("order"), start=1):
            with clock.travel_to(starts_at + minutes * 10 * datetime.timedelta(minutes=1)):
                triage_services.decide(item, actor=self.weger, **decided[item.report_id])
        with clock.travel_to(starts_at + 2 * HOUR):
            triage_services.close_session(session, actor=self.planner)
        return starts_at + 2 * HOUR

    def detention(self, days_ago, *, article, offence, release_in, persons=None, house_reason="", case_type=None, **risks) -> Report:
        details = {
            "article": article,
            "establishment": self.ctx.rng.choice(
                ["PI Limburg Zuid, locatie Overmaze", "PI Limburg Zuid, locatie De Geerhorst", "PI Sittard"]
            ),
            "detention_start": self.date(-days_ago - self.ctx.rng.randint(60, 400)),
            "expected_release": self.date(release_in),
            "offence_category": offence,
            "adult": True,
            **risks,
        }
        return self.register(
            days_ago,
            channels.DETENTION,
            partner=PartnerType.PRISON,
            reporter="Casemanager PI",
            reason="Detentiemelding: terugkeer naar de regio na detentie.",
            request="Triage van de nazorg; risico-inventarisatie en zo nodig advies aan de burgemeester.",
            details=details,
            persons=persons,
            house_reason=house_reason,
            case_type=case_type,
        )


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    if house is None or not all(name in ctx.users for name in ("intake", "bedrijfsbureau", "weger", "regisseur")):
        return
    b = Builder(ctx, house)
    procesregie = {
        "ave_level": 3,
        "outcome": Outcome.PROCESS_DIRECTION,
        "criteria": {"multiple_life_domains"},
        "process_director": b.regisseur,
    }

    # Detention notices and their nazorg.
    nazorg_case = b.detention(
        130,
        article="art-18b",
        offence="zeden",
        release_in=95,
        risk_housing="Geen woning na vrijlating; ingeschreven als woningzoekende nodig.",
        risk_id="ID-kaart verlopen.",
        risk_debts="Schulden bij CJIB en zorgverzekeraar.",
    )
    bij_case = b.detention(
        125,
        article="bij",
        offence="tbs",
        release_in=210,
        case_type="bij",
        mayor_advice="Terugkeer naar de oude wijk afraden; gebiedsverbod overwegen.",
        oov_contact="Contactfunctionaris OOV Heerlen",
        advice_given_on=b.date(-125),
    )
    local = b.detention(
        80,
        article="art-18",
        offence="anders",
        release_in=-20,
        persons=[b.person(municipality="Kerkrade")],
        risk_work_income="Uitkering aanvragen vóór vrijlating.",
        risk_housing="Kan terug naar zijn moeder in Kerkrade.",
    )
    nothing = b.detention(75, article="art-18", offence="anders", release_in=-5)
    weighed = b.weigh(
        [
            (nazorg_case, {**procesregie, "reasons": "Problemen op meerdere leefgebieden; nazorgcoördinatie van het ZVH nodig."}),
            (bij_case, {**procesregie, "reasons": "TBS: risico-inventarisatie en advies aan de burgemeester."}),
            (
                local,
                {
                    "ave_level": 2,
                    "outcome": Outcome.LOCAL,
                    "routed_to": "Gemeente Kerkrade",
                    "reasons": "Enkelvoudige vragen over inkomen en woonruimte.",
                },
            ),
            (nothing, {"ave_level": 1, "outcome": Outcome.NO_ACTION, "reasons": "Reclassering begeleidt al; geen vraag aan het ZVH."}),
        ]
    )
    with clock.travel_to(weighed + DAY):
        nazorg.hand_over_to_municipality(
            local,
            actor=b.intake,
            municipality=b.municipalities.get("Kerkrade") or house.municipalities.first(),
            reason="Weegtafel: enkelvoudige vragen over uitkering en woonruimte; de gemeente Kerkrade pakt de nazorg op.",
        )
    b.detention(  # about 1 in 6 detention notices: no fixed address; the intake chooses the house and says why
        12,
        article="art-18",
        offence="ernstig-geweld",
        release_in=40,
        persons=[b.person(municipality=None)],
        house_reason="Geen vaste woonplaats; voor de detentie verbleef hij in de nachtopvang in Heerlen.",
    )
    b.detention(  # release in 9 days, nobody has a plan yet: the signal is live
        20,
        article="art-18",
        offence="ernstig-geweld",
        release_in=9,
        risk_housing="Geen woonadres na vrijlating.",
        risk_care="Behandeling GGZ tijdens detentie gestart; overdracht nodig.",
    )

    # Police reports on confused behaviour (i28), Veilig Thuis, ZSM.
    b.register(
        15,
        "i28",
        partner=PartnerType.POLICE,
        reporter="Wijkagent basisteam Heerlen",
        reason="Man roept al dagen op straat en bedreigt voorbijgangers; eerder E33-meldingen.",
        request="Screening en passende zorg.",
        details={"code": "e33", "incident_on": b.date(-17), "police_unit": "Basisteam Heerlen", "screening_outcome": "bemoeizorg"},
    )
    b.register(
        4,
        "i28",
        partner=PartnerType.POLICE,
        reporter="Politie eenheid Limburg",
        reason="Vrouw na suïcidepoging thuis; geen behandelaar in beeld.",
        request="Screening en toeleiding naar zorg.",
        details={"code": "e14", "incident_on": b.date(-5), "police_unit": "Basisteam Kerkrade"},
        persons=[b.person(municipality="Kerkrade", male=False)],
    )
    b.register(
        9,
        "routeertafel-vt",
        partner=PartnerType.DOMESTIC_VIOLENCE,
        reporter="Veilig Thuis Zuid-Limburg",
        reason="Herhaald partnergeweld; kinderen getuige.",
        request="Bespreken aan de routeertafel en een regisseur benoemen.",
        details={
            "vt_reference": f"VT-{ctx.rng.randint(100000, 999999)}",
            "violence_types": ["partnergeweld", "kindermishandeling"],
            "children": 2,
            "proposed_director": "Wijkteam Landgraaf",
        },
        persons=[b.person(municipality="Landgraaf"), b.person(municipality="Landgraaf", male=False, relation="partner")],
    )
    b.register(
        6,
        "zsm",
        partner=PartnerType.PROSECUTION,
        reporter="Officier van justitie ZSM",
        reason="Winkeldiefstal, maar verward en zonder woning; derde keer dit jaar.",
        request="Contextinformatie en zorg rond de verdachte.",
        details={
            "offence": "Winkeldiefstal",
            "zsm_decision": "strafbeschikking",
            "decision_on": b.date(-6),
            "parket_number": f"03/{ctx.rng.randint(100000, 999999)}-{timezone.localdate(ctx.now):%y}",
            "concern": "Verward, slaapt buiten en mijdt hulp; ZSM verwacht herhaling zonder zorg.",
        },
    )

    # Restricted: radicalisation, and human trafficking with victim and suspect in separate meldingen.
    b.register(
        25,
        "radicalisering",
        partner=PartnerType.MUNICIPALITY,
        reporter="Gemeente Heerlen, team OOV",
        reason="Jongeman deelt extremistische filmpjes en zoekt contact met een bekende groep.",
        request="Weging aan de provinciale weegtafel.",
        details={"ideology": "rechts-extremistisch", "signal_on": b.date(-27), "violence_indications": False},
        persons=[b.person(minimum_age=18, maximum_age=22)],
    )
    victim = b.register(
        55,
        channels.TRAFFICKING,
        partner=PartnerType.MUNICIPALITY,
        reporter="Aandachtsfunctionaris mensenhandel",
        reason="Vrouw werkt in een massagesalon, woont op het werkadres en heeft haar paspoort niet.",
        request="Zorgcoördinatie: opvang en bescherming.",
        details={
            "role": "slachtoffer",
            "exploitation": "seksueel",
            "signalled_by": "Aandachtsfunctionaris gemeente Heerlen",
            "shelter_needed": True,
        },
        persons=[b.person(minimum_age=19, maximum_age=30, male=False)],
    )
    suspect = b.register(
        55,
        channels.TRAFFICKING,
        partner=PartnerType.MUNICIPALITY,
        reporter="Aandachtsfunctionaris mensenhandel",
        reason="Exploitant van een massagesalon; vermoedelijk betrokken bij uitbuiting.",
        request="Informatie bundelen voor het screeningsoverleg.",
        details={"role": "vermoedelijke-dader", "exploitation": "seksueel", "signalled_by": "Aandachtsfunctionaris gemeente Heerlen"},
    )
    b.register(
        30,
        channels.TRAFFICKING,
        partner=PartnerType.POLICE,
        reporter="Politie AVIM",
        reason="Arbeidsmigrant werkt zeven dagen per week voor zijn huisbaas en moet zijn loon afstaan.",
        request="Zorgcoördinatie en opvang.",
        details={"role": "slachtoffer", "exploitation": "arbeid"},
        persons=[b.person(minimum_age=25, maximum_age=45, municipality="Brunssum")],
    )
    b.weigh(
        [
            (
                victim,
                {
                    "ave_level": 3,
                    "outcome": Outcome.PROCESS_DIRECTION,
                    "criteria": {"serious_local_safety"},
                    "process_director": b.regisseur,
                    "reasons": "Slachtoffer van seksuele uitbuiting: zorgcoördinatie, opvang en bescherming.",
                },
            ),
            (
                suspect,
                {
                    "ave_level": 3,
                    "outcome": Outcome.PARTNER,
                    "routed_to": "Politie (AVIM) en RIEC Limburg",
                    "reasons": "Strafrechtelijk spoor; geen zorgcoördinatie voor de vermoedelijke dader.",
                },
            ),
        ]
    )
    ctx.log(
        f"  meldformulieren: {Report.objects.exclude(form=channels.GENERAL).count()} meldingen, {Handover.objects.count()} overdracht(en) nazorg"
    )
