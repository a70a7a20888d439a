"""Retention decisions of the privacy officer: legal holds and extensions that keep a closed case past its term.

The term itself is data (`ProcessingActivity.retention_years` of the case type's activity); these rows only keep a
case longer, never shorter. They belong to the case and go with it when it is finally destroyed; the audit log
keeps the fact that they were placed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from spil.core import clock


class RetentionHoldQuerySet(models.QuerySet):
    def active(self, today):
        """Holds that block destruction on `today`: not lifted, and open-ended or running until at least today."""
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gte=today))


class RetentionDecision(models.Model):
    """What every retention decision records: a reason, who and when."""

    reason = models.TextField("reden")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class RetentionHold(RetentionDecision):
    """Bewaarplicht (legal hold): the case may not be destroyed while the hold runs, e.g. during legal proceedings."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="retention_holds", verbose_name="casus")
    until = models.DateField("tot en met", null=True, blank=True, help_text="Leeg laten voor een bewaarplicht zonder einddatum.")
    lifted_at = models.DateTimeField("opgeheven op", null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    lift_reason = models.TextField("reden opheffen", blank=True)

    objects = RetentionHoldQuerySet.as_manager()

    class Meta(RetentionDecision.Meta):
        verbose_name = "bewaarplicht"
        verbose_name_plural = "bewaarplichten"

    def __str__(self):
        return f"Bewaarplicht op {self.case}"


class RetentionExtension(RetentionDecision):
    """Verlenging: keep a closed case until a later date than its processing activity's retention term."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="retention_extensions", verbose_name="casus")
    keep_until = models.DateField("bewaren tot en met")

    class Meta(RetentionDecision.Meta):
        verbose_name = "verlenging bewaartermijn"
        verbose_name_plural = "verlengingen bewaartermijn"

    def __str__(self):
        return f"Verlenging van {self.case} tot {self.keep_until:%d-%m-%Y}"
