"""Signals (what needs attention, kept current from the registered detectors) and the WTH measure (huisverbod)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from spil.core import clock


class SignalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_signals(self, user)

    def for_user(self, user):
        """Signals addressed to the user, and those of the cases they direct (procesregisseur or casusregisseur)."""
        addressed = SignalRecipient.objects.filter(signal=models.OuterRef("pk"), user=user.pk)
        # The directed cases as a subquery, not as conditions on the joined case: PostgreSQL then joined the case of each
        # of a regisseur's 700 signals only to read its two regisseurs.
        cases = self.model._meta.get_field("case").related_model.objects
        directed = cases.filter(Q(process_director=user.pk) | Q(case_director=user.pk)).values("pk")
        return self.filter(models.Exists(addressed) | Q(case__in=directed))


class Signal(models.Model):
    """One situation that needs attention (a deadline near or past, a stagnating case), as a detector reported it.

    `refresh` opens, updates and resolves signals; a resolved signal is kept. The key is unique among open
    signals: when the same situation comes back after it was resolved, it is a new signal (and a new notification).
    """

    key = models.CharField("sleutel", max_length=200)
    kind = models.CharField("soort", max_length=60)
    house = models.ForeignKey("organisations.House", models.CASCADE, related_name="+", verbose_name="ZVH")
    case = models.ForeignKey("cases.Case", models.CASCADE, null=True, blank=True, related_name="signals", verbose_name="casus")
    due = models.DateTimeField("uiterlijk")
    title = models.CharField("omschrijving", max_length=300)
    url = models.CharField(max_length=300)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, through="SignalRecipient", related_name="signals")
    opened_at = models.DateTimeField("gesignaleerd op", default=clock.now)
    resolved_at = models.DateTimeField("opgelost op", null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(resolved_at__isnull=True), name="one_open_signal_per_key"),
        ]
        indexes = [
            models.Index(fields=["house", "due"], condition=Q(resolved_at__isnull=True), name="open_signal_house_due_idx"),
            models.Index(fields=["case"], condition=Q(resolved_at__isnull=True), name="open_signal_case_idx"),
        ]

    def __str__(self):
        return self.title


class SignalRecipient(models.Model):
    """Who a signal is for; `notified_at` is set once their notification was made (never twice)."""

    signal = models.ForeignKey(Signal, models.CASCADE, related_name="recipient_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=clock.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "user"], name="one_recipient_row_per_signal")]
        indexes = [
            models.Index(fields=["user", "signal"]),
            models.Index(fields=["user"], condition=Q(notified_at__isnull=True), name="signal_recipient_pending_idx"),
        ]


class RefreshMark(models.Model):
    """The moment up to which the signals are in line with time (one row). The periodic refresh looks only at what
    time changed after it (`services.refresh_by_time`); every refresh of everything sets it."""

    refreshed_at = models.DateTimeField("bijgewerkt tot")

    class Meta:
        verbose_name = "stand van de signalen"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_refresh_mark")]


class ExtensionDecision(models.TextChoices):
    EXTENDED = "verlengd", "Verlengd"
    NOT_EXTENDED = "niet_verlengd", "Niet verlengd"


class Measure(models.Model):
    """A measure with a hard term on a case, such as a huisverbod (WTH): `measure_days` from the moment it was
    imposed, and the burgemeester's decision on extension, up to `measure_max_days` in total (case type data).

    The term is fixed when the measure is recorded, so a later edit of the case type does not move a running one.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="measures", verbose_name="casus")
    imposed_at = models.DateTimeField("opgelegd op")
    ends_at = models.DateTimeField("eindigt op (zonder verlenging)")
    max_ends_at = models.DateTimeField("uiterste einde (met verlenging)")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    decision = models.CharField("besluit over verlenging", max_length=20, choices=ExtensionDecision.choices, blank=True)
    extended_until = models.DateTimeField("verlengd tot", null=True, blank=True)
    decision_note = models.TextField("toelichting bij het besluit", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "maatregel"
        verbose_name_plural = "maatregelen"
        ordering = ["-imposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("imposed_at")), name="measure_ends_after_imposed"),
            models.CheckConstraint(condition=Q(max_ends_at__gte=models.F("ends_at")), name="measure_max_after_end"),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True)
                | Q(extended_until__gt=models.F("ends_at"), extended_until__lte=models.F("max_ends_at")),
                name="measure_extension_within_maximum",
            ),
            models.CheckConstraint(
                condition=Q(decision="verlengd", extended_until__isnull=False) | (~Q(decision="verlengd") & Q(extended_until__isnull=True)),
                name="measure_extension_has_end",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"]), models.Index(fields=["extended_until"])]

    def __str__(self):
        return f"Maatregel {self.case} van {clock.local_text(self.imposed_at)}"

    @property
    def end(self) -> datetime.datetime:
        """When the measure ends: the extended end once extended, otherwise the initial term."""
        return self.extended_until if self.decision == ExtensionDecision.EXTENDED else self.ends_at

    @property
    def decided(self) -> bool:
        return bool(self.decision)

    def is_running(self, at: datetime.datetime | None = None) -> bool:
        at = at or clock.now()
        return self.imposed_at <= at < self.end
