"""The Verwerkingsregister, the Logboek Dataverwerkingen and the security audit log.

Both logs are append-only (a trigger refuses UPDATE and DELETE) and hash-chained per partition, so a changed
or removed row is detected by `manage.py verify_logbook`.
"""

from django.conf import settings
from django.db import models


class ProcessingActivity(models.Model):
    """A verwerkingsactiviteit in the register (AVG art. 30): why and on what basis Spil processes personal data."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=160, unique=True)
    purpose = models.TextField("doel")
    legal_basis = models.TextField("grondslag", help_text="Bijvoorbeeld Wgs art. …, AVG art. 6 lid 1 sub e, convenant.")
    categories_of_persons = models.TextField("categorieën betrokkenen")
    categories_of_data = models.TextField("categorieën persoonsgegevens")
    recipients = models.TextField("ontvangers")
    retention_years = models.PositiveSmallIntegerField("bewaartermijn (jaren na afsluiten)")

    class Meta:
        verbose_name = "verwerkingsactiviteit"
        verbose_name_plural = "verwerkingsregister"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChainedRecord(models.Model):
    partition = models.PositiveSmallIntegerField(editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    # No index on the hashes: nothing looks a record up by them, and a log written on every request pays for each
    # index it has. Verification walks a partition by (partition, id).
    hash = models.CharField(max_length=64, editable=False)
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True


class Action(models.TextChoices):
    READ = "read", "Inzien"
    SEARCH = "search", "Zoeken"
    CREATE = "create", "Vastleggen"
    UPDATE = "update", "Wijzigen"
    DELETE = "delete", "Verwijderen"
    EXPORT = "export", "Exporteren"
    PRINT = "print", "Afdrukken"
    EMERGENCY_ACCESS = "emergency_access", "Doorbreken (noodtoegang)"


class Status(models.TextChoices):
    OK = "ok", "Gelukt"
    ERROR = "error", "Mislukt"


class ProcessingRecord(ChainedRecord):
    """One processing of one data subject's personal data (Logboek Dataverwerkingen)."""

    action = models.CharField(max_length=20, choices=Action.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    activity = models.ForeignKey(ProcessingActivity, models.PROTECT, related_name="+")
    subject = models.CharField("betrokkene (pseudoniem)", max_length=64)
    object_ref = models.CharField(
        "object", max_length=40, blank=True, help_text="Het dossier waarin de verwerking plaatsvond, bijv. M-2026-000123."
    )

    class Meta:
        # An inzageverzoek reads all records of a subject.
        indexes = [models.Index(fields=["partition", "id"]), models.Index(fields=["subject"])]


class AuditEvent(models.TextChoices):
    REQUEST = "request", "Verzoek met persoonsgegevens"
    DENIED = "denied", "Geweigerd verzoek"
    LOGIN = "login", "Ingelogd"
    LOGIN_FAILED = "login_failed", "Mislukte inlogpoging"
    LOGOUT = "logout", "Uitgelogd"
    LOCKOUT = "lockout", "Account geblokkeerd"
    UNLOCK = "unlock", "Blokkade opgeheven"
    TWO_FACTOR = "two_factor", "Tweestapsverificatie gewijzigd"
    ACCESS_GRANTED = "access_granted", "Toegang verleend"
    ACCESS_REVOKED = "access_revoked", "Toegang ingetrokken"
    EMERGENCY_ACCESS = "emergency_access", "Noodtoegang (doorbreken)"
    CONFIGURATION = "configuration", "Configuratie gewijzigd"
    RETENTION = "retention", "Bewaartermijn toegepast"


class AuditRecord(ChainedRecord):
    """Who did it: user, organisation, IP and session, linked to the processing records by trace and span."""

    event = models.CharField(max_length=20, choices=AuditEvent.choices)
    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    session = models.CharField("sessie (pseudoniem)", max_length=64, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["partition", "id"]), models.Index(fields=["trace_id", "span_id"])]
