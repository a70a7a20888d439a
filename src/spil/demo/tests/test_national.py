"""The national dataset generator: exact counts, a consistent database and a processing log whose chains verify."""

import datetime
import hashlib
import io
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from spil.cases.models import Case, CaseStatus
from spil.demo import generator
from spil.demo.national import NationalData, NationalSize, Progress
from spil.demo.national_log import LogWriter, payload_around_subject
from spil.intake.models import Report
from spil.logbook import chain
from spil.logbook.models import AuditRecord, ProcessingRecord
from spil.persons.bsn import is_valid_bsn
from spil.persons.models import Person

TINY = NationalSize(
    "tiny",
    persons=400,
    reports=300,
    cases=100,
    users=200,
    log_records=3_000,
    houses=5,
    long_timelines=2,
    long_timeline_events=40,
    demo="test",
)


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


def test_the_span_payload_is_what_the_chain_hashes():
    content = {
        "partition": 3,
        "trace_id": "ab" * 16,
        "span_id": "cd" * 8,
        "parent_span_id": "",
        "action": "read",
        "status": "ok",
        "started_at": "2025-01-02T09:00:00+00:00",
        "ended_at": "2025-01-02T09:00:00.040000+00:00",
        "activity_id": 7,
        "object_ref": "C-2025-000001",
    }
    head, tail = payload_around_subject(content)
    subject = "f" * 64
    previous = chain.GENESIS
    assert (
        chain.compute_hash(previous, {**content, "subject": subject})
        == hashlib.sha256(f"{previous}\n{head}{subject}{tail}".encode()).hexdigest()
    )


@pytest.mark.django_db
def test_a_tiny_national_dataset_is_complete_and_consistent(tmp_path, settings):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path)
    now = datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC)
    generator.generate(TINY.demo, log=lambda text: None, now=now)  # the demo it starts from (building it again changes nothing)
    before = {model: model.objects.count() for model in (Person, Report, ProcessingRecord, get_user_model())}
    indexes = index_names()

    NationalData(TINY, now=now, out=io.StringIO()).build()

    assert Person.objects.count() - before[Person] == TINY.persons
    assert get_user_model().objects.count() - before[get_user_model()] == TINY.users
    assert Report.objects.count() - before[Report] == TINY.reports
    assert ProcessingRecord.objects.count() - before[ProcessingRecord] == TINY.log_records
    assert chain.verify(ProcessingRecord) is None and chain.verify(AuditRecord) is None
    assert all(is_valid_bsn(bsn) for bsn in Person.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert Report.objects.values("number").distinct().count() == Report.objects.count()
    assert Case.objects.filter(status=CaseStatus.OPEN, plans__isnull=False).exists()
    assert index_names() == indexes, "the indexes dropped for the load are all back"


def fail_in_the_helper(*args):
    raise RuntimeError("kapot")


@pytest.mark.django_db
def test_the_processing_log_is_not_loaded_when_a_helper_process_fails(monkeypatch):
    monkeypatch.setattr(LogWriter, "_write_half", fail_in_the_helper)
    writer = LogWriter(random.Random(1), Progress("verwerkingen", 1, io.StringIO()))

    with pytest.raises(RuntimeError, match="hulpproces"):
        writer.write(0, iter([]))
