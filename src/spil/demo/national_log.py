"""The processing log of the national dataset: ten million hash-chained records, written as COPY text.

At that size a dict per row and a `json.dumps` per record would cost most of the load time. Everything in one span
(one request: its trace, action, moments and dossier) is the same for each person it concerns, so the span's chain
payload is rendered once with the chain's own serialisation (`chain.serialised`) around a marker, and each record only fills in
its subject: the hash is exactly the one `chain.append` would compute, and `verify_logbook` passes.

Hashing and formatting ten million records is most of the step's time, so two helper processes share it and this one
only passes their lines on. The chains of the partitions are independent: both helpers walk every span (the random
draws and the ids stay in step), and each hashes and writes the records of half the partitions. Their lines come
through pipes and go into one COPY as they arrive, so the helpers and PostgreSQL work at the same time; the audit
lines wait in files for the second COPY. Only this process writes: a second connection could not, since the load's
transaction holds the table's lock while its indexes are dropped.
"""

import datetime
import itertools
import json
import multiprocessing
import os
import select
import tempfile
from collections.abc import Iterator

from spil.demo.bulk import Table, some_of
from spil.logbook import chain
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingRecord
from spil.logbook.services import pseudonym

RECORD_COLUMNS = [
    "id",
    "partition",
    "previous_hash",
    "hash",
    "trace_id",
    "span_id",
    "parent_span_id",
    "action",
    "status",
    "started_at",
    "ended_at",
    "activity_id",
    "subject",
    "object_ref",
]
AUDIT_COLUMNS = [
    "id",
    "partition",
    "previous_hash",
    "hash",
    "trace_id",
    "span_id",
    "parent_span_id",
    "event",
    "at",
    "user_id",
    "username",
    "organisation",
    "ip_address",
    "session",
    "detail",
]
ACTIONS = [Action.READ] * 6 + [Action.SEARCH] * 3 + [Action.UPDATE] * 2 + [Action.CREATE]
SEARCH_RESULTS = 8  # persons a search shows besides the dossier's own
MARK = "\x00subject\x00"
HALVES = (frozenset(range(0, chain.PARTITIONS, 2)), frozenset(range(1, chain.PARTITIONS, 2)))
BLOCK = 1 << 20  # bytes read from a pipe or file at a time


def payload_around_subject(content: dict) -> tuple[str, str]:
    """The chain payload of `content` split where its subject goes: head + subject + tail is what
    `chain.serialised` gives for that subject."""
    text = chain.serialised({**content, "subject": MARK})
    head, tail = text.split(json.dumps(MARK)[1:-1])
    return head, tail


