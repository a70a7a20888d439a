"""Large files are imported by the worker, in one transaction, with progress visible while it runs.

Transactional tests: the progress is written through a connection of its own, and only committed data is visible
to another connection, as in production."""

import datetime
import threading
import time

import pytest
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from spil.core import clock
from spil.imports import services, tasks
from spil.imports.models import BatchStatus, ImportBatch, ImportKind
from spil.imports.testing import csv_bytes, report_row, upload_file
from spil.intake import services as intake_services
from spil.intake.models import Report
from spil.logbook import chain
from spil.logbook.models import AuditRecord, ProcessingRecord
from spil.testing.factories import register_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def queued_batch(actor, house, partner, count: int) -> ImportBatch:
    rows = [report_row(partner, voornamen=f"Persoon{i}") for i in range(count)]
    batch = services.upload(actor=actor, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(csv_bytes(rows)))
    batch = services.confirm(batch, actor=actor)
    assert batch.status == BatchStatus.QUEUED
    return batch


def snapshot(batch_id: int, house_id: int) -> tuple[int, str, int]:
    """Progress, status and the number of the house's meldingen, in one statement: one moment of committed data."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.done, b.status, (SELECT count(*) FROM intake_report r WHERE r.house_id = %s) "
            "FROM imports_importprogress p JOIN imports_importbatch b ON b.id = p.batch_id WHERE b.id = %s",
            [house_id, batch_id],
        )
        return cursor.fetchone()


def test_the_worker_imports_a_large_file_and_its_progress_shows_before_anything_is_committed(settings, house, intake_worker, partner):
    settings.IMPORT_BACKGROUND_ROWS = 10
    before = ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    batch = queued_batch(intake_worker, house, partner, 80)
    job = ProcrastinateJob.objects.get(id__gt=before, task_name="imports.run_batch")
    assert job.args == {"batch_id": batch.pk} and job.status == "todo"

    failures = []

    def worker():
        try:
            tasks.run_batch(batch_id=batch.pk)  # what the worker runs for the job
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    seen = []
    while thread.is_alive():
        done, status, reports = snapshot(batch.pk, house.pk)
        if status == BatchStatus.RUNNING and done > 0:
            seen.append((done, reports))
        time.sleep(0.01)
    thread.join()

    assert not failures
    assert seen, "the progress was never visible while the import ran"
    assert all(reports == 0 for _, reports in seen)  # rows were being done, none was committed yet
    assert len({done for done, _ in seen}) > 1  # and it moved
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.rows_imported == 80
    assert snapshot(batch.pk, house.pk) == (80, BatchStatus.IMPORTED, 80)

    # The job again (a retry, a duplicate): nothing happens.
    tasks.run_batch(batch_id=batch.pk)
    assert Report.objects.filter(house=house).count() == 80


def test_the_job_runs_on_a_real_worker(settings, house, intake_worker, partner):
    settings.IMPORT_BACKGROUND_ROWS = 2
    batch = queued_batch(intake_worker, house, partner, 3)
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.rows_imported == 3
    assert ProcrastinateJob.objects.get(task_name="imports.run_batch", args={"batch_id": batch.pk}).status == "succeeded"


@pytest.mark.django_db
def test_a_job_run_again_after_a_killed_worker_imports_the_batch_once(settings, house, intake_worker, partner):
    settings.IMPORT_BACKGROUND_ROWS = 2
    batch = queued_batch(intake_worker, house, partner, 3)
    # The worker marked it 'bezig' and was killed: PostgreSQL rolled its transaction back, nothing was imported.
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)

    services.run(batch.pk)
    services.run(batch.pk)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.rows_imported == 3
    assert Report.objects.filter(house=house).count() == 3


def test_while_a_large_import_runs_registrations_elsewhere_wait_for_nothing_it_holds(settings, house, intake_worker, partner, monkeypatch):
    """Its melding numbers were reserved before its transaction and its log joins the chains as it commits: while it
    runs, neither the yearly counter nor a partition of the log is locked, and a melding registered meanwhile gets the
    number after the import's."""
    settings.IMPORT_BACKGROUND_ROWS = 10
    batch = queued_batch(intake_worker, house, partner, 30)
    halfway, resume, failures, imported = threading.Event(), threading.Event(), [], []
    register = intake_services.register_report

    def pausing_halfway(**kwargs):
        report = register(**kwargs)
        if threading.current_thread().name == "import":
            imported.append(report)
            if len(imported) == 15:
                halfway.set()
                resume.wait(30)
        return report

    def worker():
        try:
            services.run(batch.pk)
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    monkeypatch.setattr(intake_services, "register_report", pausing_halfway)
    thread = threading.Thread(target=worker, name="import")
    thread.start()
    try:
        assert halfway.wait(30), failures
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()")
            assert cursor.fetchone()[0] == 0  # no partition of the log
            cursor.execute("SET lock_timeout = '5s'")  # the counter: a wait would fail the registration
        meanwhile = register_report(intake_worker, house)
    finally:
        resume.set()
        thread.join(60)
    assert not failures
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.rows_imported == 30
    year = clock.today().year
    imported = sorted(Report.objects.exclude(pk=meanwhile.pk).values_list("number", flat=True))
    assert imported == [f"M-{year}-{n:06d}" for n in range(1, 31)] and meanwhile.number == f"M-{year}-000031"
    reserved = f"Bulkimport {batch.number} ({house}): meldingnummers gereserveerd: M-{year}-000001 t/m M-{year}-000030"
    assert AuditRecord.objects.filter(detail=reserved).exists()
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None


def test_the_numbers_of_an_import_that_rolled_back_stay_unused_and_the_audit_log_says_which(settings, house, intake_worker, partner):
    settings.IMPORT_BACKGROUND_ROWS = 2
    tomorrow = clock.now() + datetime.timedelta(days=1)
    rows = [report_row(partner, voornamen=f"Persoon{i}") for i in range(3)]
    rows.append(report_row(partner, voornamen="Laatste", ontvangen_op=clock.local_text(tomorrow, "%d-%m-%Y")))
    with clock.travel_to(tomorrow):  # checked on the day the last date was today; imported now, the service refuses it
        batch = services.upload(actor=intake_worker, house=house, kind=ImportKind.REPORTS, uploaded=upload_file(csv_bytes(rows)))
        batch = services.confirm(batch, actor=intake_worker)

    services.run(batch.pk)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and not Report.objects.exists()
    reserved = AuditRecord.objects.get(detail__contains="meldingnummers gereserveerd").detail
    later = register_report(intake_worker, house)
    last_reserved = reserved.rsplit(" ", 1)[-1]
    assert last_reserved.startswith(later.number[:7]) and int(later.number[-6:]) == int(last_reserved[-6:]) + 1
