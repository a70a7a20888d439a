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
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="melding")
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


class TeamRole(models.TextChoices):
    PROCESS_DIRECTOR = "procesregisseur", "Procesregisseur"
    CASE_DIRECTOR = "casusregisseur", "Casusregisseur"
    PROFESSIONAL = "professional", "Professional van een ketenpartner"
    SUPPORT = "ondersteuning", "Procesondersteuning"


class AccessLevel(models.TextChoices):
    FULL = "volledig", "Volledig dossier"
    SUMMARY = "samenvatting", "Samenvatting en eigen onderdelen"


class TeamMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class TeamMember(models.Model):
    """Membership of a case team: the reason a user may see a dossier. Revoked, never deleted."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="case_teams", verbose_name="medewerker")
    role = models.CharField("rol in de casus", max_length=20, choices=TeamRole.choices)
    access = models.CharField("toegang", max_length=20, choices=AccessLevel.choices, default=AccessLevel.FULL)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=clock.now)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField("reden intrekken", max_length=200, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "lid casusteam"
        verbose_name_plural = "casusteam"
        ordering = ["granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(revoked_at__isnull=True), name="one_active_membership_per_case"
            )
        ]
        # `access` included: the visibility reasons read a user's active team cases (with full access) from the index alone
        indexes = [
            models.Index(fields=["user", "case"], include=["access"], condition=models.Q(revoked_at__isnull=True), name="active_team_idx")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.case}"


EMERGENCY_ACCESS_HOURS = 24


class Review(models.TextChoices):
    PENDING = "", "Nog te beoordelen"
    JUSTIFIED = "terecht", "Terecht"
    UNJUSTIFIED = "onterecht", "Onterecht"


class EmergencyAccess(models.Model):
    """Doorbreken: 24 hours of access to a dossier when the responsible regisseur is unreachable (seed 004)."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="emergency_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.TextField("reden")
    started_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    review = models.CharField("beoordeling", max_length=20, choices=Review.choices, blank=True, default=Review.PENDING)
    review_note = models.TextField("toelichting beoordeling", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "noodtoegang"
        verbose_name_plural = "noodtoegangen"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]
