"""Two transactions append to the same partition of a chain at the same moment. The second waits for the first's lock
and must continue from the record the first committed meanwhile: read with a snapshot from before that commit, it
would link to the same predecessor and fork the chain."""

import threading
import time

import pytest
from django.db import connections, transaction

from spil.core import clock
from spil.logbook import chain, tracing
from spil.logbook.models import AuditEvent, AuditRecord
from spil.testing.locks import sessions_waiting_on_locks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRACE = "00000003" + "ab" * 12  # partition 3


def append_one(detail: str) -> None:
    chain.append([AuditRecord(trace_id=TRACE, span_id=tracing.new_span_id(), event=AuditEvent.REQUEST, at=clock.now(), detail=detail)])


def test_a_writer_that_waited_for_the_partition_continues_after_the_record_committed_meanwhile():
    def second_writer():
        try:
            with transaction.atomic():
                append_one("tweede")
        finally:
            connections.close_all()  # this thread's connection, so the test database can be dropped

    second = threading.Thread(target=second_writer)
    with transaction.atomic():
        append_one("eerste")
        second.start()
        deadline = time.monotonic() + 30
        while sessions_waiting_on_locks() < 1:
            assert time.monotonic() < deadline, "the second writer never waited for the partition's lock"
            time.sleep(0.05)
    second.join(timeout=30)

    first, then = AuditRecord.objects.filter(detail__in=["eerste", "tweede"]).order_by("id")
    assert (first.detail, then.detail) == ("eerste", "tweede")
    assert then.previous_hash == first.hash
    assert chain.verify(AuditRecord) is None
