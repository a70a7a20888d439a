"""The demo data generator: the Limburg houses, their partners and users, and a year of believable work.

Organisations and accounts are created with get-or-create, so they can be refreshed at any time. The
business data (meldingen, verrijkingen, weegtafels, besluiten, casussen and their history) is written only
once: it goes through the same service functions the application uses, each call inside
`clock.travel_to(moment)`, so every timeline, number and timestamp is what the services would have written
on that day.

How the year is simulated: first everything is *planned* (all random draws happen here, from one seeded
`random.Random` and one seeded Faker), as a list of (moment, action) pairs: a melding is received,
information is asked and answered, it is marked ready before the weekly cut-off, the weegtafel is planned
just after the cut-off (so its agenda holds exactly the meldingen ready in time), the table decides and
closes, and cases then change phase, AVE level and roles, get notes, are closed and (one) reopened. Then
the actions run in chronological order. Numbers (M-2025-000123, C-2026-000045) therefore follow the
calendar, and a weegtafel's agenda is filled by the real `refresh_agenda` rule.

Sizes are a parameter (`SIZES`, or any `Size`), so tests run a tiny year and performance work a big one.
All names, addresses and BSNs are fictitious: the BSNs come from the 9999xxxxx range (which the RvIG uses
for test persons) and pass the 11-proef; none is taken from anywhere.
"""

import base64
import datetime
import functools
import itertools
import random
import time
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from spil.accounts import services as account_services
from spil.cases import services as case_services
from spil.cases.models import AveChange, Case, CaseStatus, ClosingResult
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.demo import extensions, regions, texts
from spil.intake import services as intake_services
from spil.intake.models import Channel, Enrichment, Report, ReportStatus
from spil.organisations import routing_rules
from spil.organisations.models import House, IntakeRegion, Membership, Municipality, Partner, PartnerType
from spil.persons.bsn import check_digit
from spil.persons.models import Person
from spil.timeline.models import Event, EventKind
from spil.triage import services as triage_services
from spil.triage.models import CRITERIA, Outcome, SessionStatus, TriageItem, TriageSession

# Demo only: every demo account shares this password. Never use the demo data outside a demo.
DEMO_PASSWORD = "spil-demo-2026"
# Demo only: every demo account has an authenticator app with this fixed secret (base32), so a reviewer can
# log in with `oathtool --totp -b SECRET` or by typing it into an authenticator app, and these backup codes.
DEMO_TOTP_SECRET = "SPILDEMOSPILDEMOSPILDEMOSPILDEMO"
DEMO_BACKUP_CODES = ("demo-1111", "demo-2222", "demo-3333", "demo-4444", "demo-5555")
# A fixed salt keeps the stored hash identical between runs (so a re-run changes nothing).
_DEMO_SALT = "spildemo2026SaltNotSecret"
SEED = 2026
PGA = "pga"
CONSULT = "consult-advies"


@dataclass(frozen=True)
class Size:
    """How much to generate. `reports` is the total over all houses; the open ones are the current work."""

    name: str
    reports: int  # meldingen over the whole period, spread over the houses by their share
    received: int  # of which still 'ontvangen'
    enriching: int  # of which 'in verrijking'
    ready: int  # of which 'gereed' (on the agenda of the upcoming weegtafel)
    weeks: int = 52  # how far back the history goes
    family_share: float = 0.25  # meldingen about a family or system (2-4 persons)


SIZES = {
    "demo": Size("demo", reports=290, received=8, enriching=14, ready=12),
    "small": Size("small", reports=2_900, received=40, enriching=90, ready=70),
    "test": Size("test", reports=36, received=2, enriching=2, ready=3, weeks=30),
}


@dataclass
class Result:
    size: Size
    skipped: bool  # the business data existed already
    accounts: list[dict]
    counts: dict[str, int]
    seconds: dict[str, float]


def generate(size: str | Size = "demo", *, log=print, seed: int = SEED, now: datetime.datetime | None = None) -> Result:
    """Create (or refresh) the demo organisations and accounts, and the demo history once."""
    size = SIZES[size] if isinstance(size, str) else size
    seconds = {}
    started = time.monotonic()

    log("Stap 1/3: ZVH's, gemeenten en ketenpartners")
    with transaction.atomic():
        houses, municipalities, partners = ensure_organisations()
    log(f"  {len(houses)} ZVH's, {len(municipalities)} gemeenten, {len(partners)} ketenpartners")
    seconds["organisaties"] = time.monotonic() - started

    step = time.monotonic()
    log("Stap 2/3: demo-accounts")
    with transaction.atomic():
        users = ensure_accounts(houses, partners)
    log(f"  {len(users)} accounts (wachtwoord voor allemaal: {DEMO_PASSWORD})")
    seconds["accounts"] = time.monotonic() - step

    step = time.monotonic()
    skipped = demo_history_exists(users)
    if skipped:
        log("Stap 3/3: de demohistorie bestaat al; meldingen en casussen worden niet opnieuw aangemaakt.")
    else:
        log(f"Stap 3/3: een jaar werk simuleren (omvang '{size.name}')")
        with transaction.atomic():
            history = History(
                size,
                seed=seed,
                now=now or timezone.now(),
                houses=houses,
                municipalities=municipalities,
                partners=partners,
                users=users,
                log=log,
            )
            history.run()
            extensions.run(
                extensions.Context(rng=random.Random(seed + 1), now=history.end, size=size.name, users=users, houses=houses, log=log)
            )
    seconds["historie"] = time.monotonic() - step
    seconds["totaal"] = time.monotonic() - started
    return Result(size=size, skipped=skipped, accounts=account_rows(users), counts=counts(), seconds=seconds)


# --- Organisations and accounts ----------------------------------------------------------------------


