import pytest
from django.db import DatabaseError, connection, transaction

from spil.cases.models import AveChange
from spil.logbook.models import Action, AuditRecord, ProcessingActivity, ProcessingRecord
from spil.logbook.services import log_processing
from spil.testing.factories import register_report
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db


def purge_setting(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('spil.retention_purge', %s, true)", [value])


@pytest.fixture
def history(intake_worker, regisseur, house):
    from spil.cases import services
    from spil.casetypes.models import CaseType

    report = register_report(intake_worker, house)
    services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
    )
    log_processing(
        Action.READ, actor=intake_worker, activity=ProcessingActivity.objects.get(code="intake-weging"), persons=report.persons.all()
    )


@pytest.mark.parametrize("model", [Event, AveChange])
def test_history_refuses_update_and_delete_outside_a_purge(history, model):
    for change in [lambda: model.objects.update(id=-1), lambda: model.objects.all().delete()]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()


@pytest.mark.parametrize("value", ["off", "true", "1", ""])
def test_only_the_exact_setting_opens_the_purge(history, value):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        purge_setting(value)
        Event.objects.all().delete()


@pytest.mark.parametrize("model", [Event, AveChange])
def test_during_a_purge_history_can_be_deleted_but_never_changed(history, model):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        purge_setting("on")
        model.objects.update(id=-1)
    with transaction.atomic():
        purge_setting("on")
        model.objects.all().delete()
    assert not model.objects.exists()


@pytest.mark.parametrize("model", [ProcessingRecord, AuditRecord])
def test_the_logbook_refuses_change_and_removal_even_during_a_purge(history, model):
    for change in [lambda: model.objects.update(trace_id="0" * 32), lambda: model.objects.all().delete()]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            purge_setting("on")
            change()
    assert model.objects.exists()


def test_the_logbook_has_its_own_trigger_function():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid IN ('logbook_processingrecord'::regclass, 'logbook_auditrecord'::regclass) AND NOT t.tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["spil_refuse_log_change"]
