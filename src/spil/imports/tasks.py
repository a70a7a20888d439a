"""Background jobs of the bulk import, on the Postgres task queue (Procrastinate, docs/adr/0005-task-queue.md)."""

from procrastinate.contrib.django import app

from spil.imports import services


@app.task(name="imports.run_batch")
def run_batch(batch_id: int) -> None:
    """Import a confirmed batch that is too large for a request. Idempotent (see `services`): a retry, a duplicate
    job or a job after a killed worker imports the batch at most once."""
    services.run(batch_id)


@app.periodic(cron="41 3 * * *")
@app.task(name="imports.clear_expired", queueing_lock="imports.clear_expired")
def clear_expired(timestamp: int | None = None) -> None:
    """Every night: remove the files, previews and problems of batches older than `services.KEEP_DAYS`."""
    services.clear_expired()
