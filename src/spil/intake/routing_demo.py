"""Demo data for regional intake and forwarding (see `spil.demo.extensions`), written through the services at past
moments:

- the central loket of Zuid-Limburg ("loket": one membership in Parkstad) registers via the region, and the
  routing rules pick Maastricht-Heuvelland and Westelijke Mijnstreek; a detention notice without a fixed address is
  registered for Parkstad by the intake's choice, with the reason;
- Noord-Limburg's intake registers a Mook en Middelaar melding on levensloop, which the rules send to Gelderland-Zuid,
  and one on a huisverbod with criminal law, which stays in Noord-Limburg;
- forwardings: Noord-Limburg → Midden-Limburg accepted, Midden-Limburg → Noord-Limburg declined, and Noord-Limburg →
  Gelderland-Zuid still waiting for "intake-gelderland".

The organisations (regions, Gelderland-Zuid, contacts, routing rules) are set up in `demo.generator`.
"""

import datetime

from django.utils import timezone
from faker import Faker

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import forwarding
from spil.intake import services as intake_services
from spil.intake.models import Channel, Forwarding, ForwardingStatus, Report
from spil.organisations.models import IntakeRegion, Municipality, Partner, PartnerType
from spil.persons.bsn import check_digit
from spil.persons.models import Person

HOUR = datetime.timedelta(hours=1)
USERS = ["loket", "intake-noord", "intake-midden", "intake-gelderland"]


