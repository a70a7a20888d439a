import datetime
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction

from spil.logbook import chain, tracing
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingActivity, ProcessingRecord
from spil.logbook.services import log_processing, subject_of
from spil.testing.factories import register_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ProcessingActivity.objects.get(code="intake-weging")


@pytest.fixture
def persons(intake_worker, house):
    return list(
        register_report(
            intake_worker, house, persons=[{"first_names": "A", "surname": "B"}, {"first_names": "C", "surname": "D"}]
        ).persons.all()
    )


def test_one_record_per_data_subject_under_one_span_with_an_audit_record(intake_worker, activity, persons):
    with tracing.traced() as trace:
        records = log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons, object_ref="M-1")
    assert len(records) == 2
    assert {r.subject for r in records} == {subject_of(p) for p in persons}
    assert {r.span_id for r in records} == {records[0].span_id}
    assert all(r.trace_id == trace.trace_id and r.parent_span_id == trace.span_id for r in records)
    audit = AuditRecord.objects.get(trace_id=trace.trace_id, span_id=records[0].span_id)
    assert audit.user == intake_worker and audit.organisation == "ZVH Parkstad"


def test_the_log_holds_no_bsn_or_name(intake_worker, activity, house):
    person = register_report(
        intake_worker, house, persons=[{"first_names": "Geheim", "surname": "Persoon", "bsn": "111222333"}]
    ).persons.get()
    log_processing(Action.READ, actor=intake_worker, activity=activity, persons=[person])
    text = " ".join(str(value) for row in ProcessingRecord.objects.values() for value in row.values())
    assert not any(secret in text for secret in ["111222333", "Geheim", "Persoon"])
    assert ProcessingRecord.objects.filter(action=Action.READ).get().subject == subject_of(person) != str(person.pk)


def test_a_rolled_back_action_leaves_no_log_line(intake_worker, activity, persons):
    before = ProcessingRecord.objects.count(), AuditRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        log_processing(Action.UPDATE, actor=intake_worker, activity=activity, persons=persons)
        raise RuntimeError("the action failed after logging")
    assert (ProcessingRecord.objects.count(), AuditRecord.objects.count()) == before


def test_a_failing_log_write_aborts_the_action(intake_worker, house):
    """Fail closed: when the database refuses the log line, the melding is not registered either."""
    from spil.intake.models import Report

    with connection.cursor() as cursor:  # the log table starts refusing inserts (rolled back with the test)
        cursor.execute(
            "CREATE TRIGGER refuse_insert BEFORE INSERT ON logbook_processingrecord "
            "FOR EACH ROW EXECUTE FUNCTION spil_refuse_history_change()"
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        register_report(intake_worker, house)
    assert not Report.objects.exists()


def test_log_records_cannot_be_changed_or_removed(intake_worker, activity, persons):
    log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons)
    for model in [ProcessingRecord, AuditRecord]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            model.objects.update(trace_id="0" * 32)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            model.objects.all().delete()


def test_chains_verify_and_name_the_first_edited_record(intake_worker, activity, persons):
    for _ in range(3):
        with tracing.traced():
            log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons)
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None
    call_command("verify_logbook")

    victim = ProcessingRecord.objects.order_by("id")[2]
    with connection.cursor() as cursor:  # what someone with database rights might do
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE logbook_processingrecord DISABLE TRIGGER logbook_processingrecord_append_only")
        cursor.execute("UPDATE logbook_processingrecord SET action = 'export' WHERE id = %s", [victim.pk])
        cursor.execute("ALTER TABLE logbook_processingrecord ENABLE TRIGGER logbook_processingrecord_append_only")
    broken = chain.verify(ProcessingRecord)
    assert broken.record_id == victim.pk and "gewijzigd" in broken.reason
    with pytest.raises(CommandError, match=f"record {victim.pk}"):
        call_command("verify_logbook")


def test_each_partition_continues_from_its_own_last_record_when_partitions_interleave(
    intake_worker, activity, persons, traces_in_two_partitions
):
    """The head of a partition is its record with the highest id, also when other partitions wrote after it."""
    for _ in range(3):
        for trace in traces_in_two_partitions.values():
            with tracing.traced(trace.traceparent):
                log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons)
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None
    with connection.cursor() as cursor:
        for partition in traces_in_two_partitions:
            for model in [ProcessingRecord, AuditRecord]:
                cursor.execute("SELECT spil_chain_head(%s, %s, %s)", [model._meta.db_table, chain._lock_key(model), partition])
                last = model.objects.filter(partition=partition).latest("id")
                assert cursor.fetchone()[0] == last.hash
        with pytest.raises(DatabaseError, match="geen hashketen"), transaction.atomic():
            cursor.execute("SELECT spil_chain_head('auth_user', 1, 0)")


