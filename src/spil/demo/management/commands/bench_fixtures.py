import datetime
import hashlib
import hmac
import json
import random
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from spil.api import services as api_services
from spil.api.models import ApiClient, Credential, CredentialKind, digest
from spil.cases.models import Case, CaseStatus, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Channel, Report, ReportStatus
from spil.organisations.models import House, Membership, Partner, PartnerType, Role
from spil.persons.bsn import bsn_hash, check_digit
from spil.persons.models import Person
from spil.timeline.models import Event
from spil.triage.models import SessionStatus, TriageSession

BENCH_DEVICE = "bench"
# Partner systems send in bursts (a night's batch, a busy ZSM shift); the limit is set well above what one scenario
# sends in a minute, so the bench measures the requests and not the 429s. The throttle itself still runs.
BENCH_RATE_LIMIT = 6000
# What htmx sends when the person search box asks for its results (persons/search.html).
SEARCH_BOX = {"HX-Request": "true", "HX-Target": "zoekresultaten"}
SEEDED_REPORTS = 25  # one page of the API list, so the list is full before the create scenario adds to it
THEMES = ["pga", "pga", "pga", "consult-advies", "pga-jeugd"]
# The partner-API clients the harness creates (one per house and purpose) are named with this prefix.
CLIENT_PREFIX = "bench-"
FIRST_NAMES = ["Ricardo", "Sandra", "Kevin", "Dewi", "Ahmed", "Lotte", "Mohamed", "Fenna", "Bram", "Yara", "Joost", "Naima"]
SURNAMES = [
    ("", "Jongen"),
    ("van", "Loo"),
    ("", "Schmeitz"),
    ("de", "Wit"),
    ("", "Bemelmans"),
    ("", "Knops"),
    ("", "Yilmaz"),
    ("van der", "Heijden"),
]
REASONS = [
    ("Herhaalde meldingen van overlast en bedreiging van buren; betrokkene weigert hulp.", "Procesregie op zorg en veiligheid."),
    ("Verward gedrag op straat (E33), derde keer deze maand; geen zorg in beeld.", "Afstemming zorg en veiligheid, toeleiding naar GGZ."),
    ("Jongere betrokken bij reeks inbraken; ouders vragen om hulp.", "Gezamenlijke aanpak met jeugdzorg en reclassering."),
    ("Huiselijk geweld, derde politie-inzet dit jaar; kinderen in het gezin.", "Afstemming met Veilig Thuis en de gemeente."),
]