def ensure_organisations():
    houses, municipalities, partners = {}, {}, {}
    for data in (*regions.HOUSES, *regions.OTHER_HOUSES):
        house, _ = House.objects.get_or_create(code=data.code, defaults={"name": data.name})
        houses[data.code] = house
        for m in data.municipalities:
            municipality, created = Municipality.objects.get_or_create(
                cbs_code=m.cbs_code, defaults={"name": m.name, "population": m.population, "house": house}
            )
            if not created and (municipality.name, municipality.population, municipality.house_id) != (m.name, m.population, house.pk):
                municipality.name, municipality.population, municipality.house = m.name, m.population, house
                municipality.save(update_fields=["name", "population", "house"])
            municipalities[m.name] = municipality
    for data in regions.all_partners():
        partner, created = Partner.objects.get_or_create(name=data.name, defaults={"type": data.type})
        if not created and partner.type != data.type:
            partner.type = data.type
            partner.save(update_fields=["type"])
        partners[data.name] = partner
    ensure_intake_regions(houses)
    return houses, municipalities, partners


def ensure_intake_regions(houses) -> None:
    """The central lokets, the houses' contacts for hits, and the routing rules (`organisations/fixtures/routing.toml`)."""
    for data in regions.INTAKE_REGIONS:
        region, _ = IntakeRegion.objects.get_or_create(code=data.code, defaults={"name": data.name})
        House.objects.filter(code__in=data.houses).exclude(intake_region=region).update(intake_region=region)
    for code, contact in regions.HOUSE_CONTACTS.items():
        House.objects.filter(code=code).exclude(contact=contact).update(contact=contact)
    for house in houses.values():
        house.refresh_from_db(fields=["intake_region", "contact"])
    routing_rules.load(routing_rules.read())


def ensure_accounts(houses, partners) -> dict:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD, salt=_DEMO_SALT)
    users = {}
    for data in regions.ACCOUNTS:
        values = {"first_name": data.first_name, "last_name": data.last_name, "email": f"{data.username}@demo.spil.invalid"}
        user, created = User.objects.get_or_create(username=data.username, defaults={**values, "password": password})
        changed = [name for name, value in {**values, "password": password}.items() if getattr(user, name) != value]
        if changed and not created:
            for name in changed:
                setattr(user, name, {**values, "password": password}[name])
            user.save(update_fields=changed)
        partner = partners[data.partner] if data.partner else None
        municipality = Municipality.objects.get(name=data.municipality) if data.municipality else None
        for code in data.houses:
            for role in data.roles:
                Membership.objects.get_or_create(
                    user=user, house=houses[code], role=role, defaults={"partner": partner, "municipality": municipality}
                )
        ensure_two_factor(user)
        users[data.username] = user
    return users


