"""Bulk import of meldingen from a CSV or XLSX file: one batch per uploaded file (see `services`)."""

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.core.malware import ScanStatus
from spil.organisations.models import House


class ImportKind(models.TextChoices):
    """What a file holds; each kind has its own columns (`columns.py`) and meldformulier."""

    REPORTS = "meldingen", "Meldingen (algemeen meldformulier)"
    DETENTION = "detentiemeldingen", "Detentiemeldingen (PI/DJI, art. 18 / 18b)"


class BatchStatus(models.TextChoices):
    VALIDATED = "gecontroleerd", "Gecontroleerd, wacht op bevestiging"
    REJECTED = "afgekeurd", "Afgekeurd: fouten in het bestand"
    QUEUED = "in_wachtrij", "In de wachtrij"
    RUNNING = "bezig", "Bezig met importeren"
    IMPORTED = "geimporteerd", "Geïmporteerd"
    FAILED = "mislukt", "Mislukt: niets geïmporteerd"
    CANCELLED = "geannuleerd", "Geannuleerd"


# A file in one of these states is, or will be, imported: the same file cannot be uploaded again to the house.
LIVE = (BatchStatus.VALIDATED, BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.IMPORTED)
# Waiting for the worker or being imported by it.
PENDING = (BatchStatus.QUEUED, BatchStatus.RUNNING)


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_import_batches(self, user)


class ImportBatch(models.Model):
    """One uploaded file, checked as a whole and imported all or nothing.

    The file itself is stored under `SPIL_UPLOAD_ROOT` with a random name (`storage.py`) until it is imported,
    refused, cancelled or expired; `preview` and the `errors` (which quote cell values) are cleared at the same time
    or when the batch expires (`services.clear_expired`), so personal data stays here no longer than needed.
    """

    number = models.CharField("nummer", max_length=20, unique=True, editable=False)
    house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="ZVH")
    kind = models.CharField("soort", max_length=20, choices=ImportKind.choices)
    status = models.CharField("status", max_length=20, choices=BatchStatus.choices)
    original_name = models.CharField("bestandsnaam", max_length=200)
    file_format = models.CharField("formaat", max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    file_key = models.CharField(max_length=40, blank=True, editable=False)  # empty once the file is removed
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    scan_status = models.CharField("virusscan", max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED, editable=False)
    row_count = models.PositiveIntegerField("aantal rijen", default=0)
    preview = models.JSONField("eerste rijen", default=list, blank=True)
    rows_imported = models.PositiveIntegerField("geïmporteerde rijen", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="geüpload door")
    uploaded_at = models.DateTimeField("geüpload op", default=clock.now, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="bevestigd door"
    )
    confirmed_at = models.DateTimeField("bevestigd op", null=True, blank=True)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)
    cleared_at = models.DateTimeField("persoonsgegevens gewist op", null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "bulkimport"
        verbose_name_plural = "bulkimports"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # The same file is never imported twice into a house: at most one batch of it that is (to be) imported.
            models.UniqueConstraint(fields=["house", "sha256"], condition=models.Q(status__in=LIVE), name="imports_one_live_batch_per_file")
        ]

    def __str__(self):
        return self.number

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


class ImportProgress(models.Model):
    """How far the worker is. Written through a connection of its own (`progress.py`), outside the import's
    transaction, so the page can show it while that transaction is still open; never written by the import itself,
    so the two never wait on each other's row locks."""

    batch = models.OneToOneField(ImportBatch, models.CASCADE, primary_key=True, related_name="progress")
    done = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=clock.now)


class RowError(models.Model):
    """A problem with one row (row 0: the file as a whole), in Dutch, for the preview."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField("rij")
    column = models.CharField("kolom", max_length=60, blank=True)
    message = models.TextField("melding")

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self):
        from spil.imports.rows import describe

        return describe(self.row, self.column, self.message)


class ImportedRow(models.Model):
    """Which melding a row of the file became. Goes with the melding when that is destroyed after its retention."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="imported_rows")
    row = models.PositiveIntegerField("rij")
    report = models.OneToOneField("intake.Report", models.CASCADE, related_name="+", verbose_name="melding")

    class Meta:
        ordering = ["row"]
