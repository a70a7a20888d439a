"""A national dataset for performance work: 30 houses, their municipalities and staff, and years of history.

It starts from the demo (`generator.generate`: the Limburg houses, the demo accounts and a year of work written
through the services), then adds the bulk with PostgreSQL COPY (`bulk.Table`): houses up to 30, users, persons,
meldingen with their weging, cases with team, AVE history, plans, goals and actions, timelines, and the processing
log with its audit records, hash-chained exactly as `logbook.chain` does, so `verify_logbook` still passes.

The rows are what the services would have written (same statuses, numbers, timeline kinds and log records), but
they are not written through the services: at a million persons that would take days. Everything random comes
from one seeded `random.Random`, so a size always gives the same dataset. Names come from small pools and BSNs
are generated 11-proef numbers from the 9000xxxxx-9999xxxxx range: fictitious, taken from nowhere.
"""

import datetime
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from spil.cases.models import AccessLevel, AveChange, Case, CaseStatus, ClosingResult, TeamMember, TeamRole
from spil.casetypes.models import CaseType
from spil.core.models import Counter
from spil.demo import generator, texts
from spil.demo.bulk import Table, some_of
from spil.intake.models import Channel, Report, ReportPerson, ReportStatus
from spil.demo.national_log import LogWriter
from spil.logbook.models import ProcessingRecord
from spil.organisations.models import House, Membership, Municipality, Partner, PartnerType, Role
from spil.persons import names
from spil.persons.bsn import bsn_hash, check_digit
from spil.persons.models import Person
from spil.plans.models import Action as PlanAction
from spil.plans.models import ActionStatus, Goal, Plan, PlanStatus
from spil.timeline.models import Event, EventKind
from spil.triage.models import Outcome, SessionStatus, TriageItem, TriageSession


@dataclass(frozen=True)
class NationalSize:
    name: str
    persons: int
    reports: int
    cases: int
    users: int
    log_records: int
    houses: int = 30
    years: int = 5
    long_timelines: int = 30  # cases with a long timeline (one per house), for the dossier benchmark
    long_timeline_events: int = 400
    demo: str = "demo"  # the demo size it starts from


SIZES = {
    "small": NationalSize("small", persons=10_000, reports=6_000, cases=3_000, users=600, log_records=100_000),
    "national": NationalSize("national", persons=1_000_000, reports=600_000, cases=300_000, users=5_000, log_records=10_000_000),
}

# The Dutch safety regions; each of the houses beyond the demo's takes one of these names.
REGIONS = [
    "Groningen",
    "Fryslân",
    "Drenthe",
    "IJsselland",
    "Twente",
    "Noord- en Oost-Gelderland",
    "Gelderland-Midden",
    "Utrecht",
    "Noord-Holland Noord",
    "Zaanstreek-Waterland",
    "Kennemerland",
    "Amsterdam-Amstelland",
    "Gooi en Vechtstreek",
    "Haaglanden",
    "Hollands Midden",
    "Rotterdam-Rijnmond",
    "Zuid-Holland Zuid",
    "Zeeland",
    "Midden- en West-Brabant",
    "Brabant-Noord",
    "Brabant-Zuidoost",
    "Flevoland",
    "Amersfoort",
    "Leiden",
    "Dordrecht",
    "Alkmaar",
    "Zwolle",
    "Arnhem",
    "Nijmegen",
]
MUNICIPALITIES_PER_HOUSE = 11

# Staff per house, in proportion; partner roles work for one of the house's partners.
STAFF_SHARES = {
    Role.INTAKE: 6,
    Role.TRIAGE: 6,
    Role.PROCESS_DIRECTOR: 15,
    Role.CASE_DIRECTOR: 25,
    Role.PROFESSIONAL: 40,
    Role.BACK_OFFICE: 4,
    Role.MANAGER: 1,
    Role.PRIVACY_OFFICER: 1,
    Role.OOV_OFFICER: 2,
}
PARTNER_ROLES = {Role.CASE_DIRECTOR, Role.PROFESSIONAL}
HOUSE_PARTNER_TYPES = [
    PartnerType.POLICE,
    PartnerType.PROBATION,
    PartnerType.MENTAL_HEALTH,
    PartnerType.ADDICTION,
    PartnerType.DOMESTIC_VIOLENCE,
    PartnerType.YOUTH_CARE,
    PartnerType.HOUSING,
    PartnerType.PROSECUTION,
]
PERSONS_PER_REPORT = (1, 1, 1, 2, 3)
OPEN_CASE_SHARE = 0.35


