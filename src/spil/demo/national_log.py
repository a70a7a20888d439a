"""The processing log of the national dataset: ten million hash-chained records, written as COPY text.

At that size a dict per row and a `json.dumps` per record would cost most of the load time. Everything in one span
(one request: its trace, action, moments and dossier) is the same for each person it concerns, so the span's chain
payload is rendered once with `chain.compute_hash`'s own serialisation around a marker, and each record only fills in
its subject: the hash is exactly the one `chain.append` would compute, and `verify_logbook` passes.
"""

import datetime
import json
import tempfile

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


def payload_around_subject(content: dict) -> tuple[str, str]:
    """The chain payload of `content` split where its subject goes: head + subject + tail is what
    `chain.compute_hash` serialises for that subject."""
    text = json.dumps({**content, "subject": MARK}, sort_keys=True, separators=(",", ":"), default=str)
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
        with tempfile.TemporaryFile("w+") as audit_lines:
            with self.records.deferred_indexes():
                self.records.copy_lines(RECORD_COLUMNS, self._record_lines(total, spans, audit_lines))
            self.records.finish()
            audit_lines.seek(0)
            with self.audits.deferred_indexes():
                self.audits.copy_lines(AUDIT_COLUMNS, audit_lines)
            self.audits.finish()

    def _record_lines(self, total, spans, audit_lines):
        written = 0
        heads, audit_heads = self.heads[ProcessingRecord], self.heads[AuditRecord]
        rng = self.rng
        for at, user, activity, number, persons, others in spans:
            action = rng.choice(ACTIONS)
            trace_id, span_id = f"{rng.getrandbits(128):032x}", f"{rng.getrandbits(64):016x}"
            partition = chain.partition_for(trace_id)
            started = at.astimezone(datetime.UTC).isoformat()
            ended = (at + datetime.timedelta(milliseconds=rng.randint(5, 80))).astimezone(datetime.UTC).isoformat()
            shown = persons if action != Action.SEARCH else persons + some_of(rng, others, SEARCH_RESULTS)
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
            shown = shown[: total - written]
            for person in shown:
                subject = self.subject(person)
                previous = heads[partition]
                digest = heads[partition] = chain.hash_payload(previous, f"{head}{subject}{tail}")
                yield f"{self.records.next_id()}\t{before}{previous}\t{digest}{after}{subject}\t{number}\n"
            written += len(shown)
            self.progress.advance(len(shown))
            audit_lines.write(self._audit_line(audit_heads, trace_id, span_id, at, user, f"{Action(action).label}: {number}"))
            if written >= total:
                return

    def _audit_line(self, heads, trace_id, span_id, at, user, detail) -> str:
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
        return f"{self.audits.next_id()}\t{partition}\t{previous}\t{digest}\t{trace_id}\t{span_id}\t\t{AuditEvent.REQUEST}\t{at_text}\t{user}\t\t\t127.0.0.1\t\t{detail}\n"
