"""Kerncijfers kept as snapshots, so the dashboard answers in milliseconds at national size.

Computing the figures (`figures.dashboard`) takes a few dozen aggregate queries; over years of meldingen and cases
of 30 houses that is seconds, too slow for a page. So the result is stored per scope (the set of houses) and period
as a `Snapshot`: the figures exactly as the page shows them, aggregated and protected by `suppression`, with the
moment they were computed. The page says that moment ("Cijfers berekend op ...").

- `dashboard(house_ids, period)` is what the pages and exports call: a fresh snapshot when there is one (two
  queries, whatever the size of the data), otherwise it computes, stores and returns the figures. Fresh means
  computed at most `MAX_AGE` ago and with the current suppression threshold and `SCHEMA`.
- The task queue refreshes the default period (the last twelve months) of every house, every intake region, the
  whole country and every monitor user's own selection every `REFRESH_MINUTES` (`tasks.refresh_snapshots`), so
  the usual pages never wait; an unusual period is computed on its first request and kept for `MAX_AGE`.
- One computation per scope and period at a time: a transaction-level advisory lock makes a second request for the
  same figures wait for the first and then read its snapshot, instead of computing the same seconds again.

Access is not decided here: the views pass only houses the user may see (`policy.visible_monitor_houses`), and a
snapshot holds nothing but the figures of exactly those houses.
"""

import dataclasses
import datetime
import hashlib
import time
from collections.abc import Iterable

from django.db import connection, transaction

from spil.access import policy
from spil.core import clock
from spil.monitor import figures, suppression
from spil.monitor.models import Snapshot
from spil.organisations.models import House, Membership, Role

# Bump when the structure or the definitions of the figures change: older snapshots are then recomputed.
SCHEMA = 1
# Every how many minutes the task queue refreshes the default period of the standard scopes. Figures over months
# do not need to be more current than this, and a full refresh costs well under a minute of one core.
REFRESH_MINUTES = 15
# A snapshot older than this is not shown but recomputed on request (the worker may be down or behind).
MAX_AGE = datetime.timedelta(minutes=4 * REFRESH_MINUTES)
# "Nu herberekenen" on the page does nothing when the figures are younger than this.
RECOMPUTE_AFTER = datetime.timedelta(minutes=1)
# Snapshots not refreshed for this long are removed by the periodic task (they would be recomputed anyway).
KEPT = datetime.timedelta(days=2)
# First key of pg_advisory_xact_lock(int, int); the second is derived from the scope and period.
LOCK_CLASS = 7_465_302


def scope_key(house_ids: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted(set(house_ids)))


def dashboard(house_ids: list[int], period: figures.Period) -> figures.Dashboard:
    """The figures of these houses over this period: from a fresh snapshot, or computed and stored now."""
    key = scope_key(house_ids)
    snapshot = _usable(Snapshot.objects.filter(houses=key, start=period.start, end=period.end).first())
    if snapshot is None:
        snapshot = _compute(key, period, force=False)
    return _load(snapshot, period)


def recompute(house_ids: list[int], period: figures.Period) -> Snapshot:
    """Compute these figures again now (the page's "Nu herberekenen" and the periodic refresh), unless another
    request did so less than `RECOMPUTE_AFTER` ago."""
    return _compute(scope_key(house_ids), period, force=True)


def _usable(snapshot: Snapshot | None, *, younger_than: datetime.timedelta = MAX_AGE) -> Snapshot | None:
    if snapshot is None or snapshot.schema != SCHEMA or snapshot.threshold != suppression.threshold():
        return None
    now = clock.now()
    # A snapshot "from the future" (only when the clock is moved, in tests and the demo) is not trusted either.
    return snapshot if now - younger_than <= snapshot.computed_at <= now else None


def _compute(key: str, period: figures.Period, *, force: bool) -> Snapshot:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, _lock_key(key, period)])
        # Someone may have computed it while this request waited for the lock (read committed: we see it now).
        existing = Snapshot.objects.filter(houses=key, start=period.start, end=period.end).first()
        if (done := _usable(existing, younger_than=RECOMPUTE_AFTER if force else MAX_AGE)) is not None:
            return done
        started = time.monotonic()
        data = figures.dashboard([int(pk) for pk in key.split(",") if pk], period)
        values = {
            "figures": _dump(data),
            "threshold": suppression.threshold(),
            "schema": SCHEMA,
            "computed_at": clock.now(),
            "seconds": round(time.monotonic() - started, 3),
        }
        snapshot, _ = Snapshot.objects.update_or_create(houses=key, start=period.start, end=period.end, defaults=values)
        snapshot.refresh_from_db(fields=["figures"])  # as stored (JSON), so this page shows what the next ones read
        return snapshot


def _lock_key(key: str, period: figures.Period) -> int:
    return int(hashlib.sha256(f"{key}|{period.start}|{period.end}".encode()).hexdigest()[:7], 16)


def _dump(data: figures.Dashboard) -> dict:
    return {
        "headline": [list(item) for item in data.headline],
        "sections": [[title, [dataclasses.asdict(figure) for figure in section]] for title, section in data.sections],
    }


def _load(snapshot: Snapshot, period: figures.Period) -> figures.Dashboard:
    ids = [int(pk) for pk in snapshot.houses.split(",") if pk]
    stored = snapshot.figures
    return figures.Dashboard(
        period=period,
        houses=list(House.objects.filter(pk__in=ids).order_by("name")),
        headline=[tuple(item) for item in stored["headline"]],
        sections=[(title, [figures.Figure(**figure) for figure in section]) for title, section in stored["sections"]],
        computed_at=snapshot.computed_at,
        version=f"{snapshot.pk}-{snapshot.computed_at.timestamp()}-{SCHEMA}",
    )


# --- the periodic refresh ------------------------------------------------------------------------------------


def standard_scopes() -> list[list[int]]:
    """The scopes whose default period is kept warm: every house, every intake region of several houses, the whole
    country, and the selection every user with the monitor role sees by default (all the houses they may see)."""
    houses = list(House.objects.values_list("pk", "intake_region_id"))
    scopes = {scope_key([pk]) for pk, _ in houses}
    regions: dict[int, list[int]] = {}
    for pk, region in houses:
        if region is not None:
            regions.setdefault(region, []).append(pk)
    scopes |= {scope_key(members) for members in regions.values() if len(members) > 1}
    everything = scope_key(pk for pk, _ in houses)
    scopes.add(everything)
    per_user: dict[int, set[int]] = {}
    national: set[int] = set()
    for user, house, role in Membership.objects.filter(role__in=policy.ACTION_ROLES["monitor.view"], user__is_active=True).values_list(
        "user_id", "house_id", "role"
    ):
        per_user.setdefault(user, set()).add(house)
        if role == Role.NATIONAL_MONITOR:
            national.add(user)
    scopes |= {scope_key(ids) for user, ids in per_user.items() if user not in national}
    scopes.discard("")
    return [[int(pk) for pk in key.split(",")] for key in sorted(scopes, key=lambda key: (key.count(","), key))]


def refresh() -> int:
    """Recompute the default period of every standard scope and forget snapshots nobody refreshed for `KEPT`.
    Each scope in its own transaction, so pages keep reading the other snapshots meanwhile."""
    period = figures.Period(*figures.default_period(clock.today()))
    scopes = standard_scopes()
    for house_ids in scopes:
        recompute(house_ids, period)
    Snapshot.objects.filter(computed_at__lt=clock.now() - KEPT).delete()
    return len(scopes)