class Progress:
    """A progress bar on a terminal, a line per tenth otherwise (CI logs)."""

    def __init__(self, label: str, total: int, out=sys.stdout):
        self.label, self.total, self.out = label, max(total, 1), out
        self.done = 0
        self.shown = -1
        self.started = time.monotonic()
        self.tty = out.isatty()

    def advance(self, n: int = 1) -> None:
        self.done += n
        step = self.done * (40 if self.tty else 10) // self.total
        if step != self.shown:
            self.shown = step
            if self.tty:
                bar = "#" * step + "." * (40 - step)
                self.out.write(f"\r  {self.label:<22} [{bar}] {self.done:>10,}/{self.total:,}")
            else:
                self.out.write(f"  {self.label}: {self.done:,}/{self.total:,}\n")
            self.out.flush()

    def close(self) -> float:
        seconds = time.monotonic() - self.started
        self.out.write(f"{chr(13) if self.tty else ''}  {self.label:<22} {self.done:>10,} in {seconds:5.1f} s{' ' * 40}\n")
        self.out.flush()
        return seconds


def counted(progress: Progress, rows):
    for row in rows:
        progress.advance()
        yield row


class Serial:
    """Numbers of one yearly series (`M-2024-000123`) handed out in bulk, continuing after what the counter holds
    (the demo's own meldingen and cases come first); `save` moves the counters on, as `next_number` would have."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.values = {
            int(series.rsplit("-", 1)[1]): value
            for series, value in Counter.objects.filter(series__startswith=f"{prefix}-").values_list("series", "value")
        }

    def next(self, year: int) -> str:
        self.values[year] = self.values.get(year, 0) + 1
        return f"{self.prefix}-{year}-{self.values[year]:06d}"

    def save(self) -> None:
        for year, value in self.values.items():
            Counter.objects.update_or_create(series=f"{self.prefix}-{year}", defaults={"value": value})


def bench_bsns(rng: random.Random):
    """11-proef numbers from 9999xxxxx down to 9000xxxxx, each prefix shuffled."""
    for prefix in range(9999, 8999, -1):
        block = [f"{prefix}{n:04d}" for n in range(10_000)]
        rng.shuffle(block)
        for head in block:
            if (check := check_digit(head)) is not None:
                yield f"{head}{check}"


class NationalData:
    def __init__(self, size: NationalSize, *, seed: int = 2026, now: datetime.datetime | None = None, out=sys.stdout):
        self.size = size
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.out = out
        self.seconds: dict[str, float] = {}
        faker = Faker("nl_NL")
        faker.seed_instance(seed)
        self.first_names = sorted({faker.first_name() for _ in range(3000)})
        self.surnames = sorted({faker.last_name() for _ in range(6000)})
        self.streets = sorted({faker.street_name() for _ in range(2000)})

    def log(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # --- the whole run ----------------------------------------------------------------------------------

    def build(self) -> dict:
        started = time.monotonic()
        self.log("Stap 1/6: demo (Limburg, via de services)")
        generator.generate(self.size.demo, log=lambda text: None, now=self.now)
        self.seconds["demo"] = time.monotonic() - started
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                # The rows are consistent by construction: no per-row foreign-key and history triggers during the load
                # (superuser only; the embedded server's user is one). Never in production.
                cursor.execute("SET LOCAL session_replication_role = replica")
                # Check what the demo left deferred now: a table with pending trigger events cannot drop its indexes.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.log("Stap 2/6: huizen, gemeenten, partners")
            self.organisations()
            self.log("Stap 3/6: medewerkers")
            self.staff()
            self.log("Stap 4/6: personen en meldingen")
            self.persons_and_reports()
            self.log("Stap 5/6: casussen, plannen en tijdlijnen")
            self.cases()
            self.log("Stap 6/6: verwerkingenlogboek")
            self.processing_log()
            self.numbering()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.seconds["total"] = time.monotonic() - started
        return self.counts()

    @staticmethod
    def counts() -> dict:
        return {
            "persons": Person.objects.count(),
            "reports": Report.objects.count(),
            "cases": Case.objects.count(),
            "users": get_user_model().objects.count(),
            "houses": House.objects.count(),
            "log_records": ProcessingRecord.objects.count(),
        }

    # --- organisations and staff -----------------------------------------------------------------------

    def organisations(self) -> None:
        existing = list(House.objects.order_by("pk"))
        faker = Faker("nl_NL")
        faker.seed_instance(7)
        taken = set(Municipality.objects.values_list("name", flat=True))
        code = 9000
        for region in REGIONS[: max(0, self.size.houses - len(existing))]:
            house, _ = House.objects.get_or_create(code=f"zvh-{region.lower()}".replace(" ", "-")[:40], defaults={"name": f"ZVH {region}"})
            house.contact = house.contact or f"loket@{house.code}.zvh.invalid"
            house.save(update_fields=["contact"])
            for _ in range(MUNICIPALITIES_PER_HOUSE):
                name = faker.city()
                while name in taken:
                    name = f"{faker.city()}-{faker.city()}"
                taken.add(name)
                code += 1
                Municipality.objects.get_or_create(
                    cbs_code=f"GM{code}", defaults={"name": name, "population": self.rng.randint(8_000, 160_000), "house": house}
                )
            for kind in HOUSE_PARTNER_TYPES:
                Partner.objects.get_or_create(name=f"{PartnerType(kind).label} {region}", defaults={"type": kind})
        self.houses = list(House.objects.order_by("pk"))
        self.municipalities = {house.pk: list(Municipality.objects.filter(house=house).order_by("pk")) for house in self.houses}
        all_partners = list(Partner.objects.order_by("pk"))
        self.partners = {house.pk: self._partners_of(house, all_partners) for house in self.houses}
        self.case_types = [t for t in CaseType.objects.for_intake().prefetch_related("phases", "life_domains") if not t.restricted]
        self.phases = {t.pk: list(t.phases.order_by("order")) for t in self.case_types}
        self.domains = {t.pk: list(t.life_domains.all()) or [None] for t in self.case_types}
        self.activities = {t.pk: t.processing_activity_id for t in self.case_types}

    def _partners_of(self, house, partners) -> list:
        region = house.name.removeprefix("ZVH ")
        own = [p for p in partners if p.name.endswith(region)]
        return own or [p for p in partners if p.type != PartnerType.ZVH][:12]

    def staff(self) -> None:
        users, memberships = Table(get_user_model()), Table(Membership)
        total_share = sum(STAFF_SHARES.values())
        self.staff_of: dict[tuple[int, str], list[int]] = {}
        user_rows, membership_rows = [], []
        joined = self.now - datetime.timedelta(days=365 * self.size.years)
        for index, house in enumerate(self.houses):
            # The size's number of users exactly: the houses' remainder to the first houses, each house's rounding to its professionals.
            per_house = self.size.users // len(self.houses) + (1 if index < self.size.users % len(self.houses) else 0)
            counts = {role: max(1, per_house * share // total_share) for role, share in STAFF_SHARES.items()}
            counts[Role.PROFESSIONAL] = max(1, counts[Role.PROFESSIONAL] + per_house - sum(counts.values()))
            for role in STAFF_SHARES:
                for n in range(counts[role]):
                    user_id = users.next_id()
                    user_rows.append(
                        {
                            "id": user_id,
                            "password": "!",
                            "username": f"b-{house.pk}-{role}-{n}",
                            "first_name": self.rng.choice(self.first_names),
                            "last_name": self.rng.choice(self.surnames),
                            "email": "",
                            "is_staff": False,
                            "is_active": True,
                            "is_superuser": False,
                            "date_joined": joined,
                        }
                    )
                    partner = self.rng.choice(self.partners[house.pk]).pk if role in PARTNER_ROLES else None
                    municipality = self.rng.choice(self.municipalities[house.pk]).pk if role == Role.OOV_OFFICER else None
                    membership_rows.append(
                        {
                            "id": memberships.next_id(),
                            "user_id": user_id,
                            "house_id": house.pk,
                            "role": role,
                            "partner_id": partner,
                            "municipality_id": municipality,
                        }
                    )
                    self.staff_of.setdefault((house.pk, role), []).append(user_id)
        self.seconds["users"] = self._copy("medewerkers", users, user_rows) + self._copy("lidmaatschappen", memberships, membership_rows)

    def _copy(self, label: str, table: Table, rows, total: int | None = None) -> float:
        progress = Progress(label, total if total is not None else len(rows), self.out)
        with table.deferred_indexes():
            table.copy(counted(progress, rows))
        table.finish()
        return progress.close()

    def pick(self, house_id: int, role: str) -> int:
        return self.rng.choice(self.staff_of[(house_id, role)])

    # --- persons and meldingen --------------------------------------------------------------------------

    def moment(self, days_back_max: int) -> datetime.datetime:
        """A weekday office moment within the last `days_back_max` days."""
        day = self.now - datetime.timedelta(days=self.rng.uniform(1, days_back_max))
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day.replace(hour=self.rng.randint(8, 16), minute=self.rng.randint(0, 59), second=0, microsecond=0)

    def persons_and_reports(self) -> None:
        people, reports, links, events = Table(Person), Table(Report), Table(ReportPerson), Table(Event)
        sessions, items = Table(TriageSession), Table(TriageItem)
        bsns = bench_bsns(self.rng)
        weights = [len(self.municipalities[h.pk]) for h in self.houses]
        # Persons: spread over the houses' municipalities; 7 in 10 with a BSN.
        self.persons_of: dict[int, list[int]] = {h.pk: [] for h in self.houses}
        self.person_home: dict[int, int] = {}
        # The keys of the few thousand names, computed once instead of a million times.
        surnames = [(*split, names.surname_key(*split)) for split in map(generator.split_surname, self.surnames)]
        first_name_keys = {first: names.first_name_key(first) for first in self.first_names}

        def person_rows():
            for _ in range(self.size.persons):
                house = self.rng.choices(self.houses, weights)[0]
                municipality = self.rng.choice(self.municipalities[house.pk])
                person_id = people.next_id()
                self.persons_of[house.pk].append(person_id)
                self.person_home[person_id] = house.pk
                first, (prefix, surname, name_key) = self.rng.choice(self.first_names), self.rng.choice(surnames)
                bsn = next(bsns) if self.rng.random() < 0.7 else ""
                yield {
                    "id": person_id,
                    "bsn": bsn,
                    "bsn_hash": bsn_hash(bsn) if bsn else "",
                    "first_names": first,
                    "surname_prefix": prefix,
                    "surname": surname,
                    "birth_date": datetime.date(self.rng.randint(1940, 2010), self.rng.randint(1, 12), self.rng.randint(1, 28)),
                    "address": f"{self.rng.choice(self.streets)} {self.rng.randint(1, 250)}",
                    "postcode": f"{self.rng.randint(1000, 9999)} AB",
                    "city": municipality.name,
                    "municipality_id": municipality.pk,
                    "created_at": self.now - datetime.timedelta(days=365 * self.size.years),
                    "name_key": name_key,
                    "first_name_key": first_name_keys[first],
                    # Meldingen and cases name persons of their own house only; the load fires no triggers.
                    "known_in_houses": [house.pk],
                }

        self.seconds["persons"] = self._copy("personen", people, person_rows(), self.size.persons)
        # Meldingen over the years, oldest first so numbers follow the calendar; most were weighed long ago.
        received = sorted(self.moment(365 * self.size.years) for _ in range(self.size.reports))
        self.reports: list[tuple] = []  # (report id, house id, received moment, person ids, outcome)
        session_of: dict[tuple[int, datetime.date], int] = {}
        session_rows, item_rows, link_rows, event_rows = [], [], [], []
        serial = Serial("M")

        def report_rows():
            for at in received:
                house = self.rng.choices(self.houses, weights)[0]
                report_id = reports.next_id()
                number = serial.next(at.year)
                age_days = (self.now - at).days
                status = (
                    ReportStatus.TRIAGED
                    if age_days > 21
                    else self.rng.choice([ReportStatus.RECEIVED, ReportStatus.ENRICHING, ReportStatus.READY, ReportStatus.TRIAGED])
                )
                case_type = self.rng.choice(self.case_types)
                persons = some_of(self.rng, self.persons_of[house.pk], self.rng.choice(PERSONS_PER_REPORT))
                intake = self.pick(house.pk, Role.INTAKE)
                outcome = (
                    self.rng.choices(list(texts.OUTCOME_WEIGHTS), list(texts.OUTCOME_WEIGHTS.values()))[0]
                    if status == ReportStatus.TRIAGED
                    else None
                )
                self.reports.append((report_id, house.pk, at, persons, outcome, case_type, number))
                for order, person in enumerate(persons):
                    link_rows.append(
                        {
                            "id": links.next_id(),
                            "report_id": report_id,
                            "person_id": person,
                            "relation": "betrokkene" if order == 0 else "gezinslid",
                            "order": order,
                        }
                    )
                event_rows.append(
                    {
                        "id": events.next_id(),
                        "report_id": report_id,
                        "kind": EventKind.RECEIVED,
                        "text": f"Melding ontvangen en geregistreerd als {number}. Ontvangst bevestigd aan de melder.",
                        "actor_id": intake,
                        "at": at,
                    }
                )
                ready_at = None
                if status in (ReportStatus.READY, ReportStatus.TRIAGED):
                    ready_at = at + datetime.timedelta(days=self.rng.uniform(0.2, 6))
                    event_rows.append(
                        {
                            "id": events.next_id(),
                            "report_id": report_id,
                            "kind": EventKind.STATUS,
                            "text": "Status van 'Ontvangen' naar 'Gereed voor weging'.",
                            "actor_id": intake,
                            "at": ready_at,
                        }
                    )
                if status == ReportStatus.TRIAGED:
                    self._triage(
                        house,
                        report_id,
                        ready_at,
                        outcome,
                        case_type,
                        session_of,
                        session_rows,
                        item_rows,
                        event_rows,
                        sessions,
                        items,
                        events,
                    )
                yield {
                    "id": report_id,
                    "number": number,
                    "house_id": house.pk,
                    "status": status,
                    "source_partner_id": self.rng.choice(self.partners[house.pk]).pk,
                    "reporter_name": f"{self.rng.choice(self.first_names)} {self.rng.choice(self.surnames)}",
                    "reporter_contact": "",
                    "channel": self.rng.choice(list(Channel)),
                    "received_on": at.date(),
                    "reason": self.rng.choice(texts.REASONS.get(texts.family_of(case_type), texts.REASONS["pga"])).replace(
                        "{n}", str(self.rng.randint(3, 14))
                    ),
                    "request": "Procesregie en afstemming tussen de partners.",
                    "requested_case_type_id": case_type.pk,
                    "ready_at": ready_at,
                    "created_by_id": intake,
                    "created_at": at,
                    "updated_at": ready_at or at,
                    "version": 1,
                    "intake_region_id": house.intake_region_id,
                }

        self.seconds["reports"] = self._copy("meldingen", reports, report_rows(), self.size.reports)
        self.seconds["report_links"] = self._copy("personen bij meldingen", links, link_rows)
        self.seconds["sessions"] = self._copy("weegtafels", sessions, session_rows) + self._copy("agendapunten", items, item_rows)
        self.report_events = event_rows  # written with the case events, one COPY for the timeline
        self.events = events
        self.serials = [serial]

    def _triage(
        self, house, report_id, ready_at, outcome, case_type, session_of, session_rows, item_rows, event_rows, sessions, items, events
    ):
        day = (ready_at + datetime.timedelta(days=(1 - ready_at.weekday()) % 7 or 7)).date()  # the next Tuesday
        key = (house.pk, day)
        if key not in session_of:
            starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
            session_id = sessions.next_id()
            session_of[key] = session_id
            session_rows.append(
                {
                    "id": session_id,
                    "house_id": house.pk,
                    "starts_at": starts_at,
                    "cutoff_at": starts_at - datetime.timedelta(days=1),
                    "status": SessionStatus.CLOSED if starts_at < self.now else SessionStatus.PLANNED,
                    "created_by_id": self.pick(house.pk, Role.BACK_OFFICE),
                    "created_at": starts_at - datetime.timedelta(days=7),
                    "location": "",
                    "external_participants": "",
                }
            )
        decided_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
        weger = self.pick(house.pk, Role.TRIAGE)
        item_rows.append(
            {
                "id": items.next_id(),
                "session_id": session_of[key],
                "report_id": report_id,
                "order": 0,
                "decided_at": decided_at,
                "decided_by_id": weger,
                "multiple_life_domains": True,
                "multiple_chains": True,
                "impact_on_surroundings": self.rng.random() < 0.5,
                "serious_local_safety": self.rng.random() < 0.3,
                "ave_level": self.rng.choices(list(texts.AVE_FOR_OUTCOME[outcome]), list(texts.AVE_FOR_OUTCOME[outcome].values()))[0],
                "outcome": outcome,
                "case_type_id": case_type.pk if outcome in Outcome.opening_a_case() else None,
                "reasons": "Besproken aan de weegtafel.",
                "routed_to": "",
            }
        )
        event_rows.append(
            {
                "id": events.next_id(),
                "report_id": report_id,
                "kind": EventKind.TRIAGE,
                "text": f"Gewogen: {Outcome(outcome).label}.",
                "actor_id": weger,
                "at": decided_at,
            }
        )

    # --- cases ------------------------------------------------------------------------------------------

    def cases(self) -> None:
        cases, case_persons, team, ave = Table(Case), Table(Case.persons.through), Table(TeamMember), Table(AveChange)
        plans, goals, actions = Table(Plan), Table(Goal), Table(PlanAction)
        events = self.events
        opening = [r for r in self.reports if r[4] in Outcome.opening_a_case()]
        chosen = opening[: self.size.cases]
        long_houses = set()
        serial = Serial("C")
        person_rows, team_rows, ave_rows, plan_rows, goal_rows, action_rows = [], [], [], [], [], []
        event_rows = self.report_events
        self.case_subjects: list[tuple[int, int, list[int], str]] = []  # (house, activity, persons, number) for the log

        def case_rows():
            for report_id, house_id, at, persons, _outcome, case_type, _number in chosen:
                case_id = cases.next_id()
                opened = at + datetime.timedelta(days=self.rng.uniform(7, 20))
                if opened > self.now:
                    opened = self.now - datetime.timedelta(hours=1)
                number = serial.next(opened.year)
                phases = self.phases[case_type.pk]
                is_open = self.rng.random() < OPEN_CASE_SHARE or (self.now - opened).days < 60
                phase = self.rng.choice(phases) if is_open else phases[-1]
                director = self.pick(house_id, Role.PROCESS_DIRECTOR)
                case_director = self.pick(house_id, Role.CASE_DIRECTOR) if self.rng.random() < 0.6 else None
                closed = None if is_open else min(self.now, opened + datetime.timedelta(days=self.rng.uniform(60, 500)))
                level = self.rng.randint(1, 5)
                for person in persons:
                    person_rows.append({"id": case_persons.next_id(), "case_id": case_id, "person_id": person})
                team_rows.append(
                    {
                        "id": team.next_id(),
                        "case_id": case_id,
                        "user_id": director,
                        "role": TeamRole.PROCESS_DIRECTOR,
                        "access": AccessLevel.FULL,
                        "granted_by_id": director,
                        "granted_at": opened,
                    }
                )
                if case_director:
                    team_rows.append(
                        {
                            "id": team.next_id(),
                            "case_id": case_id,
                            "user_id": case_director,
                            "role": TeamRole.CASE_DIRECTOR,
                            "access": AccessLevel.FULL,
                            "granted_by_id": director,
                            "granted_at": opened,
                        }
                    )
                for professional in {self.pick(house_id, Role.PROFESSIONAL) for _ in range(self.rng.randint(0, 2))}:
                    team_rows.append(
                        {
                            "id": team.next_id(),
                            "case_id": case_id,
                            "user_id": professional,
                            "role": TeamRole.PROFESSIONAL,
                            "access": AccessLevel.SUMMARY,
                            "granted_by_id": director,
                            "granted_at": opened,
                        }
                    )
                ave_rows.append(
                    {
                        "id": ave.next_id(),
                        "case_id": case_id,
                        "from_level": None,
                        "to_level": level,
                        "reason": "Vastgesteld aan de weegtafel.",
                        "changed_by_id": director,
                        "changed_at": opened,
                    }
                )
                event_rows.append(
                    {
                        "id": events.next_id(),
                        "case_id": case_id,
                        "report_id": None,
                        "kind": EventKind.CASE_OPENED,
                        "text": f"Casus {number} geopend ({case_type.name}), AVE-niveau {level}.",
                        "actor_id": director,
                        "at": opened,
                    }
                )
                self._case_story(
                    case_id,
                    house_id,
                    opened,
                    closed,
                    director,
                    len(self.case_subjects) < self.size.long_timelines and house_id not in long_houses,
                    event_rows,
                    events,
                )
                if len(self.case_subjects) < self.size.long_timelines:
                    long_houses.add(house_id)
                if (self.now - opened).days > 45:
                    self._plan(case_id, house_id, case_type, opened, director, plan_rows, goal_rows, action_rows, plans, goals, actions)
                self.case_subjects.append((house_id, self.activities[case_type.pk], persons, number))
                yield {
                    "id": case_id,
                    "number": number,
                    "house_id": house_id,
                    "case_type_id": case_type.pk,
                    "report_id": report_id,
                    "process_director_id": director,
                    "case_director_id": case_director,
                    "status": CaseStatus.OPEN if is_open else CaseStatus.CLOSED,
                    "phase_id": phase.pk,
                    "phase_due_on": (opened + datetime.timedelta(days=phase.lead_time_days)).date(),
                    "ave_level": level,
                    "opened_at": opened,
                    "closed_at": closed,
                    "closing_result": "" if is_open else self.rng.choice(list(ClosingResult)),
                    "closing_note": "",
                    "updated_at": closed or opened,
                    "version": 1,
                }

        self.seconds["cases"] = self._copy("casussen", cases, case_rows(), len(chosen))
        self.seconds["case_persons"] = self._copy("personen bij casussen", case_persons, person_rows)
        self.seconds["team"] = self._copy("casusteams", team, team_rows)
        self.seconds["ave"] = self._copy("AVE-historie", ave, ave_rows)
        self.seconds["plans"] = (
            self._copy("plannen", plans, plan_rows) + self._copy("doelen", goals, goal_rows) + self._copy("acties", actions, action_rows)
        )
        self.seconds["timeline"] = self._copy("tijdlijnregels", events, event_rows)
        self.serials.append(serial)

    def _case_story(self, case_id, house_id, opened, closed, director, long, event_rows, events):
        end = closed or self.now
        count = self.size.long_timeline_events if long else self.rng.randint(2, 12)
        span = (end - opened).total_seconds()
        for moment in sorted(opened + datetime.timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count)):
            event_rows.append(
                {
                    "id": events.next_id(),
                    "case_id": case_id,
                    "report_id": None,
                    "kind": EventKind.NOTE,
                    "text": self.rng.choice(texts.CASE_NOTES),
                    "actor_id": director,
                    "at": moment,
                }
            )
        if closed:
            event_rows.append(
                {
                    "id": events.next_id(),
                    "case_id": case_id,
                    "report_id": None,
                    "kind": EventKind.CLOSED,
                    "text": "Casus gesloten.",
                    "actor_id": director,
                    "at": closed,
                }
            )

    def _plan(self, case_id, house_id, case_type, opened, director, plan_rows, goal_rows, action_rows, plans, goals, actions):
        plan_id = plans.next_id()
        created = opened + datetime.timedelta(days=14)
        started = (created + datetime.timedelta(days=21)).date()
        plan_rows.append(
            {
                "id": plan_id,
                "case_id": case_id,
                "version_number": 1,
                "based_on_id": None,
                "status": PlanStatus.RUNNING,
                "instrument": "",
                "diagnosis": "Problemen op meerdere leefgebieden; samenwerking van de partners nodig.",
                "confirmation_round": 1,
                "offered_on": started - datetime.timedelta(days=3),
                "decided_on": started - datetime.timedelta(days=1),
                "agreement": "mondeling",
                "started_on": started,
                "created_by_id": director,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        domains = [d for d in self.domains[case_type.pk] if d is not None]
        for domain in self.rng.sample(domains, min(3, len(domains))):
            goal_rows.append(
                {
                    "id": goals.next_id(),
                    "plan_id": plan_id,
                    "life_domain_id": domain.pk,
                    "situation": "Zie diagnose.",
                    "goal": "Stabiele situatie.",
                }
            )
            for _ in range(self.rng.randint(1, 2)):
                due = started + datetime.timedelta(days=self.rng.randint(14, 200))
                done = due < self.now.date() and self.rng.random() < 0.7
                action_rows.append(
                    {
                        "id": actions.next_id(),
                        "plan_id": plan_id,
                        "life_domain_id": domain.pk,
                        "description": "Afspraak maken en uitvoeren.",
                        "partner_id": self.rng.choice(self.partners[house_id]).pk,
                        "responsible_id": None,
                        "start_on": started,
                        "due_on": due,
                        "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                        "result": "Uitgevoerd." if done else "",
                        "origin": "",
                        "carried_from_id": None,
                        "created_by_id": director,
                        "created_at": created,
                        "updated_at": created,
                        "version": 1,
                        "status_changed_at": None,
                        "finished_at": timezone.make_aware(datetime.datetime.combine(due, datetime.time(12))) if done else None,
                    }
                )

    # --- the processing log ----------------------------------------------------------------------------

    def processing_log(self) -> None:
        """Reads, searches and changes of the cases' persons over the years, oldest first (`national_log`)."""
        total = self.size.log_records
        progress = Progress("verwerkingen", total, self.out)
        # A span concerns a dossier's persons (1.6 on average) and a search shows a few more: a third as many spans as
        # records is enough, and the writer stops at the exact total.
        first = int((self.now - datetime.timedelta(days=365 * self.size.years)).timestamp())
        office = [hour * 3600 for hour in range(8, 17)]
        seconds = sorted(
            first + self.rng.randrange(365 * self.size.years) * 86400 + self.rng.choice(office) + self.rng.randrange(3600)
            for _ in range(total // 3 + 1)
        )

        def spans():
            for second in seconds:
                house_id, activity, persons, number = self.rng.choice(self.case_subjects)
                at = datetime.datetime.fromtimestamp(second, datetime.UTC)
                yield at, self.pick(house_id, Role.PROCESS_DIRECTOR), activity, number, persons, self.persons_of[house_id]

        LogWriter(self.rng, progress).write(total, spans())
        self.seconds["log"] = progress.close()

    def numbering(self) -> None:
        """The yearly series continue after the loaded numbers."""
        for serial in self.serials:
            serial.save()


def fingerprint(size: NationalSize, seed: int) -> str:
    """Identifies a dataset: the size and seed it was made with."""
    return hashlib.sha256(json.dumps([size.__dict__, seed], sort_keys=True).encode()).hexdigest()[:16]