def counts() -> dict[str, int]:
    return {
        "Meldingen via een intakeregio": Report.objects.filter(intake_region__isnull=False).count(),
        "Meldingen gerouteerd door een regel": Report.objects.filter(routing_note__startswith="Regel:").count(),
        **{f"Doorzendingen {status.label.lower()}": Forwarding.objects.filter(status=status).count() for status in ForwardingStatus},
    }


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.users = {name: ctx.users[name] for name in USERS}
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(ctx.rng.randrange(2**32))
        self.bsns = self._fresh_bsns()

    def at(self, days_ago: float, hour: int = 10) -> datetime.datetime:
        day = (self.ctx.now - datetime.timedelta(days=days_ago)).date()
        return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), self.ctx.now - HOUR)

    @staticmethod
    def _fresh_bsns():
        """Test BSNs (11-proef) from the 9990xxxxx range, which the generator's history does not reach; none reused."""
        used = set(Person.objects.filter(bsn__startswith="9990").values_list("bsn", flat=True))
        for n in range(10_000):
            head = f"9990{n:04d}"
            if (check := check_digit(head)) is not None and f"{head}{check}" not in used:
                yield f"{head}{check}"

    def person(self, municipality: str | None, **extra) -> dict:
        male = self.ctx.rng.random() < 0.7
        data = {
            "first_names": self.fake.first_name_male() if male else self.fake.first_name_female(),
            "surname": self.fake.last_name().split()[-1],
            "birth_date": datetime.date(self.ctx.rng.randint(1965, 2004), self.ctx.rng.randint(1, 12), self.ctx.rng.randint(1, 28)),
            "bsn": next(self.bsns),
            "relation": "betrokkene",
        }
        if municipality is not None:
            data["municipality"] = Municipality.objects.get(name=municipality)
            data["city"] = municipality
        return {**data, **extra}

    def register(
        self,
        who: str,
        days_ago: float,
        *,
        case_type: str,
        source: str,
        reason: str,
        request: str,
        person: dict,
        region: str | None = None,
        house: str | None = None,
        routing_reason: str = "",
        criminal_law: bool = False,
    ):
        with clock.travel_to(self.at(days_ago)):
            fields = {
                "source_partner": Partner.objects.filter(type=source).order_by("name").first(),
                "reporter_name": f"{self.fake.first_name()} {self.fake.last_name()}",
                "reporter_contact": f"06-{self.ctx.rng.randint(10_000_000, 99_999_999)}",
                "channel": Channel.EMAIL,
                "received_on": clock.today(),
                "reason": reason,
                "request": request,
                "requested_case_type": CaseType.objects.get(code=case_type),
                "criminal_law": criminal_law,
            }
            return intake_services.register_report(
                actor=self.users[who],
                fields=fields,
                persons=[person],
                region=IntakeRegion.objects.get(code=region) if region else None,
                house=self.ctx.houses[house] if house else None,
                routing_reason=routing_reason,
            )

    def forward(self, report, who: str, days_ago: float, to: str, reason: str):
        with clock.travel_to(self.at(days_ago, 11)):
            return forwarding.forward(report, actor=self.users[who], to_house=self.ctx.houses[to], reason=reason)

    def build(self):
        # The central loket of Zuid-Limburg: the rules pick the house of the person's gemeente.
        self.register(
            "loket",
            20,
            region="zuid-limburg",
            case_type="pga",
            source=PartnerType.POLICE,
            person=self.person("Maastricht"),
            reason="Aanhoudende overlast in de wijk, bedreiging van buren en zorgen over middelengebruik.",
            request="Procesregie op zorg en veiligheid.",
        )
        self.register(
            "loket",
            18,
            region="zuid-limburg",
            case_type="via",
            source=PartnerType.POLICE,
            person=self.person("Sittard-Geleen"),
            reason="Derde i28-melding (E33) in een maand: verward gedrag op straat.",
            request="Integrale screening en toeleiding naar zorg.",
        )
        # A detention notice without a fixed address: the intake chooses the house and says why.
        self.register(
            "loket",
            15,
            region="zuid-limburg",
            house="parkstad",
            case_type="nazorg",
            source=PartnerType.PRISON,
            person=self.person(None),
            routing_reason="Geen vaste woonplaats; verblijft volgens de PI na vrijlating bij een broer in Heerlen.",
            reason="Vrijlating over vijf weken; geen woonadres en geen inkomen geregeld.",
            request="Nazorg: woonruimte, ID-bewijs en inkomen.",
        )
        # Noord-Limburg: Mook en Middelaar's levensloop goes to Gelderland-Zuid; with criminal law a huisverbod stays.
        self.register(
            "intake-noord",
            12,
            region="noord-limburg",
            case_type="levensloop",
            source=PartnerType.MENTAL_HEALTH,
            person=self.person("Mook en Middelaar"),
            reason="Ernstige psychiatrische problematiek met dreigend gedrag; geen strafrechtelijke titel.",
            request="Aanmelding voor de levensloopfunctie.",
        )
        self.register(
            "intake-noord",
            11,
            region="noord-limburg",
            case_type="wth",
            source=PartnerType.POLICE,
            criminal_law=True,
            person=self.person("Mook en Middelaar"),
            reason="Huisverbod opgelegd na mishandeling van de partner; aangifte gedaan.",
            request="Afstemming hulpverlening tijdens het huisverbod.",
        )
        # Forwardings between houses: accepted, declined and still waiting.
        moved = self.register(
            "intake-noord",
            25,
            house="noord-limburg",
            case_type="pga",
            source=PartnerType.PROBATION,
            person=self.person("Venray"),
            reason="Veelpleger met schulden en zonder dagbesteding.",
            request="Procesregie.",
        )
        offer = self.forward(
            moved, "intake-noord", 24, "midden-limburg", "Betrokkene is verhuisd naar Roermond en staat daar sinds kort ingeschreven."
        )
        with clock.travel_to(self.at(23, 14)):
            forwarding.accept(offer, actor=self.users["intake-midden"], note="Overgenomen; wij verrijken verder.")
        stays = self.register(
            "intake-midden",
            9,
            house="midden-limburg",
            case_type="consult-advies",
            source=PartnerType.MUNICIPALITY,
            person=self.person("Weert"),
            reason="Zorgen over verwaarlozing van de woning.",
            request="Advies over de aanpak.",
        )
        offer = self.forward(stays, "intake-midden", 8, "noord-limburg", "De familie van betrokkene woont in Venlo.")
        with clock.travel_to(self.at(7, 14)):
            forwarding.decline(
                offer,
                actor=self.users["intake-noord"],
                reason="Betrokkene woont en werkt in Weert; de familie in Venlo verandert dat niet.",
            )
        waiting = self.register(
            "intake-noord",
            4,
            house="noord-limburg",
            case_type="pga",
            source=PartnerType.MUNICIPALITY,
            person=self.person("Gennep"),
            reason="Escalerende burenruzie met bedreigingen.",
            request="Procesregie.",
        )
        self.forward(waiting, "intake-noord", 2, "gelderland-zuid", "Betrokkene is vorige week verhuisd naar Nijmegen.")


def build(ctx) -> None:
    if not all(name in ctx.users for name in USERS) or not IntakeRegion.objects.filter(code="zuid-limburg").exists():
        return
    Builder(ctx).build()
