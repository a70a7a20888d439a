"""A task worker killed in the middle of a job: the job runs again, and its effect happens exactly once.

A real worker process (`manage.py procrastinate worker`) runs against the test database. It takes a notification
job and stops at a known point: the in-app notifications are written and marked in its transaction, and it is
connecting to the mail server (a socket here that accepts and never answers). Then it is killed with SIGKILL, as
the out-of-memory killer or a lost machine would. The periodic recovery (`deadlines.retry_stalled_jobs`) finds
the job of a worker without heartbeat and queues it again; another worker runs it: one notification per signal,
one e-mail.
"""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from spil.core import clock
from spil.deadlines import services, tasks
from spil.deadlines.models import SignalRecipient
from spil.deadlines.tests.conftest import open_case
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.web.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[1]
WORKER_NAME = "spil-test-killed-worker"  # the application_name of its database connections


class SilentMailServer:
    """Accepts connections and never sends the SMTP greeting: a worker that sends mail hangs there."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connected = threading.Event()
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                conn, _ = self.server.accept()
                self.connections.append(conn)
                self.connected.set()
        except OSError:
            return

    def close(self):
        self.server.close()
        for conn in self.connections:
            conn.close()


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "localhost"
    credentials = quote(db["USER"]) + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    if host.startswith("/"):  # a Unix socket directory
        return f"postgresql://{credentials}@:{db['PORT'] or 5432}/{quote(db['NAME'])}?host={quote(host)}"
    return f"postgresql://{credentials}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def start_worker(mail_port: int, log: Path) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SPIL_PGDATA", "DJANGO_SETTINGS"))}
    env.update(
        DATABASE_URL=database_url(),  # the test database, never an embedded server of its own
        DJANGO_SETTINGS_MODULE="spil.conf.settings",
        PGAPPNAME=WORKER_NAME,
        SPIL_EMAIL_HOST="127.0.0.1",
        SPIL_EMAIL_PORT=str(mail_port),
        SPIL_EMAIL_USE_TLS="false",
    )
    command = [
        sys.executable,
        "manage.py",
        "procrastinate",
        "worker",
        "--concurrency",
        "1",
        "--no-listen-notify",
        "--fetch-job-polling-interval",
        "0.2",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def backends_of_killed_worker() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE application_name = %s", [WORKER_NAME])
        return [state for (state,) in cursor.fetchall()]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


async def recover_stalled_jobs(stalled_after_seconds: int):
    """The periodic task's function, run here at once (a worker would run it within five minutes)."""
    connector = app.connector.get_worker_connector()
    await connector.open_async()
    try:
        with app.replace_connector(connector):
            await tasks.retry_stalled_jobs(stalled_after_seconds=stalled_after_seconds)
    finally:
        await connector.close_async()


def run_worker_until_idle():
    """A worker in this process (as in deadlines/tests/test_worker.py), until no job is left."""
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age


def test_a_job_whose_worker_is_killed_mid_task_runs_again_and_notifies_exactly_once(house, tmp_path):
    regisseur = member(house, Role.PROCESS_DIRECTOR)
    regisseur.email = "regisseur@zvh.example"
    regisseur.save()
    with clock.travel_to(clock.now() - datetime.timedelta(days=40)):
        open_case(house, regisseur, "pga")  # stagnates: a signal for its procesregisseur
    services.refresh()  # commits the signals and queues the notification job
    [job] = ProcrastinateJob.objects.filter(task_name="deadlines.notify", status="todo")
    pending = SignalRecipient.objects.filter(user=regisseur, notified_at__isnull=True).count()
    assert pending >= 1

    mail_server = SilentMailServer()
    log = tmp_path / "worker.log"
    worker = start_worker(mail_server.port, log)
    try:
        # The known point: the job's database work is done, uncommitted, and it waits for the mail server.
        deadline = time.monotonic() + 45
        while not mail_server.connected.wait(0.2):
            assert worker.poll() is None, f"the worker stopped early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the worker never reached the mail server:\n{log.read_text()}"
        job.refresh_from_db()
        assert job.status == "doing"
        assert "idle in transaction" in backends_of_killed_worker()
        assert not Notification.objects.exists()  # written, but not committed

        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        mail_server.close()

    # The database rolls the dead worker's transaction back once it sees the connection gone; the job looks busy.
    wait_for(lambda: not backends_of_killed_worker(), 10, "the killed worker's connections to close")
    job.refresh_from_db()
    assert job.status == "doing"
    assert not Notification.objects.exists()
    assert SignalRecipient.objects.filter(user=regisseur, notified_at__isnull=True).count() == pending

    # What Spil runs every five minutes, here with a threshold of one second instead of a minute.
    time.sleep(1.5)  # the killed worker's last heartbeat is older than that now
    asyncio.run(recover_stalled_jobs(stalled_after_seconds=1))
    job.refresh_from_db()
    assert job.status == "todo" and job.attempts == 1
    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == "succeeded"
    notifications = Notification.objects.filter(user=regisseur)
    assert notifications.count() == pending == len(set(notifications.values_list("key", flat=True)))
    assert not SignalRecipient.objects.filter(notified_at__isnull=True).exists()
    assert [message.to for message in mail.outbox] == [[regisseur.email]]

    # The periodic refresh that follows finds nothing left to notify.
    services.refresh()
    run_worker_until_idle()
    assert Notification.objects.filter(user=regisseur).count() == pending and len(mail.outbox) == 1


def test_a_stalled_job_whose_queueing_lock_is_taken_by_a_newer_waiting_job_is_ended_instead(house):
    """A refresh (one waiting job at a time) whose worker died, while the next refresh already waits: the waiting
    one does the same work, so the stalled one ends as aborted rather than failing the recovery."""
    stalled = tasks.refresh_signals.defer()
    busy = tasks.notify.defer(user_id=0)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '2 minutes') RETURNING id")
        [dead] = cursor.fetchone()
        cursor.execute("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now()) RETURNING id")
        [alive] = cursor.fetchone()
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s", [dead, stalled])
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s", [alive, busy])
    waiting = tasks.refresh_signals.defer()

    asyncio.run(recover_stalled_jobs(stalled_after_seconds=tasks.STALLED_AFTER_SECONDS))

    statuses = dict(ProcrastinateJob.objects.filter(id__in=[stalled, waiting, busy]).values_list("id", "status"))
    assert statuses == {stalled: "aborted", waiting: "todo", busy: "doing"}  # a live worker's job is left alone
