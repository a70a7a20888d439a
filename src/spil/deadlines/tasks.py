"""Background jobs on the Postgres-backed task queue (Procrastinate, docs/adr/0005-task-queue.md).

Run a worker with `manage.py procrastinate worker`. Both jobs are idempotent, so duplicates are safe. They are not
retried by the queue: a queueing lock allows one waiting job per lock, and a retry would collide with a newer waiting
job. The periodic refresh is the retry: it runs every few minutes and queues a notification job again for everyone
whose notification is still pending (after a failed e-mail, for instance).
"""

from django.conf import settings
from procrastinate.contrib.django import app

from spil.deadlines import services

# Finished jobs are kept this long for inspection; failed ones are kept until someone looks at them.
FINISHED_JOBS_KEPT_HOURS = 7 * 24


@app.periodic(cron=f"*/{settings.SIGNAL_REFRESH_MINUTES} * * * *")
@app.task(name="deadlines.refresh_signals", queueing_lock="deadlines.refresh")
def refresh_signals(timestamp: int | None = None) -> None:
    """Bring the signals in line with the detectors (periodically, and soon after a change)."""
    services.refresh()


@app.task(name="deadlines.notify")
def notify(user_id: int) -> None:
    """Notify one user of their new signals: in Spil, and by an e-mail without content."""
    services.notify(user_id)


@app.periodic(cron="17 3 * * *")
@app.task(name="deadlines.remove_old_jobs", queueing_lock="deadlines.remove_old_jobs")
async def remove_old_jobs(timestamp: int | None = None) -> None:
    """Every night: forget jobs that succeeded more than a week ago, so the queue's tables do not grow forever."""
    await app.job_manager.delete_old_jobs(nb_hours=FINISHED_JOBS_KEPT_HOURS)
