"""Notifications go out through the real task queue: jobs in PostgreSQL, run by a Procrastinate worker in-process
until the queue is empty. Transactional tests: the worker sees only committed data, as in production."""

import datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from spil.cases import services as case_services
from spil.core import clock
from spil.deadlines import detectors, registry, services
from spil.deadlines.models import RefreshMark, Signal, SignalRecipient
from spil.deadlines.tests.conftest import open_case
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.web.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = datetime.timedelta(days=1)
BSN = "111222333"


def run_worker():
    """A real worker against the test database, until no job is left.

    Its threads close their database connections after each job (no persistent connections), so none is left
    open when the test database is dropped.
    """
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age


def last_job_id() -> int:
    return ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0


def jobs_since(job_id: int, task_name: str):
    """Jobs queued after `job_id` (the worker's periodic deferrer may also queue a refresh when it starts)."""
    return ProcrastinateJob.objects.filter(id__gt=job_id, task_name=task_name)


@pytest.fixture
def world(house):
    regisseur = member(house, Role.PROCESS_DIRECTOR)
    regisseur.email = "regisseur@zvh.example"
    regisseur.save()
    without_email = member(house, Role.PROCESS_DIRECTOR)
    with clock.travel_to(clock.now() - 40 * DAY):
        case = open_case(house, regisseur, "pga", surname="Geheimnaam", bsn=BSN)
        other = open_case(house, without_email, "pga")
    with connection.cursor() as cursor:  # opening them queued a refresh of their signals, which ran forty days ago
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name = 'deadlines.refresh_case_signals' AND status = 'todo'")
    return regisseur, without_email, case, other


def test_new_signals_are_notified_by_the_worker_once_in_app_and_by_mail_without_content(world):
    regisseur, without_email, case, other = world
    before = last_job_id()
    services.refresh()  # commits; its after-commit hook queues one notify job per recipient
    assert jobs_since(before, "deadlines.notify").filter(status="todo").count() == 2
    run_worker()

    assert set(jobs_since(before, "deadlines.notify").values_list("status", flat=True)) == {"succeeded"}
    signals = Signal.objects.open().filter(case=case)
    assert signals.filter(kind=detectors.STAGNATION.code).exists()
    mine = Notification.objects.filter(user=regisseur)
    assert set(mine.values_list("key", flat=True)) == {f"signaal:{pk}" for pk in signals.values_list("pk", flat=True)}
    assert Notification.objects.filter(user=without_email).exists()
    assert not SignalRecipient.objects.filter(notified_at__isnull=True).exists()

    # One e-mail, to the one recipient with an address, saying only that something is waiting.
    [message] = mail.outbox
    assert message.to == [regisseur.email]
    assert message.subject == "Er staat iets voor u klaar in Spil"
    assert "/" in message.body and "Mijn werk" in message.body
    person = case.persons.get()
    for secret in [person.surname, person.first_names, BSN, case.number, other.number, regisseur.last_name, "PGA", "voortgang"]:
        assert secret not in message.subject + message.body, secret

    # The refresh runs again (periodically): nothing new, so no second notification and no second e-mail.
    services.refresh()
    run_worker()
    assert Notification.objects.filter(user=regisseur).count() == mine.count()
    assert len(mail.outbox) == 1


def test_a_retried_or_duplicated_notify_job_makes_nothing_twice(world):
    regisseur, _, case, _ = world
    services.refresh()
    assert services.notify(regisseur.pk) > 0
    count = Notification.objects.filter(user=regisseur).count()
    assert services.notify(regisseur.pk) == 0  # what a retry finds
    run_worker()  # the queued job for the same user runs too
    assert Notification.objects.filter(user=regisseur).count() == count
    assert len(mail.outbox) == 1


def test_a_change_queues_one_refresh_of_its_cases_after_commit_and_the_worker_runs_it(world):
    regisseur, _, case, _ = world
    assert not Signal.objects.exists()
    before = last_job_id()
    with transaction.atomic():
        registry.changed([case.pk])
        registry.changed([case.pk])  # a burst collapses into one job
        assert not jobs_since(before, "deadlines.refresh_case_signals").exists()  # not before the change is committed
    queued = jobs_since(before, "deadlines.refresh_case_signals")
    assert [job.args for job in queued.filter(status="todo")] == [{"case_ids": [case.pk]}]
    run_worker()
    assert "succeeded" in set(queued.values_list("status", flat=True))
    assert Signal.objects.open().filter(case=case, kind=detectors.STAGNATION.code).exists()
    assert Notification.objects.filter(user=regisseur).exists()  # the refresh queued the notifications, also run


