"""In a web request the log records join their chain when the request's transaction commits (`chain.appended_at_commit`),
so the partition's lock is not held while the page renders. They still commit with what they log, or not at all."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from spil.access.processing import log_report
from spil.core import clock
from spil.intake.models import Report
from spil.logbook import chain, tracing
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingRecord
from spil.testing.factories import register_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def audit_record(detail: str) -> AuditRecord:
    return AuditRecord(
        trace_id=tracing.current().trace_id, span_id=tracing.new_span_id(), event=AuditEvent.REQUEST, at=clock.now(), detail=detail
    )


def advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


def test_records_join_the_chain_at_commit_without_holding_the_lock_before():
    with tracing.traced(), chain.appended_at_commit(), transaction.atomic():
        chain.append([audit_record("bij de commit")])
        assert not AuditRecord.objects.filter(detail="bij de commit").exists()
        assert advisory_locks_held() == 0
    record = AuditRecord.objects.get(detail="bij de commit")
    assert record.hash and chain.verify(AuditRecord) is None


def test_records_appended_in_a_rolled_back_savepoint_are_not_written():
    with tracing.traced(), chain.appended_at_commit(), transaction.atomic():
        chain.append([audit_record("blijft")])
        with pytest.raises(RuntimeError), transaction.atomic():
            chain.append([audit_record("teruggedraaid")])
            raise RuntimeError("the service failed after logging")
    assert list(AuditRecord.objects.filter(detail__in=["blijft", "teruggedraaid"]).values_list("detail", flat=True)) == ["blijft"]


def test_inside_a_transaction_that_was_already_open_records_are_appended_at_once():
    with transaction.atomic(), tracing.traced(), chain.appended_at_commit():
        chain.append([audit_record("meteen")])
        assert AuditRecord.objects.filter(detail="meteen").exists()


def test_a_log_write_refused_at_commit_aborts_the_action(intake_worker, house):
    """Fail closed, also when the log is written at commit: the melding is not registered either."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER refuse_insert BEFORE INSERT ON logbook_processingrecord "
            "FOR EACH ROW EXECUTE FUNCTION spil_refuse_history_change()"
        )
    try:
        with pytest.raises(DatabaseError), tracing.traced(), chain.appended_at_commit(), transaction.atomic():
            register_report(intake_worker, house)
        assert not Report.objects.exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_insert ON logbook_processingrecord")


def test_a_request_commits_its_log_records(client, intake_worker, house):
    report = register_report(intake_worker, house)
    client.force_login(intake_worker)
    response = client.get(f"/meldingen/{report.number}/")
    trace_id = response["traceparent"].split("-")[1]
    assert ProcessingRecord.objects.filter(trace_id=trace_id, action=Action.READ, object_ref=report.number).exists()
    assert AuditRecord.objects.filter(trace_id=trace_id, event=AuditEvent.REQUEST).exists()
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None


def test_a_transactions_records_follow_each_other_in_the_order_they_were_appended():
    with tracing.traced(), chain.appended_at_commit(), transaction.atomic():
        chain.append([audit_record("eerste")])
        chain.append([audit_record("tweede"), audit_record("derde")])
    first, second, third = AuditRecord.objects.filter(detail__in=["eerste", "tweede", "derde"]).order_by("id")
    assert [first.detail, second.detail, third.detail] == ["eerste", "tweede", "derde"]
    assert (second.previous_hash, third.previous_hash) == (first.hash, second.hash)


def test_a_transaction_writes_both_logs_of_several_partitions_in_one_statement(intake_worker, house, traces_in_two_partitions):
    """One statement locks the partitions, reads their chains' ends, links the records to them and inserts every record
    (`chain._append`); PostgreSQL's hashes are the ones `verify` computes."""
    report = register_report(intake_worker, house)
    with CaptureQueriesContext(connection) as queries:
        with chain.appended_at_commit(), transaction.atomic():
            for trace in traces_in_two_partitions.values():
                with tracing.traced(trace.traceparent):
                    log_report(Action.READ, report, intake_worker)
                    chain.append([audit_record("los")])
    log_statements = [query["sql"] for query in queries if "logbook_processingrecord" in query["sql"] or "spil_chain" in query["sql"]]
    assert len(log_statements) == 1 and "spil_chain_links" in log_statements[0]
    assert ProcessingRecord.objects.filter(object_ref=report.number, action=Action.READ).count() == 2 * report.persons.count()
    assert AuditRecord.objects.filter(detail="los").count() == 2
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None


def test_the_statement_is_the_same_whatever_the_number_of_records():
    """PostgreSQL prepares a statement that runs often by its text: a page that logs 24 persons and one that logs 25
    share it (`chain._statement`), the positions of each log's records being parameters."""
    statements = []

    def caught(execute, sql, params, many, context):
        if "spil_chain_links" in sql:
            statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(caught):
        for count in (1, 3):
            with tracing.traced(), chain.appended_at_commit(), transaction.atomic():
                chain.append([audit_record(f"{count} keer") for _ in range(count)])
    assert len(statements) == 2 and statements[0] == statements[1]
    assert AuditRecord.objects.filter(detail__endswith="keer").count() == 4 and chain.verify(AuditRecord) is None
