from django.conf import settings
from django.db import models

from spil.core import clock


class EventKind(models.TextChoices):
    RECEIVED = "ontvangen", "Ontvangen"
    STATUS = "status", "Status gewijzigd"
    CHANGED = "gewijzigd", "Gegevens gewijzigd"
    ENRICHMENT = "verrijking", "Verrijking"
    AGENDA = "agenda", "Geagendeerd"
    TRIAGE = "weging", "Gewogen"
    CASE_OPENED = "casus_geopend", "Casus geopend"
    AVE = "ave", "AVE-niveau"
    PHASE = "fase", "Fase"
    ROLE = "rol", "Rol"
    NOTE = "notitie", "Notitie"
    CLOSED = "gesloten", "Gesloten"
    REOPENED = "heropend", "Heropend"
    PLAN = "plan", "Plan van aanpak"
    MEETING = "overleg", "Casusoverleg"
    TOP_X = "top_x", "Top-X"
    MEASURE = "maatregel", "Maatregel"
    FORWARDED = "doorgezonden", "Doorgezonden"


class Event(models.Model):
    """One line in the append-only timeline of a melding or a case (a database trigger forbids edits)."""

    report = models.ForeignKey("intake.Report", models.PROTECT, null=True, blank=True, related_name="events")
    case = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    text = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(report__isnull=False) | models.Q(case__isnull=False), name="event_has_subject")
        ]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["report", "at"])]

    def __str__(self):
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_kind_display()}: {self.text}"
