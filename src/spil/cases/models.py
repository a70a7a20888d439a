from django.conf import settings
from django.db import models

from spil.core import clock

from spil.casetypes.models import CaseType, Phase
from spil.core.models import VersionedModel
from spil.intake.models import Report
from spil.organisations.models import House
from spil.persons.models import Person
from spil.triage.models import AveLevel


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "gesloten", "Gesloten"


class ClosingResult(models.TextChoices):
    GOAL_REACHED = "doel_bereikt", "Doel bereikt"
    SCALED_DOWN_LOCAL = "afgeschaald_lokaal", "Afgeschaald naar lokaal"
    HANDED_TO_PARTNER = "overgedragen_partner", "Overgedragen aan partner"
    CLIENT_REFUSES = "client_weigert", "Cliënt weigert"
    MOVED = "verhuisd", "Verhuisd / buiten regio"
    DECEASED = "overleden", "Overleden"
    OTHER = "anders", "Anders"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_cases(self, user)


class Case(VersionedModel):
    number = models.CharField("casusnummer", max_length=20, unique=True, editable=False)
    house = models.ForeignKey(House, models.PROTECT, related_name="cases", verbose_name="ZVH")
    case_type = models.ForeignKey(CaseType, models.PROTECT, related_name="cases", verbose_name="aanpak")
    report = models.ForeignKey(
        Report, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="melding"
    )
    persons = models.ManyToManyField(Person, related_name="cases", verbose_name="personen")
    process_director = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="procesregisseur"
    )
    case_director = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="casusregisseur"
    )
    status = models.CharField("status", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    phase = models.ForeignKey(Phase, models.PROTECT, related_name="+", verbose_name="fase")
    phase_due_on = models.DateField("fase gereed uiterlijk")
    ave_level = models.PositiveSmallIntegerField("AVE-niveau", choices=AveLevel.choices)
    opened_at = models.DateTimeField("geopend op")
    closed_at = models.DateTimeField("gesloten op", null=True, blank=True)
    closing_result = models.CharField("resultaat", max_length=30, choices=ClosingResult.choices, blank=True)
    closing_note = models.TextField("toelichting bij afsluiten", blank=True)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["house", "status"]),
            models.Index(fields=["process_director", "status"]),
            models.Index(fields=["case_director", "status"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class AveChange(models.Model):
    """Op- or afschalen: one row per change of a case's AVE level (append-only)."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="ave_changes")
    from_level = models.PositiveSmallIntegerField(choices=AveLevel.choices, null=True)
    to_level = models.PositiveSmallIntegerField(choices=AveLevel.choices)
    reason = models.TextField("reden")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    @property
    def direction(self) -> str:
        if self.from_level is None:
            return "vastgesteld"
        return "opgeschaald" if self.to_level > self.from_level else "afgeschaald"
