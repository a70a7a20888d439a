"""Hash chains over the append-only logs: each record's hash covers its content and its predecessor's hash.

Records are spread over a few partitions (by trace id) so concurrent requests rarely wait on each other; within
a partition a transaction-level advisory lock orders the writers, so the chain follows commit order.

Inside `appended_at_commit()` (every web request) the records join their chain just before the transaction commits:
the lock is then held for the commit only, not while the rest of the request runs, so concurrent requests whose traces
share a partition no longer wait for each other's pages to render.
"""

import contextlib
import contextvars
import datetime
import functools
import hashlib
import json
from dataclasses import dataclass

from django.db import connection

PARTITIONS = 16
GENESIS = "0" * 64
LINK_FIELDS = {"hash", "previous_hash"}  # set as the record joins its chain
CHAIN_FIELDS_EXCLUDED = {"id", *LINK_FIELDS}


def _canonical(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value


def content_of(record) -> dict:
    return {
        field.attname: _canonical(field.value_from_object(record))
        for field in record._meta.concrete_fields
        if field.attname not in CHAIN_FIELDS_EXCLUDED
    }


def serialised(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(previous_hash: str, content: dict) -> str:
    return hash_payload(previous_hash, serialised(content))


def hash_payload(previous_hash: str, payload: str) -> str:
    """The hash of a record whose content is already serialised (`serialised`). PostgreSQL computes the same when the
    record joins its chain (`spil_chain_links`)."""
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def partition_for(trace_id: str) -> int:
    return int(trace_id[:8], 16) % PARTITIONS


@functools.cache
def _lock_key(model) -> int:
    # A stable 32-bit key per log table for pg_advisory_xact_lock(int, int).
    return int(hashlib.sha256(model._meta.db_table.encode()).hexdigest()[:7], 16)


_at_commit = contextvars.ContextVar("chain_appended_at_commit", default=False)


@contextlib.contextmanager
def appended_at_commit():
    """Within this block, records appended inside a transaction join their chain just before it commits (and are
    dropped with it, or with the savepoint they were appended in). Only when the block starts outside a transaction:
    one that is already open (a test's) may never commit, so there the records are appended at once."""
    token = _at_commit.set(not connection.in_atomic_block)
    try:
        yield
    finally:
        _at_commit.reset(token)


AT_COMMIT = "logbook chains"  # the key of the chains' work at commit: one call for all of it


def append(records: list) -> None:
    """Insert records of one model and one trace at the end of their partition's chain, inside the caller's
    transaction."""
    if not records:
        return
    model = type(records[0])
    partition = partition_for(records[0].trace_id)
    if any(type(r) is not model or partition_for(r.trace_id) != partition for r in records):
        raise ValueError("append() takes records of one model and one partition")
    if _at_commit.get() and connection.in_atomic_block:
        # At commit, all the transaction's records join their chains together (`_append`).
        connection.before_commit(_append, (model, partition, records), key=AT_COMMIT)
    else:
        _append([(model, partition, records)])


def _append(batches: list[tuple]) -> None:
    """Append batches of (model, partition, records) in one round trip. PostgreSQL locks every partition written to,
    reads the end of its chain and links the records to it (`spil_chain_links`, logbook migration 0009), and the same
    statement inserts them. The partitions' locks are taken in key order, so two transactions never take the same two
    locks in opposite order. Each round trip is a wait for PostgreSQL, and under load for a core as well; a lock taken
    in the statement that also inserts is held from there to the commit alone."""
    chains = {}
    for model, partition, records in batches:
        chains.setdefault((_lock_key(model), partition), (model, []))[1].extend(records)
    ordered = sorted(chains.items())
    by_model = {}
    for (_key, partition), (model, records) in ordered:
        for record in records:
            record.partition = partition
        by_model.setdefault(model, []).extend(records)
    linked = [record for records in by_model.values() for record in records]  # in chain order: models by lock key
    bounds, last = [], 0
    for records in by_model.values():
        bounds += [last + 1, last + len(records)]
        last += len(records)
    params = [
        [model._meta.db_table for _chain, (model, _records) in ordered],
        [key for (key, _partition), _records in ordered],
        [partition for (_key, partition), _records in ordered],
        [len(records) for _chain, (_model, records) in ordered],
        # One JSON array, not a text[]: psycopg escapes each quote of an array's element with a regular expression in
        # Python (0.5 ms for a page of 25 records).
        json.dumps([serialised(content_of(record)) for record in linked]),
        GENESIS,
        *bounds,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(tuple(by_model)), params)
        for record, (previous_hash, hash_) in zip(linked, cursor.fetchall(), strict=True):
            record.previous_hash, record.hash = previous_hash, hash_


@functools.cache
def _statement(models: tuple) -> str:
    """The append's SQL for records of `models`, in that order; each model's first and last position in the chain
    order are its parameters. One text per set of models, whatever the number of records: built once, and prepared by
    PostgreSQL once per connection (`conf.database`)."""
    links = (
        "SELECT n, previous_hash, hash, content FROM spil_chain_links(%s::regclass[], %s::integer[], %s::integer[], "
        "%s::integer[], %s::jsonb, %s) WITH ORDINALITY AS link(previous_hash, hash, content, n)"
    )
    return f"WITH links AS MATERIALIZED ({links}), {_inserts(models)} SELECT previous_hash, hash FROM links ORDER BY n"


def _inserts(models: tuple) -> str:
    """Each model's records as an INSERT of the statement's WITH, in list order so ids follow the chain. A row is read
    from the very content its hash covers (`links.content`, keyed by attribute name, which for the log's fields is the
    column's: tested), so what is stored is what was hashed. Not `bulk_create`: Django prepares every value through its
    field and psycopg adapts them one by one in Python (a list page's 40 persons took 14.5 ms that way)."""
    statements = []
    for n, model in enumerate(models):
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        values = ", ".join(
            f"{'links' if field.attname in LINK_FIELDS else 'given'}.{connection.ops.quote_name(field.column)}" for field in fields
        )
        statements.append(
            f"chain_{n} AS (INSERT INTO {table} ({columns}) SELECT {values} "
            f"FROM links, json_populate_record(NULL::{table}, links.content::json) AS given "
            "WHERE links.n BETWEEN %s AND %s ORDER BY links.n)"
        )
    return ", ".join(statements)


@dataclass(frozen=True)
class Break:
    record_id: int
    partition: int
    reason: str


def verify(model) -> Break | None:
    """Walk every partition's chain in order; return the first record that does not fit, or None."""
    for partition in range(PARTITIONS):
        expected_previous = GENESIS
        for record in model.objects.filter(partition=partition).order_by("id").iterator(chunk_size=2000):
            if record.previous_hash != expected_previous:
                return Break(record.pk, partition, "de verwijzing naar het vorige record klopt niet (record verwijderd of ingevoegd)")
            if record.hash != compute_hash(record.previous_hash, content_of(record)):
                return Break(record.pk, partition, "de inhoud past niet bij de hash (record gewijzigd)")
            expected_previous = record.hash
    return None
