"""Bulk import: upload, check as a whole, confirm, and import every row in one transaction or none.

1. `upload`: the file is read and every row checked (`rows.check`) before anything else happens; the batch is
   `gecontroleerd` (no problems: the file is stored until the import) or `afgekeurd` (all problems listed, the file
   is not kept). The SHA-256 of the file is kept per house: a file that is (to be) imported into the house already
   is refused (`AlreadyUploaded`, naming the earlier batch), backed by a partial unique constraint.
2. `confirm`: a batch of at most `settings.IMPORT_BACKGROUND_ROWS` rows is imported at once, in the request; a larger
   one is queued for the worker (`tasks.run_batch` → `run`), in the same transaction as its status.
3. The import reads the stored file again, checks that it is the file that was checked (its hash), converts every
   row again and calls `intake.services.register_report` per row, all inside one transaction: the first row the
   service refuses (or the database, or anything else) rolls back every melding of the batch, and the batch is
   `mislukt` with that row's reason. Each melding's processing log and timeline are written by the service; its
   timeline also says which batch and row it came from. In the background the numbers are reserved before that
   transaction and the log written as it commits (`run`): a long import holds nothing that others wait for.

Safe to retry: the worker marks the batch `bezig` only from `in_wachtrij`/`bezig`, then holds the batch row locked
for the whole import and re-checks the status under that lock; a second job (a retry, or a duplicate) waits for the
first and then finds `geimporteerd` or `mislukt` and does nothing. A killed worker's transaction is rolled back by
PostgreSQL, so the batch is still `bezig` with nothing imported, and running the job again imports it once.

Personal data is kept no longer than needed: the file is removed after the import, a failure or a cancellation (and
never stored for a refused file); the preview and the problems (which quote cells) go with it, or `KEEP_DAYS` after
the upload for refused and failed batches, so the user can correct the file (`clear_expired`, every night).
"""

import collections
import datetime
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from spil.access import policy
from spil.core import clock, malware, numbering, uploads
from spil.core.errors import DomainError, IllegalTransition
from spil.imports import parsing, rows, storage
from spil.imports.models import LIVE, PENDING, BatchStatus, ImportBatch, ImportedRow, ImportProgress, ImportKind, RowError
from spil.imports.progress import ProgressWriter
from spil.imports.rows import Problem
from spil.intake import services as intake_services
from spil.logbook import chain, tracing
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit
from spil.timeline.models import EventKind
from spil.timeline.services import record

logger = logging.getLogger(__name__)

KEEP_DAYS = 7


class AlreadyUploaded(DomainError):
    """The same file is already (to be) imported into this house."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        super().__init__(
            f"Dit bestand is al geüpload als {batch.number} ({batch.get_status_display().lower()}). "
            "Hetzelfde bestand wordt nooit twee keer geïmporteerd."
        )


class ImportRefused(Exception):
    """The import stops: nothing of it is kept. `problems` say why (a row, or the file as a whole)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


# --- upload ------------------------------------------------------------------------------------------------------


