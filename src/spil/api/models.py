"""Machine clients of the partner API: who they are, their credentials, idempotency keys and rate-limit windows.

A client acts through a technical user (unusable password) whose `Role.API_CLIENT` memberships name the partner and
the houses it may submit to; so the access policy, the timeline and the processing log treat it as any other actor.
Only hashes of credentials are stored; the plain value is shown once when it is issued.
"""

import hashlib

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.organisations.models import Partner


def digest(secret: str) -> str:
    """SHA-256 of a credential. Credentials are 256-bit random values, so a fast hash is enough (no password hashing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(models.Model):
    name = models.CharField(
        "naam", max_length=120, unique=True, help_text="Bijvoorbeeld: ZSM Limburg (OM), meldingen vanuit het politiesysteem."
    )
    client_id = models.SlugField(
        "client-id", max_length=60, unique=True, help_text="Openbare naam van de koppeling, gebruikt bij OAuth2 client credentials."
    )
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="api_clients", verbose_name="ketenpartner")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_client", verbose_name="technische gebruiker", editable=False
    )
    active = models.BooleanField("actief", default=True, help_text="Een inactieve koppeling krijgt op elk verzoek 401.")
    rate_limit_per_minute = models.PositiveIntegerField("verzoeken per minuut", default=120)
    created_at = models.DateTimeField("aangemaakt op", default=clock.now, editable=False)
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API-koppeling"
        verbose_name_plural = "API-koppelingen"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The technical user is active exactly when the client is: policy.partner_users only counts active users.
        type(self.user).objects.filter(pk=self.user_id).exclude(is_active=self.active).update(is_active=self.active)


class CredentialKind(models.TextChoices):
    TOKEN = "token", "Vast token (bearer)"
    SECRET = "secret", "Client secret (OAuth2 client credentials)"
    ACCESS = "access", "Kortlevend toegangstoken"


class CredentialQuerySet(models.QuerySet):
    def usable(self):
        now = clock.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class Credential(models.Model):
    """A hashed credential of a client. Several may be valid at once, so a client can rotate without downtime."""

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="credentials")
    kind = models.CharField("soort", max_length=10, choices=CredentialKind.choices)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("begint met", max_length=12, editable=False, help_text="De eerste tekens, om het te herkennen.")
    created_at = models.DateTimeField("uitgegeven op", default=clock.now, editable=False)
    expires_at = models.DateTimeField("verloopt op", null=True, blank=True)
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = "sleutel"
        verbose_name_plural = "sleutels"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "kind", "expires_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.hint}…"


class IdempotencyKey(models.Model):
    """The first answer to a submission with an `Idempotency-Key`: a retry gets it again instead of a duplicate.

    The unique constraint is the lock: a concurrent request with the same key waits for the first one's transaction
    (INSERT ... ON CONFLICT) and then finds its answer. No personal data: a keyed hash of the body, and the answer
    (a melding number and status).
    """

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="unique_idempotency_key_per_client")]
        indexes = [models.Index(fields=["client", "created_at"])]


class RateWindow(models.Model):
    """Requests of a client in one minute, counted in the database so every worker process sees the same count."""

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window_start"], name="one_rate_window_per_minute")]
