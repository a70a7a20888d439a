"""The plan van aanpak of a case: versions, goals per leefgebied, actions, delivery confirmations, evaluations.

A `Plan` row is one version. Versions follow each other (`based_on`); only the newest version of a case may be
unfinished (database constraint). Status changes are append-only rows (`PlanStatusChange`).
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from spil.casetypes.models import LifeDomain
from spil.cases.models import Case
from spil.core import clock
from spil.core.models import VersionedModel
from spil.core import uploads
from spil.core.uploads import StoredFile
from spil.organisations.models import Partner

OFFER_START_DAYS = 7  # "aanbieden en binnen een week starten"


class PlanStatus(models.TextChoices):
    DRAFT = "concept", "Concept"
    CONFIRMING = "ter_bevestiging", "Ter bevestiging bij partners"
    OFFERED = "aangeboden", "Aangeboden"
    ACCEPTED = "geaccepteerd", "Geaccepteerd"
    REFUSED = "geweigerd", "Geweigerd"
    RUNNING = "in_uitvoering", "In uitvoering"
    EVALUATED = "geevalueerd", "Geëvalueerd"


FINAL_STATUSES = (PlanStatus.REFUSED, PlanStatus.EVALUATED)


class Agreement(models.TextChoices):
    DOCUMENT = "document", "Ondertekend document"
    VERBAL = "mondeling", "Mondelinge afspraak"


class FollowUp(models.TextChoices):
    PRESSURE = "drang", "Drang"
    COERCION = "dwang", "Dwang"
    OTHER = "anders", "Anders"


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_plans(self, user)


class Plan(VersionedModel):
    case = models.ForeignKey(Case, models.PROTECT, related_name="plans", verbose_name="casus")
    version_number = models.PositiveSmallIntegerField("versie")
    based_on = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="successors", verbose_name="gebaseerd op")
    status = models.CharField("status", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    instrument = models.CharField(
        "diagnose-instrument",
        max_length=120,
        blank=True,
        help_text="Het gebruikte instrument, bijvoorbeeld RISc of de Zelfredzaamheid-Matrix.",
    )
    diagnosis = models.TextField("diagnose / probleemanalyse", blank=True)
    confirmation_round = models.PositiveSmallIntegerField(default=0, editable=False)
    offered_on = models.DateField("aangeboden op", null=True, blank=True)
    decided_on = models.DateField("besluit cliënt op", null=True, blank=True)
    agreement = models.CharField("vorm van instemming", max_length=20, choices=Agreement.choices, blank=True)
    agreement_note = models.TextField("toelichting instemming", blank=True)
    follow_up = models.CharField("vervolg na weigering", max_length=20, choices=FollowUp.choices, blank=True)
    follow_up_note = models.TextField("toelichting vervolg", blank=True)
    started_on = models.DateField("gestart op", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan van aanpak"
        verbose_name_plural = "plannen van aanpak"
        ordering = ["case", "-version_number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version_number"], name="unique_plan_version"),
            models.UniqueConstraint(
                fields=["case"], condition=~models.Q(status__in=["geweigerd", "geevalueerd"]), name="one_unfinished_plan_per_case"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"Plan van aanpak {self.case.number} versie {self.version_number}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def start_before(self) -> datetime.date | None:
        return self.offered_on + datetime.timedelta(days=OFFER_START_DAYS) if self.offered_on else None

    @property
    def started_late(self) -> bool:
        return bool(self.started_on and self.offered_on and self.started_on > self.start_before)


class PlanStatusChange(models.Model):
    """One step of a plan version's life (append-only: a database trigger refuses UPDATE and DELETE)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]


