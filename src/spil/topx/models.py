"""Top-X: the house's ranked lists of PGA cases with very high impact, per municipality or for the whole region.

A list is re-ranked only by a decision of a meeting; every decision is a new `Ranking` with its `RankingEntry` rows
(append-only: a database trigger refuses UPDATE and DELETE). The current list is the latest ranking; a case
"carries the Top-X label" while it is on the current ranking of a list.
"""

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.organisations.models import House, Municipality


class TopXListQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_topx_lists(self, user)


class TopXList(models.Model):
    house = models.ForeignKey(House, models.PROTECT, related_name="topx_lists", verbose_name="ZVH")
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="topx_lists",
        verbose_name="gemeente",
        help_text="Leeg: de lijst geldt voor de hele regio van het ZVH.",
    )
    name = models.CharField("naam", max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = TopXListQuerySet.as_manager()

    class Meta:
        verbose_name = "Top-X-lijst"
        verbose_name_plural = "Top-X-lijsten"
        ordering = ["house", "name"]
        constraints = [
            models.UniqueConstraint(fields=["house", "name"], name="unique_topx_list_name"),
            models.UniqueConstraint(fields=["house", "municipality"], name="one_topx_list_per_municipality"),
            models.UniqueConstraint(fields=["house"], condition=models.Q(municipality__isnull=True), name="one_regional_topx_list"),
        ]

    def __str__(self):
        return self.name

    @property
    def area(self) -> str:
        return str(self.municipality) if self.municipality_id else f"regio {self.house}"


class Ranking(models.Model):
    """One decision of a meeting on the order of a list (append-only)."""

    topx_list = models.ForeignKey(TopXList, models.PROTECT, related_name="rankings", verbose_name="lijst")
    meeting = models.ForeignKey("meetings.Meeting", models.PROTECT, related_name="topx_rankings", verbose_name="besloten in overleg")
    decided_at = models.DateTimeField("besloten op")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="vastgelegd door")
    note = models.TextField("toelichting", blank=True)

    class Meta:
        verbose_name = "rangschikking"
        verbose_name_plural = "rangschikkingen"
        ordering = ["topx_list", "-decided_at", "-pk"]
        indexes = [models.Index(fields=["topx_list", "decided_at"])]

    def __str__(self):
        return f"{self.topx_list} – {self.decided_at:%d-%m-%Y}"


class RankingEntry(models.Model):
    """A case's place in one ranking, with the reason for its placement or change (append-only)."""

    ranking = models.ForeignKey(Ranking, models.PROTECT, related_name="entries")
    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="topx_entries", verbose_name="casus")
    rank = models.PositiveSmallIntegerField("rang")
    reason = models.TextField("reden", blank=True)

    class Meta:
        verbose_name = "plaats op de Top-X-lijst"
        verbose_name_plural = "plaatsen op de Top-X-lijst"
        ordering = ["ranking", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "rank"], name="unique_rank_per_ranking"),
            models.UniqueConstraint(fields=["ranking", "case"], name="unique_case_per_ranking"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="rank_from_one"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.case}"