def test_records_are_stored_with_the_values_they_were_hashed_with(intake_worker):
    """The chain inserts the values as JSON: what is read back must hash the same."""
    at = datetime.datetime(2026, 3, 29, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    with tracing.traced() as trace:
        written = AuditRecord(
            trace_id=trace.trace_id,
            span_id=trace.span_id,
            event=AuditEvent.LOGIN,
            at=at,
            user=intake_worker,
            username="i.werker",
            organisation="ZVH Parkstad, Politie",
            ip_address="2001:db8::1",
            session="",
            detail="regel één\nregel\ttwee \\ met tekens",
        )
        chain.append([written])
    stored = AuditRecord.objects.get(trace_id=trace.trace_id)
    assert chain.content_of(stored) == chain.content_of(written) and stored.hash == written.hash
    assert chain.verify(AuditRecord) is None


def test_the_log_models_hold_only_values_json_carries_as_they_are():
    """A row is inserted from the JSON content its hash covers, keyed by attribute (`chain._inserts`): a new kind of
    column (a decimal, for one) or a column named apart from its attribute would need a look at that first."""
    plain = (models.CharField, models.TextField, models.IntegerField, models.DateTimeField, models.ForeignKey, models.GenericIPAddressField)
    for model in [ProcessingRecord, AuditRecord]:
        for field in model._meta.concrete_fields:
            assert isinstance(field, plain) and field.column == field.attname, f"{model.__name__}.{field.name}"


def test_a_removed_record_breaks_the_chain_at_its_successor(intake_worker, activity, persons):
    with tracing.traced():
        log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons)
        log_processing(Action.READ, actor=intake_worker, activity=activity, persons=persons)
    first, second = ProcessingRecord.objects.order_by("id")[:2]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE logbook_processingrecord DISABLE TRIGGER logbook_processingrecord_append_only")
        cursor.execute("DELETE FROM logbook_processingrecord WHERE id = %s", [first.pk])
        cursor.execute("ALTER TABLE logbook_processingrecord ENABLE TRIGGER logbook_processingrecord_append_only")
    assert chain.verify(ProcessingRecord).record_id == second.pk


def test_an_incoming_traceparent_is_continued(client, intake_worker):
    client.force_login(intake_worker)
    incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = client.get("/", headers={"traceparent": incoming})
    trace_id, span_id = response["traceparent"].split("-")[1:3]
    assert trace_id == "4bf92f3577b34da6a3ce929d0e0e4736" and span_id != "00f067aa0ba902b7"


@pytest.mark.parametrize("header", [None, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"])
def test_a_missing_or_invalid_traceparent_starts_a_new_trace(header):
    trace = tracing.new_trace(header)
    assert len(trace.trace_id) == 32 and set(trace.trace_id) != {"0"} and trace.parent_span_id == ""


def test_a_change_in_the_beheer_screens_is_audited_as_configuration(admin_client):
    from spil.logbook.models import AuditEvent

    activity = ProcessingActivity.objects.get(code="consult-advies")
    data = {
        f: getattr(activity, f)
        for f in ["code", "name", "purpose", "legal_basis", "categories_of_persons", "categories_of_data", "recipients"]
    }
    response = admin_client.post(f"/beheer/logbook/processingactivity/{activity.pk}/change/", {**data, "retention_years": 3})
    assert response.status_code == 302
    record = AuditRecord.objects.get(event=AuditEvent.CONFIGURATION)
    assert record.detail == f"Wijzigen logbook.processingactivity #{activity.pk}"


def test_processing_records_start_when_the_request_began(client, intake_worker, house):
    client.force_login(intake_worker)
    report = register_report(intake_worker, house)
    client.get(f"/meldingen/{report.number}/")
    record = ProcessingRecord.objects.filter(action=Action.READ).get()
    assert record.started_at <= record.ended_at


@pytest.mark.parametrize("bench_mode, logged", [(False, True), (True, False)])
def test_the_bench_header_switches_the_log_off_only_in_bench_mode(client, settings, intake_worker, house, bench_mode, logged):
    """The performance harness measures the log's cost; outside SPIL_BENCH_MODE (refused in production) the header
    is ignored, so no request can ever skip the log."""
    settings.BENCH_MODE = bench_mode
    report = register_report(intake_worker, house)
    client.force_login(intake_worker)
    client.get(f"/meldingen/{report.number}/", headers={"X-Spil-Bench-Log": "off"})
    assert ProcessingRecord.objects.filter(action=Action.READ, object_ref=report.number).exists() is logged