@transaction.atomic
def upload(*, actor, house, kind: str, uploaded) -> ImportBatch:
    """Check an uploaded file (a Django `UploadedFile`) as a whole and keep it as a batch to confirm or correct."""
    policy.require(actor, "report.import", house)
    kind = ImportKind(kind)
    data = _content(uploaded)
    scan_status = malware.scan_bytes(data)  # before anything reads the file; refused when infected
    digest = hashlib.sha256(data).hexdigest()
    _refuse_if_live(house, digest)
    sheet = parsing.read(data)
    checked = rows.check(kind, sheet, rows.Lookups.load())
    batch = ImportBatch(
        number=numbering.next_number("I", clock.today().year),
        house=house,
        kind=kind,
        status=BatchStatus.REJECTED if checked.problems else BatchStatus.VALIDATED,
        original_name=Path(uploaded.name or "").name.strip()[-200:] or "bestand",
        file_format=sheet.file_format,
        size=len(data),
        sha256=digest,
        scan_status=scan_status,
        row_count=len(sheet.rows),
        preview=checked.preview,
        uploaded_by=actor,
    )
    if batch.status == BatchStatus.VALIDATED:
        batch.file_key = storage.store(data)
    try:
        try:
            with transaction.atomic():
                batch.save()
        except IntegrityError:
            _refuse_if_live(house, digest)  # a colleague uploaded the same file at the same moment
            raise
        ImportProgress.objects.create(batch=batch)
        RowError.objects.bulk_create(RowError(batch=batch, row=p.row, column=p.column, message=p.message) for p in checked.problems)
        summary = f"{len(checked.problems)} fout(en)" if checked.problems else "geen fouten"
        _audit(actor, batch, f"bestand '{batch.original_name}' geüpload en gecontroleerd: {batch.row_count} rijen, {summary}")
    except BaseException:
        storage.remove(batch.file_key)
        raise
    return batch


def _content(uploaded) -> bytes:
    if uploaded is None:
        raise DomainError("Kies een bestand.")
    limit = uploads.max_bytes()
    if uploaded.size > limit:
        raise DomainError(f"Het bestand is groter dan {settings.SPIL_UPLOAD_MAX_MB} MB; splits het in kleinere bestanden.")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if not data:
        raise DomainError("Het bestand is leeg.")
    if len(data) > limit:
        raise DomainError(f"Het bestand is groter dan {settings.SPIL_UPLOAD_MAX_MB} MB; splits het in kleinere bestanden.")
    return data


def _refuse_if_live(house, digest: str) -> None:
    earlier = ImportBatch.objects.filter(house=house, sha256=digest, status__in=LIVE).first()
    if earlier is not None:
        raise AlreadyUploaded(earlier)


# --- confirm, import ---------------------------------------------------------------------------------------------


@transaction.atomic
def confirm(batch: ImportBatch, *, actor) -> ImportBatch:
    """Import a checked batch: now when it is small, else by the worker. The confirming user is the one who
    registers the meldingen (and needs the right to, in the service)."""
    policy.require(actor, "report.import", batch.house)
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("house").get(pk=batch.pk)
    if batch.status != BatchStatus.VALIDATED:
        raise IllegalTransition(f"{batch.number} is {batch.get_status_display().lower()} en kan niet (opnieuw) worden geïmporteerd.")
    background = batch.row_count > settings.IMPORT_BACKGROUND_ROWS
    batch.status = BatchStatus.QUEUED if background else BatchStatus.RUNNING
    batch.confirmed_by, batch.confirmed_at = actor, clock.now()
    batch.started_at = None if background else batch.confirmed_at
    batch.save(update_fields=["status", "confirmed_by", "confirmed_at", "started_at"])
    _audit(actor, batch, f"import bevestigd ({batch.row_count} rijen{', op de achtergrond' if background else ''})")
    if background:
        from spil.imports import tasks

        # In this transaction: the batch is never queued without its job, and the job never runs before the commit.
        tasks.run_batch.defer(batch_id=batch.pk)
    else:
        _import_or_fail(batch, actor=actor, progress=None)
    return batch


def run(batch_id: int) -> None:
    """The worker's part (`tasks.run_batch`): import a queued batch, with progress. Safe to run more than once.

    An import of thousands of rows runs for minutes in its one transaction. What every registration needs besides it,
    it takes beforehand or at the end: its melding numbers are reserved before (`_reserve_numbers`), and its log
    records join their chains as it commits (`chain.appended_at_commit`), so neither the yearly counter nor a
    partition of the log is locked while it runs, and registrations and pages elsewhere do not wait for it."""
    with tracing.traced(), chain.appended_at_commit():
        if not ImportBatch.objects.filter(pk=batch_id, status__in=PENDING).update(status=BatchStatus.RUNNING, started_at=clock.now()):
            return  # imported, failed or cancelled already: a retried or duplicated job
        numbers = _reserve_numbers(ImportBatch.objects.select_related("house", "confirmed_by").get(pk=batch_id))
        with ProgressWriter(batch_id) as progress, transaction.atomic():
            batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("house", "confirmed_by").get(pk=batch_id)
            if batch.status != BatchStatus.RUNNING:
                return  # another job finished it while this one waited for the lock
            _import_or_fail(batch, actor=batch.confirmed_by, progress=progress, numbers=numbers)


