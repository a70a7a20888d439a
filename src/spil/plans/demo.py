"""Demo plannen van aanpak for ZVH Parkstad, written through the services at believable moments.

Open cases beyond the analyse phase (never closed, no consult) get a plan; the first ones cover every state:
concept, ter bevestiging with the Reclassering still to answer (so the demo "casusregisseur" has a confirmation to
give in Mijn werk), aangeboden more than a week ago and not started, in uitvoering with actions in every status
(some overdue), geweigerd with the drang route, and evaluated into a second version that runs again. Actions go to
the partners of the demo casusregisseurs (Reclassering, Mondriaan), who confirm and report progress themselves.
"""

import datetime

from spil.cases.models import Case, CaseStatus
from spil.core import clock
from spil.plans import services
from spil.plans.models import Action, ActionStatus, ConfirmationStatus, Plan
from spil.timeline.models import EventKind

HOUSE = "parkstad"
PARTNER_ACCOUNTS = ("casusregisseur", "casusregisseur-2")  # Reclassering, Mondriaan
# The first cases (longest history first) cover every state; "evaluated" ends with a second version running with
# actions in every status, "refused" with a new concept.
STORIES = ["evaluated", "refused", "confirming", "offered", "running", "draft"]
MIN_WINDOW = datetime.timedelta(days=14)
MAX_PLANS = {"demo": 40, "small": 16, "test": 8}

SITUATIONS = {
    "huisvesting": ("Woont afwisselend bij kennissen, geen vaste woonplek.", "Binnen drie maanden een vaste, begeleide woonplek."),
    "financien": ("Schulden bij meerdere schuldeisers, geen overzicht.", "Inkomen en schulden in beeld; aanmelding schuldhulp."),
    "verslaving": ("Dagelijks middelengebruik, eerdere behandeling afgebroken.", "In behandeling en middelengebruik afgenomen."),
    "psychische-gezondheid": ("Onbehandelde klachten, geen huisarts.", "Ingeschreven bij huisarts en in zorg bij de GGZ."),
    "justitie": ("Lopende zaken en een voorwaardelijke straf.", "Houdt zich aan de bijzondere voorwaarden."),
    "dagbesteding": ("Geen dagstructuur.", "Drie dagdelen per week dagbesteding."),
    "werk-inkomen": ("Geen inkomen sinds uitschrijving.", "Uitkering aangevraagd en toegekend."),
    "sociaal-netwerk": ("Contact vooral met gebruikers uit de wijk.", "Een steunend contact buiten het oude netwerk."),
}
ACTIONS = {
    "huisvesting": ["Aanmelden bij de woningcorporatie voor een begeleide woning", "Toezicht op afspraken over woonplek"],
    "financien": ["Budgetbeheer regelen en schuldeisers in kaart brengen"],
    "verslaving": ["Intake en behandeling verslavingszorg", "Urinecontroles in het kader van toezicht"],
    "psychische-gezondheid": ["Diagnostiek en behandeladvies GGZ"],
    "justitie": ["Reclasseringstoezicht op de bijzondere voorwaarden", "Meldplicht twee keer per week"],
    "dagbesteding": ["Toeleiden naar dagbesteding"],
    "werk-inkomen": ["Uitkering aanvragen met ondersteuning"],
    "sociaal-netwerk": ["Netwerkberaad met familie organiseren"],
}
INSTRUMENTS = ["RISc", "Zelfredzaamheid-Matrix", "RISc en ZRM", "GGZ-diagnostiek"]
DAY = datetime.timedelta(days=1)
# By due date: the earliest actions still open or running (so overdue by now), the later ones finished in every way.
EVERY_STATUS = [
    ActionStatus.RUNNING,
    ActionStatus.OPEN,
    ActionStatus.DONE,
    ActionStatus.IMPOSSIBLE,
    ActionStatus.NOT_DONE,
    ActionStatus.RUNNING,
]


