import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from spil.cases.models import Case, CaseStatus, TeamRole
from spil.casetypes.models import CaseType
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import House, Membership, Role
from spil.persons.models import Person
from spil.timeline.models import Event
from spil.triage.models import SessionStatus, TriageSession

BENCH_DEVICE = "bench"


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
            "case_list": self.each(self.members(houses, Role.PROCESS_DIRECTOR), lambda user, house: ["/casussen/?status=open", "/casussen/"]),
            "dossier": self.dossiers(),
            "person_search_name": self.each(self.members(houses, Role.INTAKE), self.name_searches),
            "person_search_bsn": self.each(self.members(houses, Role.INTAKE), self.bsn_searches),
            "weegtafel": self.each(self.members(houses, Role.TRIAGE), self.triage_paths),
            "my_work": self.each(self.members(houses, Role.PROCESS_DIRECTOR), lambda user, house: ["/"]),
            "monitor_house": self.each(self.members(houses, Role.MANAGER), lambda user, house: [f"/monitor/?huis={house.pk}"]),
            "monitor_national": self.each(self.national_monitors(houses[0]), lambda user, house: ["/monitor/"]),
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

    def each(self, pairs, paths_for) -> list[dict]:
        return [
            {"name": f"{user.username}#{n}", "headers": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session(user)}"},
             "requests": [{"path": path} for path in paths_for(user, house)]}
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
        reports = Report.objects.filter(house=house).order_by("-received_on")[:200]
        return list(Person.objects.filter(reports__in=reports).distinct()[:limit])

    def name_searches(self, user, house) -> list[str]:
        return [f"/personen/?q={person.surname[:4]}" for person in self._persons_of(house) if len(person.surname) >= 4] or ["/personen/?q=jan"]

    def bsn_searches(self, user, house) -> list[str]:
        return [f"/personen/?q={person.bsn}" for person in self._persons_of(house, 60) if person.bsn][:20] or ["/personen/?q=999999999"]

    def triage_paths(self, user, house) -> list[str]:
        sessions = TriageSession.objects.filter(house=house).order_by("-starts_at")
        chosen = sessions.filter(status=SessionStatus.PLANNED).first() or sessions.first()
        if chosen is None:
            raise CommandError(f"Geen weegtafels in {house}.")
        return [f"/weegtafels/{chosen.pk}/"]