def _reserve_numbers(batch: ImportBatch) -> dict[int, Iterator[str]]:
    """A melding number for each row, per year of receipt, taken in a short transaction of its own and recorded in
    the audit log: should the import then roll back, the numbers it leaves unused are accounted for there. Nothing when
    the file cannot be read again: the import fails on that, inside its transaction, before it registers anything."""
    try:
        checked = _read_again(batch)
    except ImportRefused:
        return {}
    years = collections.Counter(row.fields["received_on"].year for row in checked.rows)
    if not years:
        return {}
    with transaction.atomic():
        reserved = {year: numbering.reserve_numbers("M", year, count) for year, count in sorted(years.items())}
        spans = ", ".join(f"{numbers[0]} t/m {numbers[-1]}" for numbers in reserved.values())
        _audit(batch.confirmed_by, batch, f"meldingnummers gereserveerd: {spans}")
    return {year: iter(numbers) for year, numbers in reserved.items()}


def _import_or_fail(batch: ImportBatch, *, actor, progress, numbers: dict[int, Iterator[str]] | None = None) -> None:
    """Import every row in one (nested) transaction, or none and record why; the batch row is locked by the caller.
    `numbers`: those reserved for the rows (`_reserve_numbers`); without, each melding takes the next."""
    try:
        with transaction.atomic():
            count = _import_rows(batch, actor=actor, progress=progress, numbers=numbers or {})
    except ImportRefused as refusal:
        _fail(batch, actor, refusal.problems)
    else:
        _finish(batch, actor, count)


def _import_rows(batch: ImportBatch, *, actor, progress, numbers: dict[int, Iterator[str]]) -> int:
    checked = _read_again(batch)
    imported = []
    for done, row in enumerate(checked.rows, start=1):
        try:
            report = intake_services.register_report(
                actor=actor,
                house=batch.house,
                fields=row.fields,
                persons=[row.person],
                details=row.details,
                number=next(numbers.get(row.fields["received_on"].year, iter(())), ""),
            )
            record(
                actor=actor,
                kind=EventKind.RECEIVED,
                report=report,
                text=f"Ingelezen uit bulkimport {batch.number}, rij {rows.thousands(row.number)}.",
            )
        except Exception as error:  # whatever stops a row stops the batch: rolled back, and the reason recorded
            raise ImportRefused([Problem(row.number, "", _reason(batch, row.number, error))]) from error
        imported.append(ImportedRow(batch=batch, row=row.number, report=report))
        if progress is not None:
            progress(done)
    ImportedRow.objects.bulk_create(imported)
    if progress is not None:
        progress(len(imported), final=True)
    return len(imported)


def _read_again(batch: ImportBatch) -> rows.Checked:
    """The rows of the stored file, converted again (partners, themes and gemeenten as they are now). The service
    applies its own rules at import, so they are not checked in advance here."""
    try:
        data = storage.read(batch.file_key)
    except (OSError, ValueError):
        raise ImportRefused([Problem(0, "", "Het bestand is niet meer aanwezig. Upload het opnieuw.")]) from None
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise ImportRefused([Problem(0, "", "Het opgeslagen bestand is niet meer het bestand dat is gecontroleerd. Upload het opnieuw.")])
    try:
        checked = rows.check(batch.kind, parsing.read(data), rows.Lookups.load(), early_rules=False)
    except DomainError as error:
        raise ImportRefused([Problem(0, "", error.message)]) from None
    if checked.problems:
        raise ImportRefused(checked.problems)
    return checked