def counts() -> dict[str, int]:
    return {
        "Plannen van aanpak": Plan.objects.count(),
        "Acties in plannen": Action.objects.count(),
    }


def build(ctx) -> None:
    house = ctx.houses.get(HOUSE)
    partner_users = [ctx.users.get(name) for name in PARTNER_ACCOUNTS]
    if house is None or not all(partner_users):
        return
    partners = [user.memberships.exclude(partner=None).first().partner for user in partner_users]
    stories = [Story(ctx, case, list(zip(partners, partner_users, strict=True))) for case in _candidates(house)]
    stories = [story for story in stories if story.end - story.start >= MIN_WINDOW]
    # Cases beyond the analyse phase first (in the small demo sizes others fill in), longest history first.
    stories.sort(key=lambda story: (story.case.phase.order < 2, story.start - story.end))
    stories = stories[: MAX_PLANS.get(ctx.size, 8)]
    for index, story in enumerate(stories):
        story.tell(STORIES[index] if index < len(STORIES) else ctx.rng.choice(["running", "running", "draft", "confirming", "offered"]))
    ctx.log(f"Plannen van aanpak: {len(stories)}")


def _candidates(house) -> list[Case]:
    """Open cases of the house with a procesregisseur, of a type with leefgebieden (no consult, not restricted)."""
    cases = (
        Case.objects.filter(house=house, status=CaseStatus.OPEN, process_director__isnull=False, case_type__restricted=False)
        .exclude(case_type__code="consult-advies")
        .exclude(plans__isnull=False)
        .select_related("case_type", "process_director", "phase")
        .order_by("opened_at", "pk")
    )
    return [case for case in cases if case.case_type.life_domains.filter(code__in=SITUATIONS).count() >= 2]


