"""Background job of the monitor on the Postgres task queue (Procrastinate, docs/adr/0005-task-queue.md)."""

from procrastinate.contrib.django import app

from spil.monitor import snapshots


# Minutes 3, 18, 33 and 48: not at the same moment as the signal refresh (every five minutes from the hour).
@app.periodic(cron=f"3-59/{snapshots.REFRESH_MINUTES} * * * *")
@app.task(name="monitor.refresh_snapshots", queueing_lock="monitor.refresh_snapshots")
def refresh_snapshots(timestamp: int | None = None) -> None:
    """Recompute the kerncijfers of the default period for every house, region, the country and every monitor
    user's own selection, so the dashboard reads them instead of computing. Idempotent; the next run is the retry."""
    snapshots.refresh()