class Goal(VersionedModel):
    """Per leefgebied of the case type: the situation (shortfall) and the goal of this plan version."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="goals")
    life_domain = models.ForeignKey(LifeDomain, models.PROTECT, related_name="+", verbose_name="leefgebied")
    situation = models.TextField("situatie / tekort", blank=True)
    goal = models.TextField("doel", blank=True)

    class Meta:
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        ordering = ["life_domain__order", "life_domain__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "life_domain"], name="one_goal_per_life_domain")]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RUNNING = "loopt", "Loopt"
    DONE = "gereed", "Gereed"
    IMPOSSIBLE = "niet_mogelijk", "Niet mogelijk"
    NOT_DONE = "niet_uitgevoerd", "Niet uitgevoerd"


ACTIVE_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.RUNNING)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_actions(self, user)

    def active(self):
        return self.filter(status__in=ACTIVE_ACTION_STATUSES)


class Action(VersionedModel):
    """What a partner does for a leefgebied, by when; partners report its progress."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="actions")
    life_domain = models.ForeignKey(LifeDomain, models.PROTECT, related_name="+", verbose_name="leefgebied")
    description = models.TextField("actie")
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="plan_actions", verbose_name="verantwoordelijke partner")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="verantwoordelijke persoon",
    )
    start_on = models.DateField("start")
    due_on = models.DateField("gereed uiterlijk")
    status = models.CharField("status", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    result = models.TextField("resultaat", blank=True)
    origin = models.CharField(
        "herkomst", max_length=120, blank=True, help_text="Bijvoorbeeld het casusoverleg waarin de actie is afgesproken."
    )
    carried_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="carried_into", verbose_name="overgenomen van"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("afgerond op", null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["life_domain__order", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["partner", "status"])]

    def __str__(self):
        return self.description[:60]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_active and self.due_on < clock.today()


class ActionUpdate(models.Model):
    """A progress report on an action (append-only): status and result as reported, by whom, when."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    result = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]


class ConfirmationStatus(models.TextChoices):
    REQUESTED = "gevraagd", "Gevraagd"
    CONFIRMED = "bevestigd", "Bevestigd"
    DECLINED = "afgewezen", "Kan niet leveren"


class DeliveryConfirmationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_confirmations(self, user)


class DeliveryConfirmation(models.Model):
    """A partner confirms it can deliver its actions of a plan version on time, or declines with a reason.

    Each time a plan goes "ter bevestiging" is a new round; earlier rounds stay as history.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="confirmations")
    round = models.PositiveSmallIntegerField()
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="+", verbose_name="partner")
    status = models.CharField("status", max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.REQUESTED)
    reason = models.TextField("toelichting", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now, editable=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = "leveringsbevestiging"
        verbose_name_plural = "leveringsbevestigingen"
        ordering = ["partner__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "round", "partner"], name="one_confirmation_per_round")]
        indexes = [models.Index(fields=["status", "requested_at"])]


class SignedAgreement(StoredFile):
    """The client's signed plan (contract), uploaded when the plan is accepted."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="documents")

    class Meta:
        verbose_name = "ondertekend plan"
        verbose_name_plural = "ondertekende plannen"


@receiver(post_delete, sender=SignedAgreement)
def _remove_file(sender, instance, **kwargs):
    """Destruction of a dossier (privacy.services.destroy) takes the stored file along, once the deletion commits."""
    key = instance.file_key
    transaction.on_commit(lambda: uploads.remove(key))


class Evaluation(models.Model):
    """An evaluation of a plan in uitvoering: progress per leefgebied, perhaps an AVE change and a new version."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField("datum evaluatie")
    summary = models.TextField("conclusie")
    ave_from = models.PositiveSmallIntegerField(null=True, blank=True)
    ave_to = models.PositiveSmallIntegerField(null=True, blank=True)
    new_version = models.OneToOneField(Plan, models.SET_NULL, null=True, blank=True, related_name="started_by_evaluation")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        ordering = ["evaluated_on", "pk"]


class Progress(models.TextChoices):
    BETTER = "verbeterd", "Verbeterd"
    SAME = "gelijk", "Gelijk gebleven"
    WORSE = "verslechterd", "Verslechterd"


class EvaluationProgress(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="progress")
    life_domain = models.ForeignKey(LifeDomain, models.PROTECT, related_name="+", verbose_name="leefgebied")
    progress = models.CharField("voortgang", max_length=20, choices=Progress.choices)
    note = models.TextField("toelichting", blank=True)

    class Meta:
        ordering = ["life_domain__order", "life_domain__name"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "life_domain"], name="one_progress_per_life_domain")]