class Story:
    def __init__(self, ctx, case: Case, partners):
        self.ctx, self.rng, self.case = ctx, ctx.rng, case
        self.director = case.process_director
        self.partners = partners  # [(partner, user)]
        # After the first weeks of analysis, and never while the case was closed (a reopened case starts again).
        reopened = case.events.filter(kind=EventKind.REOPENED).order_by("-at").values_list("at", flat=True).first()
        analysis = min(14 * DAY, (ctx.now - case.opened_at) / 4)
        self.start = max(case.opened_at + analysis, reopened + DAY if reopened else case.opened_at)
        self.end = ctx.now - datetime.timedelta(hours=2)

    def at(self, share: float) -> datetime.datetime:
        """A moment `share` of the way through the case's life so far (office hours do not matter here)."""
        return min(self.start + (self.end - self.start) * share, self.end)

    def tell(self, story: str) -> None:
        getattr(self, f"story_{story}")()

    # ----- building blocks

    def domains(self):
        codes = set(self.case.case_type.life_domains.values_list("code", flat=True))
        chosen = [code for code in SITUATIONS if code in codes]
        self.rng.shuffle(chosen)
        return list(self.case.case_type.life_domains.filter(code__in=chosen[: self.rng.randint(2, 3)]))

    def draft(self, moment, *, based_on: Plan | None = None) -> Plan:
        with clock.travel_to(moment):
            plan = services.start_plan(self.case, actor=self.director)
            if based_on is None:
                services.update_plan(
                    plan,
                    actor=self.director,
                    instrument=self.rng.choice(INSTRUMENTS),
                    diagnosis="Meervoudige problematiek op wonen, middelen en justitie; eerdere hulp sloot niet aan.",
                    expected_version=plan.version,
                )
            for domain in self.domains():
                situation, goal = SITUATIONS[domain.code]
                services.set_goal(plan, actor=self.director, life_domain=domain, situation=situation, goal=goal)
                for description in ACTIONS[domain.code][: self.rng.randint(1, 2)]:
                    partner, user = self.rng.choice(self.partners)
                    start = clock.today() + self.rng.randint(7, 14) * DAY
                    services.add_action(
                        plan,
                        actor=self.director,
                        life_domain=domain,
                        description=description,
                        partner=partner,
                        responsible=user if self.rng.random() < 0.5 else None,
                        start_on=start,
                        due_on=start + self.rng.randint(21, 100) * DAY,
                    )
        plan.refresh_from_db()
        return plan

    def ask(self, plan: Plan, moment) -> None:
        with clock.travel_to(moment):
            services.request_confirmations(plan, actor=self.director, expected_version=plan.version)
        plan.refresh_from_db()

    def confirm(self, plan: Plan, moment, *, except_partner=None) -> None:
        with clock.travel_to(moment):
            for asked in services.open_confirmations(plan):
                if asked.partner == except_partner or asked.status != ConfirmationStatus.REQUESTED:
                    continue
                user = next(user for partner, user in self.partners if partner == asked.partner)
                services.answer_confirmation(asked, actor=user, confirmed=True, reason="")
        plan.refresh_from_db()

    def offer(self, plan: Plan, moment) -> None:
        with clock.travel_to(moment):
            services.offer(plan, actor=self.director, offered_on=clock.today(), expected_version=plan.version)
        plan.refresh_from_db()

    def accept_and_start(self, plan: Plan, moment, start_moment) -> None:
        with clock.travel_to(moment):
            services.accept(
                plan,
                actor=self.director,
                decided_on=clock.today(),
                agreement="mondeling",
                note="Plan besproken met cliënt en diens begeleider; cliënt stemt mondeling in.",
                expected_version=plan.version,
            )
        with clock.travel_to(start_moment):
            services.start(plan, actor=self.director, started_on=clock.today(), expected_version=plan.version)
        plan.refresh_from_db()

    def through_to_running(self, plan: Plan, a, b, c, d, e) -> None:
        self.ask(plan, self.at(a))
        self.confirm(plan, self.at(b))
        self.offer(plan, self.at(c))
        self.accept_and_start(plan, self.at(d), self.at(e))

    def progress(self, plan: Plan, moment, statuses) -> None:
        """Partners report progress: the actions get `statuses` in turn (who reports: the partner's account)."""
        with clock.travel_to(moment):
            for action, status in zip(plan.actions.order_by("due_on", "pk"), statuses, strict=False):
                if status == ActionStatus.OPEN:
                    continue
                user = next(user for partner, user in self.partners if partner.pk == action.partner_id)
                result = {
                    ActionStatus.RUNNING: "Loopt volgens afspraak.",
                    ActionStatus.DONE: "Afgerond; resultaat besproken met de regisseur.",
                    ActionStatus.IMPOSSIBLE: "Niet mogelijk: cliënt valt buiten de doelgroep van het aanbod.",
                    ActionStatus.NOT_DONE: "Niet uitgevoerd: cliënt is niet op de afspraken verschenen.",
                }[status]
                action.refresh_from_db()
                services.report_progress(action, actor=user, status=status, result=result, expected_version=action.version)

    def more_actions(self, plan: Plan, moment, *, total: int) -> None:
        """Extra actions (also with a short term, so some are overdue later) until the concept has `total`."""
        domains = [goal.life_domain for goal in plan.goals.select_related("life_domain")]
        with clock.travel_to(moment):
            for number in range(plan.actions.count(), total):
                domain = domains[number % len(domains)]
                partner, user = self.partners[number % len(self.partners)]
                start = clock.today()
                # Every other one is short: due two days before the end of the demo, so overdue when still open.
                short = max(start + DAY, min(start + 14 * DAY, self.ctx.now.date() - 2 * DAY))
                services.add_action(
                    plan,
                    actor=self.director,
                    life_domain=domain,
                    description=f"{ACTIONS[domain.code][0]} (vervolg)",
                    partner=partner,
                    responsible=user,
                    start_on=start,
                    due_on=short if number % 2 else start + 45 * DAY,
                )

    # ----- stories

    def story_draft(self) -> None:
        self.draft(self.at(0.85))

    def story_refused(self) -> None:
        """Refused with the drang route, then a new concept based on it."""
        plan = self.draft(self.at(0.3))
        self.ask(plan, self.at(0.4))
        self.confirm(plan, self.at(0.5))
        self.offer(plan, self.at(0.6))
        with clock.travel_to(self.at(0.7)):
            services.refuse(
                plan,
                actor=self.director,
                decided_on=clock.today(),
                follow_up="drang",
                note="Cliënt weigert vrijwillige hulp; via de reclassering worden bijzondere voorwaarden voorgesteld.",
                expected_version=plan.version,
            )
        with clock.travel_to(self.at(0.85)):
            services.start_plan(self.case, actor=self.director)

    def story_confirming(self) -> None:
        plan = self.draft(self.at(0.8))
        self.ask(plan, self.at(0.9))
        reclassering = self.partners[0][0]
        if not plan.actions.filter(partner=reclassering).exists():  # make sure the Reclassering is asked
            self._add_reclassering_action_and_reask(plan)
        self.confirm(plan, self.at(0.95), except_partner=reclassering)

    def _add_reclassering_action_and_reask(self, plan: Plan) -> None:
        with clock.travel_to(self.at(0.91)):
            services.back_to_draft(
                plan, actor=self.director, reason="Reclassering toevoegen voor het toezicht.", expected_version=plan.version
            )
            domain = plan.goals.first().life_domain
            services.add_action(
                plan,
                actor=self.director,
                life_domain=domain,
                description="Reclasseringstoezicht en meldplicht",
                partner=self.partners[0][0],
                responsible=self.partners[0][1],
                start_on=clock.today() + 7 * DAY,
                due_on=clock.today() + 60 * DAY,
            )
        plan.refresh_from_db()
        self.ask(plan, self.at(0.92))

    def story_offered(self) -> None:
        """Offered well over a week ago and not started: a signal for the regisseur."""
        plan = self.draft(self.at(0.1))
        self.ask(plan, self.at(0.2))
        self.confirm(plan, self.at(0.35))
        self.offer(plan, min(self.at(0.55), self.ctx.now - 8 * DAY))

    def story_running(self) -> None:
        plan = self.draft(self.at(0.3))
        self.more_actions(plan, self.at(0.31), total=6)
        self.through_to_running(plan, 0.33, 0.37, 0.4, 0.43, 0.45)
        # Some actions past their due date while still open or running.
        self.progress(plan, self.at(0.9), EVERY_STATUS)

    def story_evaluated(self) -> None:
        first = self.draft(self.at(0.1))
        self.through_to_running(first, 0.13, 0.16, 0.2, 0.22, 0.25)
        self.progress(first, self.at(0.45), [ActionStatus.DONE, ActionStatus.RUNNING, ActionStatus.RUNNING])
        first.refresh_from_db()
        moment = self.at(0.55)
        last_ave = self.case.ave_changes.order_by("-changed_at").first()
        change = last_ave is None or last_ave.changed_at < moment
        with clock.travel_to(moment):
            case = Case.objects.get(pk=self.case.pk)
            domains = {goal.life_domain for goal in first.goals.all()} | {action.life_domain for action in first.actions.all()}
            progress = {domain: (self.rng.choice(["verbeterd", "gelijk", "verbeterd"]), "") for domain in domains}
            to_level = case.ave_level - 1 if case.ave_level > 1 else case.ave_level + 1
            evaluation = services.evaluate(
                first,
                actor=self.director,
                evaluated_on=clock.today(),
                progress=progress,
                new_version=True,
                summary="Woonsituatie verbeterd, behandeling loopt; nieuwe versie met aangescherpte doelen.",
                ave_level=to_level if change else None,
                ave_reason="Risico's afgenomen na de eerste periode van het plan." if change else "",
                expected_version=first.version,
            )
        second = evaluation.new_version
        self.more_actions(second, self.at(0.58), total=6)
        self.through_to_running(second, 0.6, 0.63, 0.66, 0.69, 0.72)
        self.progress(second, self.at(0.9), EVERY_STATUS)
