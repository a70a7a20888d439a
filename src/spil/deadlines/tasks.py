"""Background jobs on the Postgres-backed task queue (Procrastinate, docs/adr/0005-task-queue.md).

Run a worker with `manage.py procrastinate worker`. The jobs are idempotent, so duplicates are safe. They are not
retried by the queue: a queueing lock allows one waiting job per lock, and a retry would collide with a newer waiting
job. The periodic refresh is the retry: it runs every few minutes and queues a notification job again for everyone
whose notification is still pending (after a failed e-mail, for instance), and every hour all signals are refreshed.
"""

import logging

from django.conf import settings
from procrastinate import exceptions
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from spil.deadlines import services

logger = logging.getLogger(__name__)

# Finished jobs are kept this long for inspection; failed ones are kept until someone looks at them.
FINISHED_JOBS_KEPT_HOURS = 7 * 24
# A worker beats every 10 s; one silent this long was killed (or lost its database) and its running jobs stalled.
STALLED_AFTER_SECONDS = 60


@app.periodic(cron=f"*/{settings.SIGNAL_REFRESH_MINUTES} * * * *")
@app.task(name="deadlines.refresh_signals", queueing_lock="deadlines.refresh")
def refresh_signals(timestamp: int | None = None) -> None:
    """Bring the signals that time alone changed in line, periodically: deadlines come near with time alone."""
    services.refresh_by_time()


@app.periodic(cron="37 * * * *")
@app.task(name="deadlines.refresh_all_signals", queueing_lock="deadlines.refresh-all")
def refresh_all_signals(timestamp: int | None = None) -> None:
    """Bring every signal in line every hour: what a change missed, such as a new member of the bedrijfsbureau, who
    receives the signals of cases without a procesregisseur (the changes to a case refresh its signals themselves)."""
    services.refresh()


@app.task(name="deadlines.refresh_case_signals")
def refresh_case_signals(case_ids: list[int]) -> None:
    """Bring the signals of these cases, and of the kinds not about one case, in line soon after a change (queued by
    `services.schedule_refresh` with a queueing lock per set of cases)."""
    services.refresh(cases=case_ids)


@app.task(name="deadlines.notify")
def notify(user_id: int) -> None:
    """Notify one user of their new signals: in Spil, and by an e-mail without content."""
    services.notify(user_id)


@app.periodic(cron="17 3 * * *")
@app.task(name="deadlines.remove_old_jobs", queueing_lock="deadlines.remove_old_jobs")
async def remove_old_jobs(timestamp: int | None = None) -> None:
    """Every night: forget jobs that succeeded more than a week ago, so the queue's tables do not grow forever."""
    await app.job_manager.delete_old_jobs(nb_hours=FINISHED_JOBS_KEPT_HOURS)


@app.periodic(cron="*/5 * * * *")
@app.task(name="deadlines.retry_stalled_jobs", queueing_lock="deadlines.retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int | None = None, stalled_after_seconds: int = STALLED_AFTER_SECONDS) -> None:
    """Every five minutes: run again the jobs of workers that stopped beating (killed, out of memory, machine gone).

    Such a job stays "doing" for ever otherwise. Its work was one transaction that the database rolled back when the
    worker's connection died, and every job is idempotent, so running it again has its effect exactly once. A job
    whose queueing lock is taken by a newer waiting job is ended as aborted instead: the waiting one does the same.
    """
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_seconds):
        try:
            await app.job_manager.retry_job(job)
        except exceptions.UniqueViolation as error:
            await app.job_manager.finish_job_by_id_async(job.id, status=Status.ABORTED, delete_job=False)
            logger.warning(
                "stalled job %s (%s) ended: a newer job with its queueing lock is waiting (%s)",
                job.id,
                job.task_name,
                error.constraint_name,
            )
        else:
            logger.warning("stalled job %s (%s) of a worker without heartbeat queued again", job.id, job.task_name)