def _reason(batch: ImportBatch, row: int, error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, PermissionDenied):
        return str(error) or "U heeft geen rechten om deze melding te registreren."
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    # Only the kind of error goes to the log: a database message may quote the row's personal data.
    logger.error("Bulk import %s stopped at row %s by %s", batch.number, row, type(error).__name__)
    return "De melding kon door een technische fout niet worden vastgelegd. Probeer het later opnieuw of neem contact op met beheer."


def _finish(batch: ImportBatch, actor, count: int) -> None:
    batch.status = BatchStatus.IMPORTED
    batch.rows_imported = count
    batch.finished_at = clock.now()
    _clear(batch)
    batch.save(update_fields=["status", "rows_imported", "finished_at", "preview", "file_key", "cleared_at"])
    _audit(actor, batch, f"{count} meldingen geïmporteerd")


def _fail(batch: ImportBatch, actor, problems: list[Problem]) -> None:
    batch.status = BatchStatus.FAILED
    batch.finished_at = clock.now()
    _remove_file(batch)
    batch.save(update_fields=["status", "finished_at", "file_key"])
    RowError.objects.filter(batch=batch).delete()
    RowError.objects.bulk_create(RowError(batch=batch, row=p.row, column=p.column, message=p.message) for p in problems)
    _audit(actor, batch, f"import mislukt, niets geïmporteerd: {problems[0]}")


# --- cancel, clear -----------------------------------------------------------------------------------------------


@transaction.atomic
def discard(batch: ImportBatch, *, actor) -> ImportBatch:
    """Cancel a checked batch that was not imported, or wipe the problems of a refused or failed one, now."""
    policy.require(actor, "report.import", batch.house)
    batch = ImportBatch.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    if batch.status == BatchStatus.VALIDATED:
        batch.status = BatchStatus.CANCELLED
    elif batch.status not in (BatchStatus.REJECTED, BatchStatus.FAILED) or batch.cleared_at is not None:
        raise IllegalTransition(f"Van {batch.number} is niets (meer) te verwijderen.")
    _clear(batch)
    batch.save(update_fields=["status", "preview", "file_key", "cleared_at"])
    _audit(actor, batch, "geannuleerd, bestand verwijderd" if batch.status == BatchStatus.CANCELLED else "fouten en voorbeeld gewist")
    return batch


def clear_expired() -> int:
    """Every night: batches uploaded more than KEEP_DAYS ago lose their file, preview and problems; a checked batch
    that was never confirmed is cancelled. Returns how many were cleared."""
    cutoff = clock.now() - datetime.timedelta(days=KEEP_DAYS)
    with tracing.traced(), transaction.atomic():
        stale = list(
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(cleared_at__isnull=True, uploaded_at__lt=cutoff)
            .exclude(status__in=PENDING)
        )
        for batch in stale:
            if batch.status == BatchStatus.VALIDATED:
                batch.status = BatchStatus.CANCELLED
            _clear(batch)
            batch.save(update_fields=["status", "preview", "file_key", "cleared_at"])
            audit(AuditEvent.RETENTION, detail=f"Bulkimport {batch.number}: na {KEEP_DAYS} dagen bestand, voorbeeld en fouten gewist")
    return len(stale)


def _clear(batch: ImportBatch) -> None:
    """Remove what the batch holds of the file's personal data (the caller saves the batch)."""
    _remove_file(batch)
    batch.preview = []
    batch.cleared_at = clock.now()
    RowError.objects.filter(batch=batch).delete()


def _remove_file(batch: ImportBatch) -> None:
    key, batch.file_key = batch.file_key, ""
    if key:
        transaction.on_commit(lambda: storage.remove(key))


def _audit(actor, batch: ImportBatch, what: str) -> None:
    audit(AuditEvent.REQUEST, user=actor, detail=f"Bulkimport {batch.number} ({batch.house}): {what}")
