"""The monitor computes its figures on request (`figures.py`); it stores only the manager's text per half year."""

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