def ensure_two_factor(user) -> None:
    """A confirmed authenticator app with the fixed demo secret and the demo backup codes (used ones come back)."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if app is None:
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name=account_services.APP_DEVICE_NAME, key=key, confirmed=True)
    elif app.key != key:
        app.key = key
        app.save(update_fields=["key"])
    backup, _ = StaticDevice.objects.get_or_create(user=user, name=account_services.BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    for code in DEMO_BACKUP_CODES:
        StaticToken.objects.get_or_create(device=backup, token=account_services.normalise(code))


def demo_history_exists(users) -> bool:
    return Report.objects.filter(created_by__in=list(users.values())).exists()


def account_rows(users) -> list[dict]:
    order = {data.code: index for index, data in enumerate(regions.HOUSES)}
    rows = []
    for data in regions.ACCOUNTS:
        user = users[data.username]
        memberships = list(user.memberships.select_related("house", "partner"))
        houses = sorted({m.house for m in memberships}, key=lambda house: (order.get(house.code, len(order)), house.name))
        rows.append(
            {
                "username": user.username,
                "name": user.get_full_name(),
                "role": ", ".join(sorted({m.get_role_display() for m in memberships})),
                "organisation": next((m.partner.name for m in memberships if m.partner), "ZVH"),
                "house": ", ".join(house.name for house in houses),
            }
        )
    return rows


def counts() -> dict[str, int]:
    reports = Tally(Report.objects.values_list("status", flat=True))
    outcomes = Tally(TriageItem.objects.exclude(outcome="").values_list("outcome", flat=True))
    cases = Tally(Case.objects.values_list("status", flat=True))
    result = {
        "ZVH's": House.objects.count(),
        "gemeenten": Municipality.objects.count(),
        "ketenpartners": Partner.objects.count(),
        "gebruikers": get_user_model().objects.count(),
        "lidmaatschappen": Membership.objects.count(),
        "personen": Person.objects.count(),
        "personen met BSN": Person.objects.exclude(bsn="").count(),
        "meldingen": Report.objects.count(),
    }
    result.update({f"meldingen {status.label.lower()}": reports[status.value] for status in ReportStatus})
    result["verrijkingen"] = Enrichment.objects.count()
    result["verrijkingen beantwoord"] = Enrichment.objects.filter(answered_on__isnull=False).count()
    result["weegtafels afgerond"] = TriageSession.objects.filter(status=SessionStatus.CLOSED).count()
    result["weegtafels gepland"] = TriageSession.objects.filter(status=SessionStatus.PLANNED).count()
    result["agendapunten open"] = TriageItem.objects.filter(decided_at__isnull=True).count()
    result.update({f"besluit: {outcome.label}": outcomes[outcome.value] for outcome in Outcome})
    result["casussen"] = Case.objects.count()
    result["casussen open"] = cases[CaseStatus.OPEN]
    result["casussen gesloten"] = cases[CaseStatus.CLOSED]
    result["casussen heropend"] = Event.objects.filter(kind=EventKind.REOPENED).values("case").distinct().count()
    result["casustypen in gebruik"] = Case.objects.values("case_type").distinct().count()
    result["fasen in gebruik"] = Case.objects.values("phase").distinct().count()
    result["AVE op-/afschalingen"] = AveChange.objects.filter(from_level__isnull=False).count()
    result["tijdlijnregels"] = Event.objects.count()
    result.update(extensions.counts())
    return result


# --- Fictitious persons ---------------------------------------------------------------------------------


def fictitious_bsns(rng: random.Random):
    """Unique 9-digit numbers passing the 11-proef, from the 9999xxxxx test range first (then 9998…)."""
    for prefix in range(9999, 9900, -1):
        valid = []
        for n in range(10_000):
            head = f"{prefix}{n:04d}"
            if (check := check_digit(head)) is not None:
                valid.append(f"{head}{check}")
        rng.shuffle(valid)
        yield from valid


SURNAME_PREFIXES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "'s", "op", "la", "le", "du", "d'"}


def split_surname(name: str) -> tuple[str, str]:
    words = name.split()
    prefix = []
    while len(words) > 1 and words[0].lower() in SURNAME_PREFIXES:
        prefix.append(words.pop(0))
    return " ".join(prefix), " ".join(words)


MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


# --- Plans ----------------------------------------------------------------------------------------------


@dataclass
class SessionPlan:
    house: House
    data: regions.HouseData
    starts_at: datetime.datetime
    cutoff_at: datetime.datetime
    past: bool
    reports: list = field(default_factory=list)
    plan_at: datetime.datetime | None = None
    refresh_until: datetime.datetime | None = None  # the coming table: its agenda follows the meldingen until then
    obj: TriageSession | None = None


@dataclass
class EnrichmentPlan:
    partner: Partner
    question: str
    summary: str
    requested_at: datetime.datetime
    answered_at: datetime.datetime | None
    obj: Enrichment | None = None


@dataclass
class DecisionPlan:
    outcome: Outcome
    ave_level: int
    criteria: set
    reasons: str
    routed_to: str
    case_type: CaseType | None
    process_director: object
    actor: object
    at: datetime.datetime | None = None


@dataclass
class ReportPlan:
    house: House
    data: regions.HouseData
    municipality: regions.MunicipalityData
    case_type: CaseType
    family: str
    final: ReportStatus
    intake: object
    received_at: datetime.datetime | None = None
    ready_at: datetime.datetime | None = None
    session: SessionPlan | None = None
    fields: dict = field(default_factory=dict)
    persons: list = field(default_factory=list)
    enrichments: list = field(default_factory=list)
    decision: DecisionPlan | None = None
    obj: Report | None = None


@dataclass
class CasePlan:
    report: ReportPlan
    case_type: CaseType
    phases: list
    opened_at: datetime.datetime
    ave_level: int
    consult: bool
    process_director: object
    case_director: object
    assigner: object
    events: list = field(default_factory=list)  # (moment, kind, kwargs)
    closed: bool = False
    reopened: bool = False


class History:
    """Plans a year of work for every house, then plays it through the services in calendar order."""

    def __init__(self, size: Size, *, seed: int, now, houses, municipalities, partners, users, log):
        self.size = size
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.now = now.replace(second=0, microsecond=0)
        self.end = self.now - 30 * MINUTE  # nothing is written later than this
        self.start = self.now - size.weeks * WEEK
        self.houses = houses
        self.municipalities = municipalities
        self.partners = partners
        self.users = users
        self.log = log
        self.actions = []
        self.sequence = itertools.count()
        self.bsns = fictitious_bsns(self.rng)
        self.case_types = list(CaseType.objects.for_intake().order_by("code"))
        if not any(ct.code == PGA for ct in self.case_types) or not any(ct.code == CONSULT for ct in self.case_types):
            raise RuntimeError("De casustypen 'pga' en 'consult-advies' ontbreken; draai eerst de migraties.")
        self.phases = {ct.pk: list(ct.phases.order_by("order")) for ct in self.case_types}
        self.phase_coverage = defaultdict(set)
        self.sessions: list[SessionPlan] = []
        self.reports: list[ReportPlan] = []
        self.cases: list[CasePlan] = []
        self.closing_results = self._closing_results()

    # ----- helpers

    def user(self, username):
        return self.users[username]

    def staff(self, data: regions.HouseData) -> dict:
        return regions.STAFF[data.code]

    def weighted(self, weights: dict):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def local(self, date: datetime.date, t: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(date, t))

    def office(self, moment: datetime.datetime) -> datetime.datetime:
        """Move a moment forward into office hours (weekdays 08:30-17:00)."""
        local = timezone.localtime(moment)
        day, t = local.date(), local.time()
        if day.weekday() < 5 and datetime.time(8, 30) <= t < datetime.time(17, 0):
            return moment
        if day.weekday() < 5 and t < datetime.time(8, 30):
            return self.local(day, datetime.time(8, 30)) + self.rng.randint(0, 90) * MINUTE
        day += DAY
        while day.weekday() >= 5:
            day += DAY
        return self.local(day, datetime.time(8, 30)) + self.rng.randint(0, 120) * MINUTE

    def office_before(self, moment: datetime.datetime) -> datetime.datetime:
        """Move a moment back into office hours."""
        local = timezone.localtime(moment)
        day, t = local.date(), local.time()
        if day.weekday() < 5 and datetime.time(8, 30) <= t < datetime.time(17, 0):
            return moment
        if day.weekday() < 5 and t >= datetime.time(17, 0):
            return self.local(day, datetime.time(15, 0)) + self.rng.randint(0, 119) * MINUTE
        day -= DAY
        while day.weekday() >= 5:
            day -= DAY
        return self.local(day, datetime.time(14, 0)) + self.rng.randint(0, 179) * MINUTE

    def pick(self, a: datetime.datetime, b: datetime.datetime) -> datetime.datetime:
        """A moment between a and b, in office hours when that fits."""
        if b <= a:
            return a
        raw = a + (b - a) * self.rng.random()
        for moment in (self.office(raw), self.office_before(raw)):
            if a < moment < b:
                return moment.replace(second=0, microsecond=0)
        return raw.replace(second=0, microsecond=0)

    def schedule(self, moment, fn, *args, **kwargs):
        if moment >= self.now:
            raise RuntimeError(f"Demo action in the future: {fn.__name__} at {moment}")
        self.actions.append((moment, next(self.sequence), functools.partial(fn, *args, **kwargs)))

    def text(self, template: str) -> str:
        rng = self.rng
        return template.format(
            n=rng.randint(2, 9),
            age=rng.randint(13, 17),
            month=texts.MONTHS[rng.randrange(12)],
            money=f"{rng.randint(8, 60) * 100:,}".replace(",", "."),
            pi=rng.choice(["PI Limburg Zuid", "PI Roermond", "PI Venray"]),
        )

    # ----- planning

    def run(self):
        self.plan()
        self.actions.sort(key=lambda action: (action[0], action[1]))
        total = len(self.actions)
        self.log(
            f"  {len(self.reports)} meldingen, {len(self.sessions)} weegtafels en {len(self.cases)} casussen gepland; {total} stappen door de services"
        )
        next_report = 0.1
        for done, (moment, _, action) in enumerate(self.actions, start=1):
            with clock.travel_to(moment):
                action()
            if done / total >= next_report:
                self.log(f"  {done / total:4.0%} – bijgewerkt tot {timezone.localtime(moment):%d-%m-%Y}")
                next_report += 0.1

    def plan(self):
        size = self.size
        per_house = self.split(size.reports, [h.share for h in regions.HOUSES])
        open_counts = {
            status: self.split(count, [h.share for h in regions.HOUSES])
            for status, count in [
                (ReportStatus.RECEIVED, size.received),
                (ReportStatus.ENRICHING, size.enriching),
                (ReportStatus.READY, size.ready),
            ]
        }
        for index, data in enumerate(regions.HOUSES):
            house = self.houses[data.code]
            past, upcoming = self.session_slots(data, house)
            opened = {status: open_counts[status][index] for status in open_counts}
            triaged = per_house[index] - sum(opened.values())
            if triaged < (6 if index == 0 else 0) or not past:
                raise ValueError(f"Omvang '{size.name}' is te klein voor {data.name}.")
            outcomes = self.outcomes(triaged, guarantee_all=index == 0)
            weights = [1 + 0.6 * i / len(past) for i in range(len(past))]
            for outcome in outcomes:
                session = self.rng.choices(past, weights=weights)[0]
                self.plan_triaged(data, house, session, outcome)
            # The coming table is planned right after last week's table; its agenda is refreshed as meldingen get ready.
            upcoming.plan_at = min(upcoming.starts_at - WEEK + 3 * HOUR + 5 * MINUTE, self.now - 15 * MINUTE)
            upcoming.refresh_until = min(upcoming.cutoff_at, self.now - 5 * MINUTE)
            for _ in range(opened[ReportStatus.READY]):
                self.plan_ready(data, house, upcoming)
            for _ in range(opened[ReportStatus.ENRICHING]):
                self.plan_enriching(data, house)
            for _ in range(opened[ReportStatus.RECEIVED]):
                self.plan_received(data, house)
            self.sessions.extend(s for s in past if s.reports)
            self.sessions.append(upcoming)
        for session in self.sessions:
            self.plan_session(session)
        self.plan_case_guarantees()
        for case in self.cases:
            self.schedule_case(case)

    def split(self, total: int, shares: list[float]) -> list[int]:
        """Largest-remainder split of `total` by `shares`; the first house (Parkstad) gets at least one."""
        exact = [total * share / sum(shares) for share in shares]
        parts = [int(x) for x in exact]
        for i in sorted(range(len(shares)), key=lambda i: exact[i] - parts[i], reverse=True)[: total - sum(parts)]:
            parts[i] += 1
        if total and parts[0] == 0:
            donor = max(range(len(parts)), key=lambda i: parts[i])
            parts[donor] -= 1
            parts[0] += 1
        return parts

    def outcomes(self, count: int, guarantee_all: bool) -> list[Outcome]:
        chosen = list(Outcome) if guarantee_all else []
        chosen += [self.weighted(texts.OUTCOME_WEIGHTS) for _ in range(count - len(chosen))]
        self.rng.shuffle(chosen)
        return chosen

    def session_slots(self, data, house) -> tuple[list[SessionPlan], SessionPlan]:
        day = timezone.localtime(self.start).date()
        day += datetime.timedelta(days=(1 - day.weekday()) % 7)  # Tuesday: the weekly weegtafel
        past = []
        while True:
            starts_at = self.local(day, texts.SESSION_TIMES[data.code])
            session = SessionPlan(house, data, starts_at, triage_services.cutoff_for(house, starts_at), past=False)
            if starts_at + 3 * HOUR > self.now - 10 * MINUTE:
                return past, session
            session.past = True
            past.append(session)
            day += WEEK

    def choose_case_type(self) -> CaseType:
        others = [ct for ct in self.case_types if ct.code not in (PGA, CONSULT)]
        weights = {ct: (30 if ct.code == PGA else 8 if ct.code == CONSULT else 62 / max(len(others), 1)) for ct in self.case_types}
        return self.weighted(weights)

    def new_report(self, data, house, final, outcome=None) -> ReportPlan:
        rng = self.rng
        case_type = self.choose_case_type()
        family = texts.family_of(case_type)
        municipalities = list(data.municipalities)
        if outcome == Outcome.OTHER_REGION and data.code == "noord-limburg" and rng.random() < 0.7:
            municipality = next(m for m in municipalities if m.name == "Mook en Middelaar")
        else:
            municipality = rng.choices(municipalities, weights=[m.population for m in municipalities])[0]
        plan = ReportPlan(
            house=house,
            data=data,
            municipality=municipality,
            case_type=case_type,
            family=family,
            final=final,
            intake=self.user(rng.choice(self.staff(data)["intake"]) if data.code != "parkstad" or rng.random() < 0.9 else "bedrijfsbureau"),
        )
        source = self.source_partner(data, municipality, family)
        role = rng.choice(texts.REPORTER_ROLES.get(source.type, ["contactpersoon"]))
        plan.fields = {
            "source_partner": source,
            "reporter_name": f"{self.fake.first_name()} {self.fake.last_name()} ({role})",
            "reporter_contact": f"06-{rng.randint(10_000_000, 99_999_999)}",
            "channel": Channel.SYSTEM
            if source.type == PartnerType.POLICE and family == "verward"
            else self.weighted(texts.CHANNEL_WEIGHTS),
            "reason": self.text(rng.choice(texts.REASONS[family])),
            "request": rng.choice(texts.REQUESTS[family]),
            "requested_case_type": case_type,
        }
        plan.persons = self.persons_for(municipality, family)
        self.reports.append(plan)
        return plan

    def source_partner(self, data, municipality, family) -> Partner:
        kind = self.weighted(texts.SOURCE_TYPES[family])
        if kind == PartnerType.MUNICIPALITY:
            return self.partners[regions.municipality_partner_name(municipality.name)]
        return self.partner_of(kind, data, reporting=True) or self.partner_of(PartnerType.POLICE, data)

    def partner_of(self, kind, data, exclude=(), reporting=False) -> Partner | None:
        names = [
            p.name
            for p in regions.PARTNERS
            if p.type == kind and data.region in p.regions and p.name not in exclude and (p.reporter or not reporting)
        ]
        return self.partners[self.rng.choice(names)] if names else None

    def persons_for(self, municipality, family) -> list[dict]:
        rng, fake = self.rng, self.fake
        low, high = texts.AGES.get(family, (18, 65))
        surname_prefix, surname = split_surname(fake.last_name())
        address = f"{fake.street_name()} {rng.randint(1, 180)}{rng.choice(['', '', '', 'a', 'b'])}"
        postcode = f"{municipality.postcode + rng.randint(0, 3)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        city = rng.choice(municipality.places)
        main_age = rng.randint(low, high)
        male = rng.random() < 0.7
        home = {"address": address, "postcode": postcode, "city": city, "municipality": municipality.name}
        people = [self.person(surname_prefix, surname, main_age, male, "betrokkene", home)]
        if rng.random() < self.size.family_share:
            if family == "jeugd":
                parent_age = main_age + rng.randint(22, 38)
                people.append(self.person(surname_prefix, surname, parent_age, False, "moeder", home))
                if rng.random() < 0.5:
                    people.append(self.person(surname_prefix, surname, parent_age + rng.randint(-3, 6), True, "vader", home))
            else:
                partner_prefix, partner_surname = split_surname(fake.last_name())
                partner_age = max(18, main_age + rng.randint(-6, 6))
                people.append(self.person(partner_prefix, partner_surname, partner_age, not male, "partner", home))
                possible = range(0, max(0, min(main_age, partner_age) - 19) + 1)
                for child_age in rng.sample(possible, min(rng.randint(0, 2), len(possible))):
                    people.append(self.person(surname_prefix, surname, child_age, rng.random() < 0.5, "kind", home))
        return people

    def person(self, prefix, surname, age, male, relation, home) -> dict:
        fake, rng = self.fake, self.rng
        today = timezone.localdate(self.now)
        birth = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        first = fake.first_name_male() if male else fake.first_name_female()
        data = {
            "first_names": first if rng.random() < 0.6 else f"{first} {fake.first_name_male() if male else fake.first_name_female()}",
            "surname_prefix": prefix,
            "surname": surname,
            "birth_date": birth,
            "municipality": self.municipalities[home["municipality"]],
            "relation": relation,
            "address": home["address"],
            "postcode": home["postcode"],
            "city": home["city"],
        }
        if rng.random() < 0.88:
            data["bsn"] = next(self.bsns)
        return data

    def plan_enrichments(self, plan: ReportPlan, after, before, answered_share: float, answer_limit=None):
        """1-3 information requests between `after` and `before`; answers before `answer_limit` (default `before`)."""
        rng = self.rng
        types = texts.ENRICHMENT_TYPES_YOUTH if plan.family == "jeugd" else texts.ENRICHMENT_TYPES
        kinds = rng.sample(types, rng.choice([1, 1, 2, 2, 2, 3]))
        answer_limit = answer_limit or before
        for kind in kinds:
            if kind == PartnerType.MUNICIPALITY:
                partner = self.partners[regions.municipality_partner_name(plan.municipality.name)]
                if partner == plan.fields["source_partner"]:
                    continue
            else:
                partner = self.partner_of(kind, plan.data, exclude={plan.fields["source_partner"].name})
                if partner is None:
                    continue
            requested = self.pick(after + 10 * MINUTE, min(before - 2 * HOUR, after + 2 * DAY))
            answered = None
            if rng.random() < answered_share:
                answered = self.pick(requested + HOUR, min(answer_limit - 30 * MINUTE, requested + 7 * DAY))
                if answered <= requested or answered >= answer_limit:
                    answered = None
            if requested <= after or requested >= before:
                continue
            plan.enrichments.append(
                EnrichmentPlan(partner, texts.QUESTIONS[kind], self.text(rng.choice(texts.ANSWERS[kind])), requested, answered)
            )

    def plan_triaged(self, data, house, session: SessionPlan, outcome):
        rng = self.rng
        plan = self.new_report(data, house, ReportStatus.TRIAGED, outcome)
        plan.ready_at = self.pick(session.cutoff_at - WEEK + 15 * MINUTE, session.cutoff_at - 15 * MINUTE)
        if rng.random() < 0.8:
            plan.received_at = self.pick(plan.ready_at - rng.uniform(4, 21) * DAY, plan.ready_at - 2 * DAY)
            self.plan_enrichments(plan, plan.received_at, plan.ready_at, answered_share=0.9)
        else:
            plan.received_at = self.pick(plan.ready_at - 2 * DAY, plan.ready_at - HOUR)
        plan.session = session
        session.reports.append(plan)
        plan.decision = self.plan_decision(plan, outcome)
        self.schedule_report(plan)

    def plan_ready(self, data, house, upcoming: SessionPlan):
        plan = self.new_report(data, house, ReportStatus.READY)
        plan.ready_at = self.pick(upcoming.cutoff_at - WEEK + 15 * MINUTE, upcoming.refresh_until - 10 * MINUTE)
        plan.received_at = self.pick(plan.ready_at - self.rng.uniform(3, 14) * DAY, plan.ready_at - DAY)
        self.plan_enrichments(plan, plan.received_at, plan.ready_at, answered_share=0.85)
        plan.session = upcoming
        upcoming.reports.append(plan)
        self.schedule_report(plan)

    def plan_enriching(self, data, house):
        plan = self.new_report(data, house, ReportStatus.ENRICHING)
        plan.received_at = self.pick(self.end - 21 * DAY, self.end - DAY)
        for _ in range(10):
            if plan.enrichments:
                break
            self.plan_enrichments(plan, plan.received_at, self.end, answered_share=0.5)
        self.schedule_report(plan)

    def plan_received(self, data, house):
        plan = self.new_report(data, house, ReportStatus.RECEIVED)
        plan.received_at = self.pick(self.end - 4 * DAY, self.end - 10 * MINUTE)
        self.schedule_report(plan)

    def plan_decision(self, plan: ReportPlan, outcome: Outcome) -> DecisionPlan:
        rng = self.rng
        staff = self.staff(plan.data)
        if outcome == Outcome.PROCESS_DIRECTION:
            criteria = set(rng.sample(CRITERIA, rng.randint(1, len(CRITERIA))))
        else:
            criteria = set(rng.sample(CRITERIA, rng.choice([0, 0, 1, 2])))
        routed_to = ""
        if outcome == Outcome.LOCAL:
            routed_to = f"{regions.municipality_partner_name(plan.municipality.name)} (sociaal wijkteam)"
        elif outcome == Outcome.PARTNER:
            kind = rng.choice([PartnerType.MENTAL_HEALTH, PartnerType.PROBATION, PartnerType.DOMESTIC_VIOLENCE, PartnerType.ADDICTION])
            routed_to = self.partner_of(kind, plan.data).name
        elif outcome == Outcome.OTHER_REGION:
            if plan.municipality.name == "Mook en Middelaar":
                routed_to = "Zorg- en Veiligheidshuis Gelderland-Zuid"
            else:
                other = rng.choice([h for h in regions.HOUSES if h.code != plan.data.code])
                routed_to = regions.house_partner_name(other)
        case_type = None
        if outcome == Outcome.PROCESS_DIRECTION:
            case_type = plan.case_type if plan.case_type.code != CONSULT else next(ct for ct in self.case_types if ct.code == PGA)
        directors = staff["directors"]
        return DecisionPlan(
            outcome=outcome,
            ave_level=self.weighted(texts.AVE_FOR_OUTCOME[outcome]),
            criteria=criteria,
            reasons=rng.choice(texts.DECISION_REASONS[outcome]),
            routed_to=routed_to,
            case_type=case_type,
            process_director=self.user(rng.choice(directors)) if outcome in Outcome.opening_a_case() else None,
            actor=self.user(rng.choice(staff["deciders"])),
        )

    def schedule_report(self, plan: ReportPlan):
        self.schedule(plan.received_at, self.do_register, plan)
        for enrichment in plan.enrichments:
            self.schedule(enrichment.requested_at, self.do_request, plan, enrichment)
            if enrichment.answered_at:
                self.schedule(enrichment.answered_at, self.do_answer, plan, enrichment)
        if plan.ready_at:
            self.schedule(plan.ready_at, self.do_ready, plan)

    def plan_session(self, session: SessionPlan):
        staff = self.staff(session.data)
        planner = self.user(staff["planner"])
        if session.plan_at is None:
            session.plan_at = session.cutoff_at + MINUTE
        self.schedule(session.plan_at, self.do_plan_session, session, planner)
        if not session.past:
            # Refresh the agenda just after each melding became ready, as the bedrijfsbureau would.
            for plan in sorted(session.reports, key=lambda plan: plan.ready_at):
                if plan.ready_at > session.plan_at:
                    refresh_at = min(plan.ready_at + self.rng.randint(2, 40) * MINUTE, session.refresh_until)
                    self.schedule(max(refresh_at, plan.ready_at + MINUTE), self.do_refresh_agenda, session, planner, plan)
            return
        items = sorted(session.reports, key=lambda plan: plan.ready_at)
        spacing = max(1, min(8, 140 // max(len(items), 1))) * MINUTE
        moment = session.starts_at
        for plan in items:
            moment += spacing
            plan.decision.at = moment
            self.schedule(moment, self.do_decide, plan)
            if plan.decision.outcome in Outcome.opening_a_case():
                self.plan_case(plan)
        self.schedule(max(moment, session.starts_at + 2 * HOUR) + 5 * MINUTE, self.do_close_session, session, planner)

    # ----- cases

    def _closing_results(self):
        results = [r for r in ClosingResult]
        self.rng.shuffle(results)
        yield from results  # every result at least once
        weights = {
            ClosingResult.GOAL_REACHED: 35,
            ClosingResult.SCALED_DOWN_LOCAL: 25,
            ClosingResult.HANDED_TO_PARTNER: 15,
            ClosingResult.CLIENT_REFUSES: 10,
            ClosingResult.MOVED: 8,
            ClosingResult.DECEASED: 2,
            ClosingResult.OTHER: 5,
        }
        while True:
            yield self.weighted(weights)

    def plan_case(self, plan: ReportPlan):
        rng = self.rng
        decision = plan.decision
        consult = decision.outcome == Outcome.CONSULT
        case_type = next(ct for ct in self.case_types if ct.code == CONSULT) if consult else decision.case_type
        staff = self.staff(plan.data)
        case_director = None
        if not consult and staff["case_directors"] and rng.random() < 0.9:
            case_director = self.user(rng.choice(staff["case_directors"]))
        case = CasePlan(
            report=plan,
            case_type=case_type,
            phases=self.phases[case_type.pk],
            opened_at=decision.at,
            ave_level=decision.ave_level,
            consult=consult,
            process_director=decision.process_director,
            case_director=case_director,
            assigner=self.user(staff["assigner"]),
        )
        age = (self.end - case.opened_at) / DAY
        if consult:
            closed = age > 28 and rng.random() < 0.85
            close_at = self.pick(case.opened_at + 14 * DAY, min(self.end, case.opened_at + 42 * DAY)) if closed else None
        else:
            p_closed = 0 if age < 60 else 0.2 if age < 180 else 0.45
            closed = rng.random() < p_closed
            close_at = self.pick(case.opened_at + 60 * DAY, min(self.end, case.opened_at + 300 * DAY)) if closed else None
        case.events = self.case_story(case, close_at)
        self.cases.append(case)

    def target_phase(self, case: CasePlan, active_end) -> int:
        n = len(case.phases)
        if n == 1:
            return 0
        age_days = (active_end - case.opened_at) / DAY
        reachable = max(0, min(n - 1, int(age_days // 21)))
        covered = self.phase_coverage[case.case_type.pk]
        missing = [i for i in range(reachable + 1) if i not in covered]
        index = self.rng.choice(missing) if missing else self.rng.randint(0, reachable)
        covered.add(index)
        return index

    def case_story(self, case: CasePlan, close_at=None, reopen_at=None) -> list:
        """The events of one case after it was opened, in order: (moment, kind, kwargs).

        Before closing: the casusregisseur is named, phases advance (open cases end up in a phase chosen so
        that every phase of a type occurs), the AVE level goes up or down, notes are written. Then it may be
        closed with a result, and (for one case) reopened, scaled up again and noted.
        """
        rng = self.rng
        t0 = case.opened_at
        active_end = close_at or self.end
        span = (t0 + 2 * HOUR, active_end - HOUR)
        before = []
        if case.case_director:
            before.append((self.pick(t0 + HOUR, min(t0 + 3 * DAY, active_end - 2 * HOUR)), "assign", {}))
        n = len(case.phases)
        target = (n - 1 if rng.random() < 0.7 else rng.randint(0, n - 1)) if close_at else self.target_phase(case, active_end)
        if target:
            step = (span[1] - span[0]) / (target + 1)
            for index in range(1, target + 1):
                around = span[0] + step * index
                note = rng.choice(texts.PHASE_NOTES)
                before.append((self.pick(around - step / 3, around + step / 3), "phase", {"index": index, "note": note}))
        for _ in range(0 if case.consult else rng.choice([0, 0, 1, 1, 2])):
            before.append((self.pick(t0 + 5 * DAY, active_end - 2 * DAY), "ave", {"direction": "any"}))
        for _ in range(rng.choice([0, 1]) if case.consult else rng.randint(1, 4)):
            note = {"text": rng.choice(texts.CASE_NOTES), "by_case_director": rng.random() < 0.4}
            before.append((self.pick(*span), "note", note))
        ending = []
        if close_at:
            result = next(self.closing_results)
            if result in (ClosingResult.GOAL_REACHED, ClosingResult.SCALED_DOWN_LOCAL) and not case.consult:
                before.append((max(t0 + 3 * HOUR, close_at - rng.randint(1, 5) * DAY), "ave", {"direction": "down"}))
            ending.append((close_at, "close", {"result": result}))
        after = []
        if close_at and reopen_at:
            ending.append((reopen_at, "reopen", {"reason": rng.choice(texts.REOPEN_REASONS)}))
            after.append((self.pick(reopen_at + HOUR, min(self.end, reopen_at + 3 * DAY)), "ave", {"direction": "up"}))
            text = "Casus heropend; nieuw casusoverleg gepland met politie en woningcorporatie."
            after.append(
                (self.pick(reopen_at + 2 * HOUR, min(self.end, reopen_at + 7 * DAY)), "note", {"text": text, "by_case_director": False})
            )
        before = sorted((e for e in before if e[0] < active_end - 30 * MINUTE), key=lambda e: e[0])
        events = before + ending + sorted(after, key=lambda e: e[0])

        # Space the events out (a story never runs backwards) and give every AVE change a level: one step up
        # or down within AVE 1-4, starting from the level the weegtafel set.
        story, last, level = [], t0, case.ave_level
        for moment, kind, kwargs in events:
            moment = max(moment, last + MINUTE)
            if moment >= self.end:
                break
            if kind == "ave":
                direction = kwargs["direction"]
                if direction == "any":
                    direction = "up" if level <= 2 or (level == 3 and rng.random() < 0.4) else "down"
                if direction == "down" and level <= 2:
                    continue
                if direction == "up" and level >= 4:
                    direction = "down"
                to = level + 1 if direction == "up" else level - 1
                kwargs = {"to": to, "reason": rng.choice(texts.AVE_UP if to > level else texts.AVE_DOWN)}
                level = to
            story.append((moment, kind, kwargs))
            last = moment
        kinds = [kind for _, kind, _ in story]
        case.closed = "close" in kinds and "reopen" not in kinds
        case.reopened = "reopen" in kinds
        return story

    def plan_case_guarantees(self):
        """At least one case closed, and exactly one closed and reopened (an older Parkstad PGA case of 'regisseur')."""
        parkstad = [c for c in self.cases if c.report.data.code == "parkstad" and not c.consult]
        parkstad.sort(key=lambda c: c.opened_at)
        candidates = [c for c in parkstad if c.process_director.username == "regisseur"] or parkstad
        if not candidates:
            raise ValueError("Geen PGA-casussen in Parkstad om te heropenen; kies een grotere omvang.")
        chosen = candidates[0]
        age = self.end - chosen.opened_at
        close_at = self.pick(chosen.opened_at + age * 0.4, chosen.opened_at + age * 0.5)
        reopen_at = self.pick(chosen.opened_at + age * 0.65, chosen.opened_at + age * 0.75)
        chosen.events = self.case_story(chosen, close_at, reopen_at)
        if not chosen.reopened:
            raise RuntimeError("De heropende demo-casus past niet in de tijdlijn.")
        if not any(c.closed for c in self.cases):
            other = next(c for c in sorted(self.cases, key=lambda c: c.opened_at) if c is not chosen)
            age = self.end - other.opened_at
            other.events = self.case_story(other, self.pick(other.opened_at + age * 0.5, other.opened_at + age * 0.8))

    def schedule_case(self, case: CasePlan):
        for moment, kind, kwargs in case.events:
            self.schedule(moment, getattr(self, f"do_case_{kind}"), case, **kwargs)

    # ----- actions (run with the clock at their moment)

    def do_register(self, plan: ReportPlan):
        persons = [dict(person) for person in plan.persons]
        plan.obj = intake_services.register_report(
            actor=plan.intake, house=plan.house, fields={**plan.fields, "received_on": clock.today()}, persons=persons
        )

    def do_request(self, plan: ReportPlan, enrichment: EnrichmentPlan):
        enrichment.obj = intake_services.request_enrichment(
            plan.obj, actor=plan.intake, partner=enrichment.partner, question=enrichment.question, requested_on=clock.today()
        )

    def do_answer(self, plan: ReportPlan, enrichment: EnrichmentPlan):
        intake_services.record_enrichment_answer(enrichment.obj, actor=plan.intake, answered_on=clock.today(), summary=enrichment.summary)

    def do_ready(self, plan: ReportPlan):
        intake_services.change_status(plan.obj, actor=plan.intake, to=ReportStatus.READY)

    def do_plan_session(self, session: SessionPlan, planner):
        staff = self.staff(session.data)
        participants = {self.user(name) for name in staff["deciders"] + staff["directors"]}
        session.obj = triage_services.plan_session(
            actor=planner,
            house=session.house,
            starts_at=session.starts_at,
            location=texts.SESSION_LOCATIONS[session.data.code],
            participants=sorted(participants, key=lambda u: u.pk),
            external_participants=regions.TABLE_GUESTS[session.data.region],
        )
        self.check_agenda(session)

    def do_refresh_agenda(self, session: SessionPlan, planner, plan: ReportPlan):
        triage_services.refresh_agenda(session.obj, actor=planner)
        self.check_agenda(session)

    def check_agenda(self, session: SessionPlan):
        """The agenda the service made must be the one planned: the cut-off rule, seen from the other side."""
        on_agenda = set(session.obj.items.values_list("report_id", flat=True))
        expected = {plan.obj.pk for plan in session.reports if plan.ready_at <= clock.now()}
        if on_agenda != expected:
            raise RuntimeError(f"Agenda van {session.obj} wijkt af van de planning: {sorted(on_agenda ^ expected)}")

    def do_decide(self, plan: ReportPlan):
        decision = plan.decision
        item = TriageItem.objects.get(session=plan.session.obj, report=plan.obj)
        triage_services.decide(
            item,
            actor=decision.actor,
            ave_level=decision.ave_level,
            outcome=decision.outcome,
            reasons=decision.reasons,
            criteria=decision.criteria,
            case_type=decision.case_type,
            routed_to=decision.routed_to,
            process_director=decision.process_director,
        )

    def do_close_session(self, session: SessionPlan, planner):
        triage_services.close_session(session.obj, actor=planner)

    def case_of(self, case: CasePlan) -> Case:
        # A theme with separate dossiers (mensenhandel) opens one case per person of the melding; the story follows the
        # first. (A `get` failed whenever the seeded draws gave such a theme to a melding with several persons.)
        return Case.objects.filter(report=case.report.obj).order_by("pk").first()

    def do_case_assign(self, case: CasePlan):
        obj = self.case_of(case)
        case_services.assign_directors(
            obj, actor=case.assigner, process_director=obj.process_director, case_director=case.case_director, expected_version=obj.version
        )

    def do_case_phase(self, case: CasePlan, index: int, note: str):
        obj = self.case_of(case)
        case_services.change_phase(obj, actor=case.process_director, phase=case.phases[index], note=note, expected_version=obj.version)

    def do_case_ave(self, case: CasePlan, to: int, reason: str):
        obj = self.case_of(case)
        case_services.change_ave(obj, actor=case.process_director, to_level=to, reason=reason, expected_version=obj.version)

    def do_case_note(self, case: CasePlan, text: str, by_case_director: bool):
        actor = case.case_director if by_case_director and case.case_director else case.process_director
        case_services.add_note(self.case_of(case), actor=actor, text=text)

    def do_case_close(self, case: CasePlan, result):
        obj = self.case_of(case)
        case_services.close_case(
            obj, actor=case.process_director, result=result, note=texts.CLOSING_NOTES[result], expected_version=obj.version
        )

    def do_case_reopen(self, case: CasePlan, reason: str):
        obj = self.case_of(case)
        case_services.reopen_case(obj, actor=case.process_director, reason=reason, expected_version=obj.version)
