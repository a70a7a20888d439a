"""The monitor's stored data: the manager's text per half year, and the computed figures kept as snapshots.

A `Snapshot` is a cache of `figures.dashboard` for one scope (a set of houses) and period: the figures exactly as the
page shows them, already aggregated and protected by `suppression`. It holds no person, case or melding; who may see
a scope is decided by the views as before, never by the snapshot (`snapshots.py`).
"""

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.core.models import VersionedModel
from spil.organisations.models import House


class ManagementText(VersionedModel):
    """The management section of a house's half-year report for the stuurgroep, written by the manager."""

    house = models.ForeignKey(House, models.PROTECT, related_name="management_texts", verbose_name="ZVH")
    year = models.PositiveSmallIntegerField("jaar")
    half = models.PositiveSmallIntegerField("halfjaar", choices=[(1, "1e halfjaar"), (2, "2e halfjaar")])
    text = models.TextField(
        "managementtekst",
        help_text="Duiding van de cijfers, ontwikkelingen en aandachtspunten voor de stuurgroep. Geen persoonsgegevens.",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "managementtekst halfjaarrapportage"
        verbose_name_plural = "managementteksten halfjaarrapportage"
        ordering = ["house", "-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["house", "year", "half"], name="unique_management_text"),
            models.CheckConstraint(condition=models.Q(half__in=[1, 2]), name="management_text_half_1_or_2"),
        ]

    def __str__(self):
        return f"{self.house} {self.year}-H{self.half}"


class Snapshot(models.Model):
    """The kerncijfers of one scope and period as computed at `computed_at` (see `snapshots.py`)."""

    houses = models.TextField("huizen", help_text="De primaire sleutels van de huizen, oplopend, met komma's: '3,7,12'.")
    start = models.DateField("van")
    end = models.DateField("tot en met")
    figures = models.JSONField("cijfers", help_text="De beschermde cijfers zoals de pagina ze toont; nooit persoonsgegevens.")
    threshold = models.PositiveSmallIntegerField("drempel", help_text="De drempel van de kleine aantallen bij het berekenen.")
    schema = models.PositiveSmallIntegerField("opbouw", help_text="De versie van de opbouw van de cijfers (snapshots.SCHEMA).")
    computed_at = models.DateTimeField("berekend op")
    seconds = models.FloatField("rekentijd (s)")

    class Meta:
        verbose_name = "kerncijfers (opgeslagen)"
        verbose_name_plural = "kerncijfers (opgeslagen)"
        constraints = [models.UniqueConstraint(fields=["houses", "start", "end"], name="unique_monitor_snapshot")]

    def __str__(self):
        return f"{self.houses} {self.start}–{self.end}"