class LogWriter:
    """Writes `total` processing records and one audit record per span, oldest first, continuing each partition's
    chain. `spans` yields (moment, user id, activity id, dossier number, person ids, other persons of the house)."""

    def __init__(self, rng, progress):
        self.rng = rng
        self.progress = progress
        self.records, self.audits = Table(ProcessingRecord), Table(AuditRecord)
        self.heads = {model: [self._head(model, p) for p in range(chain.PARTITIONS)] for model in (ProcessingRecord, AuditRecord)}
        self.subjects: dict[int, str] = {}

    @staticmethod
    def _head(model, partition: int) -> str:
        return model.objects.filter(partition=partition).order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS

    def subject(self, person_id: int) -> str:
        value = self.subjects.get(person_id)
        if value is None:
            value = self.subjects[person_id] = pseudonym("person", person_id)
        return value

    def write(self, total: int, spans) -> None:
        # The helpers are forked before the first span is drawn, so they walk the same spans. They must never touch the
        # database connection they inherit; multiprocessing ends them with os._exit, which leaves the connection alone.
        with tempfile.TemporaryFile("w+") as audits_0, tempfile.TemporaryFile("w+") as audits_1:
            helpers = [self._start_helper(half, total, spans, audits) for half, audits in zip(HALVES, (audits_0, audits_1), strict=True)]
            try:
                with self.records.deferred_indexes():
                    self.records.copy_lines(RECORD_COLUMNS, self._lines_from(helpers))
            finally:
                for helper, _pipe in helpers:
                    if helper.is_alive():  # the COPY failed: nothing reads its pipe any more
                        helper.terminate()
                    helper.join()
            self.records.finish()
            with self.audits.deferred_indexes():
                self.audits.copy_lines(AUDIT_COLUMNS, itertools.chain(blocks_of(audits_0), blocks_of(audits_1)))
            self.audits.finish()

    def _start_helper(self, partitions, total, spans, audits):
        """A helper process writing the record lines of `partitions` to a pipe; returns it with the pipe's read end."""
        read_end, write_end = os.pipe()
        helper = multiprocessing.get_context("fork").Process(target=self._write_half, args=(partitions, total, spans, write_end, audits))
        helper.start()
        os.close(write_end)  # before the next fork: the pipe ends (EOF) when its own helper closes it
        return helper, read_end

    def _write_half(self, partitions, total, spans, write_end, audits) -> None:
        with open(write_end, "w", buffering=BLOCK) as records:
            records.writelines(self._record_lines(partitions, total, spans, audits))
        audits.flush()

    def _lines_from(self, helpers) -> Iterator[bytes]:
        """The helpers' record lines as they arrive, whole lines only (a read may stop anywhere in a line)."""
        unfinished = {pipe: b"" for _helper, pipe in helpers}
        while unfinished:
            ready, _, _ = select.select(list(unfinished), [], [])
            for pipe in ready:
                block = os.read(pipe, BLOCK)
                if not block:
                    os.close(pipe)
                    del unfinished[pipe]
                    continue
                block = unfinished[pipe] + block
                end = block.rfind(b"\n") + 1
                unfinished[pipe] = block[end:]
                self.progress.advance(block.count(b"\n", 0, end))
                yield block[:end]
        for helper, _pipe in helpers:
            helper.join()
            if helper.exitcode != 0:
                raise RuntimeError(f"een hulpproces voor het verwerkingenlogboek stopte met code {helper.exitcode}")

    def _record_lines(self, partitions, total, spans, audit_lines) -> Iterator[str]:
        """The COPY lines of the records in `partitions`; their audit lines go to `audit_lines`. Every span is drawn
        and every id handed out, whichever partition it falls in."""
        written = 0
        heads, audit_heads = self.heads[ProcessingRecord], self.heads[AuditRecord]
        rng = self.rng
        hash_payload = chain.hash_payload
        for at, user, activity, number, persons, others in spans:
            action = rng.choice(ACTIONS)
            trace_id, span_id = f"{rng.getrandbits(128):032x}", f"{rng.getrandbits(64):016x}"
            partition = chain.partition_for(trace_id)
            ended = at + datetime.timedelta(milliseconds=rng.randint(5, 80))
            shown = persons if action != Action.SEARCH else persons + some_of(rng, others, SEARCH_RESULTS)
            shown = shown[: total - written]
            ids = self.records.take_ids(len(shown))
            audit_id = self.audits.next_id()
            written += len(shown)
            if partition in partitions:
                started, ended = at.astimezone(datetime.UTC).isoformat(), ended.astimezone(datetime.UTC).isoformat()
                head, tail = payload_around_subject(
                    {
                        "partition": partition,
                        "trace_id": trace_id,
                        "span_id": span_id,
                        "parent_span_id": "",
                        "action": action,
                        "status": "ok",
                        "started_at": started,
                        "ended_at": ended,
                        "activity_id": activity,
                        "object_ref": number,
                    }
                )
                before = f"{partition}\t"
                after = f"\t{trace_id}\t{span_id}\t\t{action}\tok\t{started}\t{ended}\t{activity}\t"
                for record_id, person in zip(ids, shown, strict=True):
                    subject = self.subject(person)
                    previous = heads[partition]
                    digest = heads[partition] = hash_payload(previous, f"{head}{subject}{tail}")
                    yield f"{record_id}\t{before}{previous}\t{digest}{after}{subject}\t{number}\n"
                detail = f"{Action(action).label}: {number}"
                audit_lines.write(self._audit_line(audit_heads, audit_id, trace_id, span_id, at, user, detail))
            if written >= total:
                return

    def _audit_line(self, heads, audit_id, trace_id, span_id, at, user, detail) -> str:
        partition = chain.partition_for(trace_id)
        at_text = at.astimezone(datetime.UTC).isoformat()
        content = {
            "partition": partition,
            "trace_id": trace_id,
            "span_id": span_id,
            "parent_span_id": "",
            "event": AuditEvent.REQUEST,
            "at": at_text,
            "user_id": user,
            "username": "",
            "organisation": "",
            "ip_address": "127.0.0.1",
            "session": "",
            "detail": detail,
        }
        previous = heads[partition]
        digest = heads[partition] = chain.compute_hash(previous, content)
        return f"{audit_id}\t{partition}\t{previous}\t{digest}\t{trace_id}\t{span_id}\t\t{AuditEvent.REQUEST}\t{at_text}\t{user}\t\t\t127.0.0.1\t\t{detail}\n"


def blocks_of(file) -> Iterator[bytes]:
    file.seek(0)
    while block := file.buffer.read(BLOCK):
        yield block
