from django.conf import settings
from django.db import models

from spil.core import clock

from spil.casetypes.models import CaseType
from spil.intake.models import Report
from spil.organisations.models import House


class AveLevel(models.IntegerChoices):
    """The AVE model (Aanpak Voorkoming Escalatie), domain.md §4."""

    ORDINARY_LIFE = 1, "AVE 1 – het gewone leven"
    CARE = 2, "AVE 2 – zorgen"
    CARE_AND_SAFETY = 3, "AVE 3 – zorg en veiligheid"
    PUBLIC_UNREST = 4, "AVE 4 – (dreiging van) maatschappelijke onrust"


class Outcome(models.TextChoices):
    PROCESS_DIRECTION = "procesregie", "Procesregie / PGA bij het ZVH"
    CONSULT = "consult_advies", "Consult & Advies"
    LOCAL = "lokaal", "Routeren naar lokaal niveau"
    PARTNER = "partner", "Routeren naar een ketenpartner"
    OTHER_REGION = "andere_regio", "Routeren naar een andere regio"
    NO_ACTION = "geen_actie", "Geen actie"

    @classmethod
    def opening_a_case(cls):
        return {cls.PROCESS_DIRECTION, cls.CONSULT}


class SessionStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    CLOSED = "afgerond", "Afgerond"


class TriageSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_triage_sessions(self, user)


class TriageSession(models.Model):
    """A meeting of the weegtafel / weegploeg of one house."""

    house = models.ForeignKey(House, models.PROTECT, related_name="triage_sessions", verbose_name="ZVH")
    starts_at = models.DateTimeField("datum en tijd")
    location = models.CharField("locatie", max_length=120, blank=True)
    cutoff_at = models.DateTimeField("sluiting agenda", editable=False)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="triage_sessions", verbose_name="deelnemers", blank=True)
    external_participants = models.TextField(
        "overige deelnemers", blank=True, help_text="Deelnemers zonder account, één per regel met hun organisatie."
    )
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = TriageSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "weegtafel"
        verbose_name_plural = "weegtafels"
        ordering = ["-starts_at"]
        # The few planned sessions among the years of held ones: Mijn werk's coming weegtafels (by date), and the
        # meldingen on the agenda of the planned sessions a user sits at (`access.policy`, by id: PostgreSQL merges the
        # sessions with the user's participations in id order, and without it read every session to find the planned).
        indexes = [
            models.Index(fields=["starts_at"], condition=models.Q(status=SessionStatus.PLANNED), name="triage_planned_session"),
            models.Index(fields=["id"], condition=models.Q(status=SessionStatus.PLANNED), name="triage_planned_session_id"),
        ]

    def __str__(self):
        return f"Weegtafel {self.house} {self.starts_at:%d-%m-%Y}"


class TriageItem(models.Model):
    """One melding on a session's agenda, and the table's decision about it once taken."""

    session = models.ForeignKey(TriageSession, models.CASCADE, related_name="items")
    report = models.ForeignKey(Report, models.PROTECT, related_name="triage_items")
    order = models.PositiveSmallIntegerField(default=0)

    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    multiple_life_domains = models.BooleanField("multiproblematiek op meer dan één leefgebied", default=False)
    multiple_chains = models.BooleanField("meer dan één keten nodig", default=False)
    impact_on_surroundings = models.BooleanField("impact op systeem of omgeving", default=False)
    serious_local_safety = models.BooleanField("ernstig lokaal veiligheidsprobleem", default=False)
    ave_level = models.PositiveSmallIntegerField("AVE-niveau", choices=AveLevel.choices, null=True)
    outcome = models.CharField("uitkomst", max_length=20, choices=Outcome.choices, blank=True)
    case_type = models.ForeignKey(CaseType, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="aanpak van de casus")
    reasons = models.TextField("motivering", blank=True)
    routed_to = models.CharField(
        "gerouteerd naar", max_length=160, blank=True, help_text="Bij routeren: naar welke gemeente, partner of regio."
    )
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="deelnemers aan het besluit", blank=True)

    class Meta:
        verbose_name = "agendapunt weegtafel"
        verbose_name_plural = "agendapunten weegtafel"
        ordering = ["session", "order"]
        constraints = [models.UniqueConstraint(fields=["session", "report"], name="unique_report_per_session")]

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def criteria_met(self) -> list[str]:
        return [self._meta.get_field(name).verbose_name for name in CRITERIA if getattr(self, name)]


CRITERIA = ["multiple_life_domains", "multiple_chains", "impact_on_surroundings", "serious_local_safety"]