def test_the_cases_of_one_transaction_are_refreshed_by_one_job_and_a_rolled_back_change_queues_none(world):
    _, _, case, other = world
    before = last_job_id()
    with pytest.raises(RuntimeError), transaction.atomic():
        registry.changed([case.pk])
        raise RuntimeError("the change fails")
    assert not jobs_since(before, "deadlines.refresh_case_signals").exists()
    with transaction.atomic():
        registry.changed([other.pk])
    assert [job.args for job in jobs_since(before, "deadlines.refresh_case_signals")] == [{"case_ids": [other.pk]}]
    with transaction.atomic():
        registry.changed([other.pk])
        registry.changed([case.pk, other.pk])
    assert list(jobs_since(before, "deadlines.refresh_case_signals").values_list("args", flat=True))[1:] == [
        {"case_ids": sorted([case.pk, other.pk])}
    ]


def test_a_transaction_that_touches_thousands_of_cases_queues_one_job(world):
    before = last_job_id()
    with transaction.atomic():
        registry.changed(range(1, 5001))
    [job] = jobs_since(before, "deadlines.refresh_case_signals")
    assert job.args == {"case_ids": list(range(1, 5001))} and len(job.queueing_lock) < 100


def test_a_refresh_that_cannot_be_queued_does_not_fail_the_change(world, caplog):
    regisseur, _, case, _ = world
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER refuse_refresh_jobs BEFORE INSERT ON procrastinate_jobs FOR EACH ROW "
            "WHEN (NEW.task_name = 'deadlines.refresh_case_signals') EXECUTE FUNCTION spil_refuse_history_change()"
        )
    try:
        case_services.add_note(case, actor=regisseur, text="Genoteerd terwijl de wachtrij weigert.")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_refresh_jobs ON procrastinate_jobs")
    assert case.events.filter(text="Genoteerd terwijl de wachtrij weigert.").exists()
    assert "refresh_touched_cases" in caplog.text  # logged, for the periodic refresh to make up for


def test_a_note_in_the_timeline_of_a_stagnant_case_resolves_its_signal_soon_after(world):
    """Any service that writes a line in a case's timeline refreshes the case's signals (`timeline.services.record`),
    without waiting for the periodic refresh of everything."""
    regisseur, _, case, _ = world
    services.refresh()
    stagnation = Signal.objects.open().filter(case=case, kind=detectors.STAGNATION.code)
    assert stagnation.exists()
    before = last_job_id()
    case_services.add_note(case, actor=regisseur, text="Gesprek gevoerd met de betrokkene.")
    assert [job.args for job in jobs_since(before, "deadlines.refresh_case_signals")] == [{"case_ids": [case.pk]}]
    run_worker()
    assert not stagnation.exists()


def test_the_worker_refreshes_everything_every_hour_and_what_time_changed_in_between(world):
    from spil.deadlines import tasks

    regisseur, _, case, _ = world
    every = {task.task.name: task.cron for task in tasks.app.periodic_registry.periodic_tasks.values()}
    assert every["deadlines.refresh_all_signals"] == "37 * * * *"
    tasks.refresh_all_signals.defer()
    run_worker()
    assert Signal.objects.open().filter(case=case, kind=detectors.STAGNATION.code).exists()
    assert Notification.objects.filter(user=regisseur).exists()
    refreshed_at = RefreshMark.objects.get().refreshed_at

    # A notification still to be made (its job was lost) is queued again by the refresh of what time changed, which
    # itself touches no case now.
    Notification.objects.filter(user=regisseur).delete()
    SignalRecipient.objects.filter(user=regisseur).update(notified_at=None)
    before = last_job_id()
    tasks.refresh_signals.defer()
    run_worker()
    assert RefreshMark.objects.get().refreshed_at > refreshed_at
    assert [job.args for job in jobs_since(before, "deadlines.notify")] == [{"user_id": regisseur.pk}]
    assert Notification.objects.filter(user=regisseur).exists()


def test_without_new_signals_nothing_is_queued(house):
    before = last_job_id()
    services.refresh()
    assert not jobs_since(before, "deadlines.notify").exists()


def test_the_nightly_clean_up_forgets_finished_jobs_after_a_week_and_keeps_the_recent_ones():
    from spil.deadlines import tasks

    tasks.refresh_signals.defer()
    run_worker()
    old = ProcrastinateJob.objects.filter(task_name="deadlines.refresh_signals", status="succeeded").values_list("id", flat=True)
    old_ids = list(old)
    assert old_ids
    with connection.cursor() as cursor:  # they finished eight days ago
        cursor.execute("UPDATE procrastinate_events SET at = at - interval '8 days' WHERE job_id = ANY(%s)", [old_ids])
    tasks.refresh_signals.defer()
    run_worker()
    recent = set(ProcrastinateJob.objects.filter(status="succeeded").exclude(id__in=old_ids).values_list("id", flat=True))

    tasks.remove_old_jobs.defer()
    run_worker()

    assert not ProcrastinateJob.objects.filter(id__in=old_ids).exists()
    assert recent <= set(ProcrastinateJob.objects.values_list("id", flat=True))