class Command(BaseCommand):
    help = (
        "Alleen voor de prestatiemetingen (bench/run): kiest per gemeten pagina gebruikers met realistische toegang, "
        "maakt voor elk een ingelogde sessie en schrijft als JSON welke verzoeken zij doen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=16)

    def handle(self, *args, users, **options):
        if not settings.BENCH_MODE:
            raise CommandError("Alleen in de prestatiemeting (SPIL_BENCH_MODE).")
        self.count = users
        houses = list(House.objects.annotate(n=Count("reports")).order_by("-n")[:users])
        scenarios = {
            "baseline": self.each(self.members(houses, Role.PROCESS_DIRECTOR), lambda user, house: ["/bench/baseline/"]),
            "inbox": self.each(self.members(houses, Role.INTAKE), self.inbox_paths),
            "case_list": self.each(
                self.members(houses, Role.PROCESS_DIRECTOR), lambda user, house: ["/casussen/?status=open", "/casussen/"]
            ),
            "dossier": self.dossiers(),
            # The search box asks while the user types and gets the results alone (htmx); the page around them comes once.
            "person_search_name": self.each(self.members(houses, Role.INTAKE), self.name_searches, headers=SEARCH_BOX),
            "person_search_bsn": self.each(self.members(houses, Role.INTAKE), self.bsn_searches, headers=SEARCH_BOX),
            "weegtafel": self.each(self.members(houses, Role.TRIAGE), self.triage_paths),
            "my_work": self.each(self.members(houses, Role.PROCESS_DIRECTOR), lambda user, house: ["/"]),
            "monitor_house": self.each(self.members(houses, Role.MANAGER), lambda user, house: [f"/monitor/?huis={house.pk}"]),
            "monitor_national": self.each(self.national_monitors(houses[0]), lambda user, house: ["/monitor/"]),
            # The partner API: each virtual user is another machine client (its own technical user and token).
            # The list shows only what the client itself submitted: 25 seeded meldingen, then what the create adds.
            "api_report_create": self.each_client(self.report_clients(houses), self.report_submissions),
            "api_report_list": self.each_client(self.report_clients(houses), self.report_lists),
            "zsm_query": self.each_client(self.zsm_clients(houses), self.zsm_questions),
        }
        self.stdout.write(json.dumps({"scenarios": scenarios}))

    # --- who -------------------------------------------------------------------------------------------

    def members(self, houses, role) -> list:
        """One user with `role` per house, as many houses as users are needed (round robin when fewer)."""
        chosen = []
        for house in houses:
            membership = Membership.objects.filter(house=house, role=role).select_related("user").order_by("pk").first()
            if membership:
                chosen.append((membership.user, house))
        if not chosen:
            raise CommandError(f"Geen gebruikers met rol {role}.")
        return [chosen[i % len(chosen)] for i in range(self.count)]

    def national_monitors(self, house) -> list:
        User = get_user_model()
        pairs = []
        for n in range(self.count):
            user, _ = User.objects.get_or_create(username=f"bench-landelijk-{n}", defaults={"password": "!"})
            Membership.objects.get_or_create(user=user, house=house, role=Role.NATIONAL_MONITOR)
            pairs.append((user, house))
        return pairs

    def each(self, pairs, paths_for, headers: dict | None = None) -> list[dict]:
        """Per pair, a logged-in user and the paths they ask for, each with `headers` when given."""
        return [
            {
                "name": f"{user.username}#{n}",
                "headers": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session(user)}"},
                "requests": [{"path": path, **({"headers": headers} if headers else {})} for path in paths_for(user, house)],
            }
            for n, (user, house) in enumerate(pairs)
        ]

    def session(self, user) -> str:
        """A logged-in session that passed the second step, as after a real login."""
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BENCH_DEVICE, defaults={"confirmed": True})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return session.session_key

    # --- machine clients of the partner API ------------------------------------------------------------

    def report_clients(self, houses) -> list:
        """Per house the police's system submitting meldingen there (one client per house, `koppeling` role)."""
        return self._clients(houses, "meldingen", PartnerType.POLICE, lambda house: f"Meldingen politie {house.name} (prestatiemeting)")

    def zsm_clients(self, houses) -> list:
        """Per house the ZSM location (Openbaar Ministerie) asking hit/no-hit; `policy.may_query_zsm` needs the OM."""
        return self._clients(houses, "zsm", PartnerType.PROSECUTION, lambda house: f"ZSM {house.name} (prestatiemeting)")

    def _clients(self, houses, purpose, partner_type, name_of) -> list:
        pairs = []
        for house in houses[: self.count]:
            client_id = f"{CLIENT_PREFIX}{purpose}-{house.code}"[:60]
            client = ApiClient.objects.filter(client_id=client_id).select_related("user").first()
            if client is None:
                client = api_services.create_client(
                    name=name_of(house)[:120],
                    client_id=client_id,
                    partner=self.partner_of(house, partner_type),
                    houses=[house],
                    rate_limit_per_minute=BENCH_RATE_LIMIT,
                )
            elif not client.active or client.rate_limit_per_minute != BENCH_RATE_LIMIT:
                client.active, client.rate_limit_per_minute = True, BENCH_RATE_LIMIT
                client.save()
            pairs.append((client, house))
        if not pairs:
            raise CommandError("Geen huizen voor de API-koppelingen.")
        return [pairs[i % len(pairs)] for i in range(self.count)]

    def partner_of(self, house, partner_type) -> Partner:
        """The house's own partner of this type (the national dataset names them after the region), else any."""
        region = house.name.removeprefix("ZVH ")
        partners = Partner.objects.filter(type=partner_type).order_by("pk")
        partner = partners.filter(name__endswith=region).first() or partners.first()
        if partner is None:
            partner, _ = Partner.objects.get_or_create(
                name=f"{PartnerType(partner_type).label} (prestatiemeting)", defaults={"type": partner_type}
            )
        return partner

    def token(self, client) -> str:
        """The client's bench token: derived from the dataset's secret key, so a rerun finds it again."""
        token = "spil_bench_" + hmac.new(settings.SECRET_KEY.encode(), f"bench-api:{client.client_id}".encode(), hashlib.sha256).hexdigest()
        Credential.objects.update_or_create(
            digest=digest(token),
            defaults={"client": client, "kind": CredentialKind.TOKEN, "hint": token[:10], "revoked_at": None, "expires_at": None},
        )
        return token

    def each_client(self, pairs, requests_for) -> list[dict]:
        return [
            {
                "name": f"{client.client_id}#{n}",
                "headers": {"Authorization": f"Bearer {self.token(client)}", "Accept": "application/json"},
                "requests": requests_for(client, house),
            }
            for n, (client, house) in enumerate(pairs)
        ]

    def _report_body(self, house, rng: random.Random, *, known: Person | None = None) -> dict:
        """A melding as a police system sends it: one or two persons, a theme, the police's own reference (unique)."""
        municipalities = list(house.municipalities.order_by("pk").values_list("cbs_code", flat=True)[:20])
        reason, request = rng.choice(REASONS)

        def someone(role):
            prefix, surname = rng.choice(SURNAMES)
            person = {
                "voornamen": rng.choice(FIRST_NAMES),
                "tussenvoegsel": prefix,
                "achternaam": surname,
                "geboortedatum": f"{rng.randrange(1960, 2008)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                "rol": role,
            }
            if municipalities:
                person["gemeente"] = rng.choice(municipalities)
            return person

        first = someone("betrokkene")
        if known is not None:  # a person the house already knows, by BSN: registration runs the hit check
            first.update(
                {"bsn": known.bsn, "voornamen": known.first_names, "tussenvoegsel": known.surname_prefix, "achternaam": known.surname}
            )
            if known.birth_date:
                first["geboortedatum"] = known.birth_date.isoformat()
        persons = [first] if rng.random() < 0.6 else [first, someone("partner")]
        return {
            "huis": house.code,
            "thema": rng.choice(THEMES),
            "melder_naam": rng.choice(["Wijkagent Peters", "Wijkagent Hendriks", "Brigadier Ramakers"]),
            "melder_bereikbaarheid": "0900-8844",
            "aanleiding": f"{reason} (politieregistratie {{unique}})",
            "hulpvraag": request,
            "personen": persons,
        }

    def report_submissions(self, client, house) -> list[dict]:
        rng = random.Random(f"create:{client.client_id}")
        known = self.known_persons(house, 4)
        bodies = [self._report_body(house, rng) for _ in range(4)] + [self._report_body(house, rng, known=person) for person in known]
        return [{"method": "POST", "path": "/api/v1/meldingen", "json": body, "idempotent": True, "ok": [201]} for body in bodies]

    def report_lists(self, client, house) -> list[dict]:
        self.seed_reports(client, house)
        return [{"path": "/api/v1/meldingen"}, {"path": "/api/v1/meldingen"}, {"path": f"/api/v1/meldingen?status={ReportStatus.RECEIVED}"}]

    @transaction.atomic
    def seed_reports(self, client, house) -> None:
        """One page of meldingen the client submitted before, written through the intake service (once)."""
        missing = SEEDED_REPORTS - Report.objects.filter(created_by=client.user).count()
        if missing <= 0:
            return
        rng = random.Random(f"seed:{client.client_id}")
        themes = {case_type.code: case_type for case_type in CaseType.objects.filter(code__in=THEMES)}
        municipalities = {m.cbs_code: m for m in house.municipalities.all()}
        for _ in range(missing):
            body = self._report_body(house, rng)
            fields = {
                "source_partner": client.partner,
                "reporter_name": body["melder_naam"],
                "reporter_contact": body["melder_bereikbaarheid"],
                "channel": Channel.SYSTEM,
                "received_on": clock.today(),
                "reason": body["aanleiding"].replace("{unique}", f"{rng.getrandbits(64):x}"),
                "request": body["hulpvraag"],
                "requested_case_type": themes[body["thema"]],
            }
            persons = [
                {
                    "first_names": p["voornamen"],
                    "surname_prefix": p["tussenvoegsel"],
                    "surname": p["achternaam"],
                    "birth_date": datetime.date.fromisoformat(p["geboortedatum"]),
                    "municipality": municipalities.get(p.get("gemeente")),
                    "relation": p["rol"],
                }
                for p in body["personen"]
            ]
            intake_services.register_report(actor=client.user, fields=fields, persons=persons, house=house)

    def known_persons(self, house, limit) -> list[Person]:
        """Persons with a BSN in open cases of the house, of a type ZSM may hear about (not restricted)."""
        open_cases = Case.objects.filter(house=house, status=CaseStatus.OPEN, case_type__restricted=False).order_by("-pk")[:200]
        return list(Person.objects.filter(cases__in=open_cases).exclude(bsn="").distinct().order_by("pk")[:limit])

    def zsm_questions(self, client, house) -> list[dict]:
        """Half hits (persons in the house's open cases), half no-hits (valid BSNs nobody in Spil has)."""
        known = [person.bsn for person in self.known_persons(house, 10)]
        unknown = self.unknown_bsns(random.Random(f"zsm:{client.client_id}"), max(len(known), 10))
        return [{"method": "POST", "path": "/api/v1/zsm/bevraging", "json": {"bsn": bsn}} for bsn in known + unknown]

    @staticmethod
    def unknown_bsns(rng: random.Random, count: int) -> list[str]:
        """11-proef numbers below the national dataset's 9000xxxxx range that no person in Spil has."""
        found: list[str] = []
        while len(found) < count:
            head = f"{rng.randrange(10_000_000, 89_999_999):08d}"
            if (check := check_digit(head)) is not None:
                bsn = f"{head}{check}"
                if not Person.objects.filter(bsn_hash=bsn_hash(bsn)).exists():
                    found.append(bsn)
        return found

    # --- what they ask for -------------------------------------------------------------------------------

    def inbox_paths(self, user, house) -> list[str]:
        pga = CaseType.objects.get(code="pga").pk
        return [f"/meldingen/?status={ReportStatus.TRIAGED}", f"/meldingen/?case_type={pga}", "/meldingen/"]

    def dossiers(self) -> list[dict]:
        """The cases with the longest timelines, each requested by its own procesregisseur."""
        longest = Event.objects.filter(case__status=CaseStatus.OPEN).values("case").annotate(n=Count("id")).order_by("-n")[: self.count]
        cases = Case.objects.filter(pk__in=[row["case"] for row in longest])
        pairs = []
        for case in cases:
            director = case.team.filter(role=TeamRole.PROCESS_DIRECTOR, revoked_at__isnull=True).select_related("user").first()
            if director:
                pairs.append((director.user, case))
        if not pairs:
            raise CommandError("Geen open casussen met een procesregisseur.")
        pairs = [pairs[i % len(pairs)] for i in range(self.count)]
        return self.each(pairs, lambda user, case: [f"/casussen/{case.number}/"])

    def _persons_of(self, house, limit=20):
        """Persons of the house's latest meldingen, other than those the harness's API clients submitted: every run adds
        thousands with a few names and no BSN, and the searches of the next run would ask for those."""
        own = Report.objects.filter(house=house).exclude(created_by__api_client__client_id__startswith=CLIENT_PREFIX)
        reports = own.order_by("-received_on")[:200]
        return list(Person.objects.filter(reports__in=reports).distinct()[:limit])

    def name_searches(self, user, house) -> list[str]:
        fragments = [person.surname[:4] for person in self._persons_of(house) if len(person.surname) >= 4] or ["jan"]
        return [_search_path(fragment) for fragment in fragments]

    def bsn_searches(self, user, house) -> list[str]:
        return [_search_path(person.bsn) for person in self._persons_of(house, 60) if person.bsn][:20] or [_search_path("999999999")]

    def triage_paths(self, user, house) -> list[str]:
        sessions = TriageSession.objects.filter(house=house).order_by("-starts_at")
        chosen = sessions.filter(status=SessionStatus.PLANNED).first() or sessions.first()
        if chosen is None:
            raise CommandError(f"Geen weegtafels in {house}.")
        return [f"/weegtafels/{chosen.pk}/"]


def _search_path(text: str) -> str:
    """The person search for `text`, encoded: a surname's first four letters may end in a space ("Van ")."""
    return f"/personen/?{urlencode({'q': text})}"
