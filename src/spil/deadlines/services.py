"""Signals kept current from the detectors, notifications of new signals, and the WTH measure of a case.

`refresh` runs every registered detector and brings the stored signals in line in one transaction (set-based
writes): for the whole country every hour, and for some cases (with the kinds that are not about one case) after a
change (the after-commit hook of `registry.changed(cases)`) and every few minutes for the cases whose signals time
alone changed (`refresh_by_time`), all on the task queue. New
(signal, recipient) pairs are notified by `notify`, which is idempotent: a retried or duplicated job never makes a
second notification (the pair's `notified_at` under a row lock, and a unique key on `web.Notification`).
"""

import dataclasses
import datetime
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from spil.access import policy
from spil.access.processing import failures_logged, log_case
from spil.cases.models import Case
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.deadlines import registry
from spil.deadlines.models import ExtensionDecision, Measure, RefreshMark, Signal, SignalRecipient
from spil.logbook.models import Action
from spil.timeline.models import EventKind
from spil.timeline.services import record
from spil.web.models import Notification

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key: one refresh at a time, however many workers run.
REFRESH_LOCK = 7_465_301
# A periodic refresh after a longer pause (workers stopped) refreshes everything rather than collect the cases time
# changed in all that time.
FULL_REFRESH_AFTER = datetime.timedelta(days=1)
NOTIFICATION_KEY = "signaal:{}"
EMAIL_SUBJECT = "Er staat iets voor u klaar in Spil"
EMAIL_BODY = (
    "Er staat iets voor u klaar in Spil.\n\n"
    "Bekijk het in Mijn werk: {url}\n\n"
    "Dit bericht bevat bewust geen gegevens over personen of casussen. Log in om te zien waar het om gaat.\n"
)


@dataclass(frozen=True)
class Refreshed:
    opened: int
    updated: int
    resolved: int
    notify_users: frozenset[int]
    failed_kinds: frozenset[str]


def _detect(now: datetime.datetime, cases: frozenset[int] | None) -> tuple[dict[str, registry.Detected], set[str]]:
    """Run every detector, a per-case one for `cases` only (all cases when None). One that fails is logged and its
    kind left as it was (not resolved), so a bug in one app's detector neither hides nor closes the other signals."""
    detected: dict[str, registry.Detected] = {}
    failed: set[str] = set()
    kinds = registry.kinds()
    for code, detector in registry.detectors().items():
        limited = cases is not None and kinds[code].per_case
        try:
            with transaction.atomic():  # a savepoint: a failed query does not spoil the refresh's transaction
                items = list(detector(now, cases) if limited else detector(now))
        except Exception:
            logger.exception("Signal detector %s failed", code)
            failed.add(code)
            continue
        for item in items:
            # A signal of another case is outside what this refresh compares with (`_in_scope`): it would be opened twice.
            if cases is None or item.case_id is None or item.case_id in cases:
                detected[item.key] = item
    return detected, failed


def _in_scope(cases: frozenset[int] | None):
    """The open signals a refresh brings in line: all, or those of `cases` and those about no case (the kinds that are
    not per case run whole)."""
    signals = Signal.objects.open()
    return signals if cases is None else signals.filter(Q(case__in=cases) | Q(case=None))


# What a detector decides of a signal (`Detected` and `Signal` name them alike): `refresh` keeps these in line.
DETECTED_FIELDS = ["due", "title", "url", "house_id", "case_id"]


def _detected_fields(d: registry.Detected) -> dict:
    """The `DETECTED_FIELDS` of a detected signal, in that order, as the signal stores them."""
    return {field: getattr(d, field) for field in DETECTED_FIELDS} | {"title": d.title[:300]}


def _lock_refresh() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


@transaction.atomic
def refresh(now: datetime.datetime | None = None, cases: Iterable[int] | None = None) -> Refreshed:
    """Bring the stored signals in line with what the detectors see at `now`: open new ones, update changed ones
    (due, title, url, recipients), resolve those no longer detected, and queue notifications for new recipients.
    With `cases` (ids), only the signals of those cases and of the kinds that are not about one case: what a change
    to those cases can have changed. Nationally a refresh of everything takes about 40 s, of one case about 70 ms."""
    now = now or clock.now()
    cases = None if cases is None else frozenset(cases)
    _lock_refresh()
    if cases is None:
        RefreshMark.objects.bulk_create(
            [RefreshMark(pk=1, refreshed_at=now)], update_conflicts=True, unique_fields=["id"], update_fields=["refreshed_at"]
        )
    detected, failed = _detect(now, cases)
    in_scope = _in_scope(cases)

    # The open signals as tuples of the columns a detector sets, not as model instances: nationally there are some
    # 400,000, and building an instance of each took a tenth of the refresh.
    open_signals = in_scope.values_list("pk", "key", "kind", *DETECTED_FIELDS)
    stored = {key: (pk, kind, tuple(values)) for pk, key, kind, *values in open_signals}
    new = [Signal(key=d.key, kind=d.kind, opened_at=now, **_detected_fields(d)) for key, d in detected.items() if key not in stored]
    Signal.objects.bulk_create(new)
    changed = [
        Signal(pk=pk, **wanted)
        for key, (pk, _kind, values) in stored.items()
        if key in detected and tuple((wanted := _detected_fields(detected[key])).values()) != values
    ]
    Signal.objects.bulk_update(changed, DETECTED_FIELDS)
    gone = [pk for key, (pk, kind, _values) in stored.items() if key not in detected and kind not in failed]
    Signal.objects.filter(pk__in=gone).update(resolved_at=now)

    signal_ids = {key: pk for key, (pk, _kind, _values) in stored.items()} | {signal.key: signal.pk for signal in new}
    wanted = {(signal_ids[key], user_id) for key, d in detected.items() for user_id in d.recipients}
    current = SignalRecipient.objects.filter(signal__in=in_scope.filter(kind__in=set(registry.detectors()) - failed))
    existing = {(signal_id, user_id): pk for pk, signal_id, user_id in current.values_list("pk", "signal_id", "user_id")}
    SignalRecipient.objects.filter(pk__in=[pk for pair, pk in existing.items() if pair not in wanted]).delete()
    SignalRecipient.objects.bulk_create(
        [SignalRecipient(signal_id=signal_id, user_id=user_id, added_at=now) for signal_id, user_id in wanted - existing.keys()],
        ignore_conflicts=True,
    )

    # Everyone with a pending notification (of these signals), not only the new pairs: a job that was lost is made up
    # for here, and by the periodic refresh of everything.
    pending = frozenset(
        SignalRecipient.objects.filter(notified_at__isnull=True, signal__in=in_scope).values_list("user_id", flat=True).distinct()
    )
    transaction.on_commit(lambda: queue_notifications(pending), robust=True)
    return Refreshed(len(new), len(changed), len(gone), pending, frozenset(failed))


@transaction.atomic
def refresh_by_time(now: datetime.datetime | None = None) -> Refreshed:
    """The periodic refresh: the signals that time alone changed since the last refresh (a deadline came near or
    passed, a case stagnated), and the kinds that are not about one case; each per-case kind names its cases
    (`registry.ChangedByTime`). A change to the data refreshes its own cases soon after (`schedule_refresh`). Everything
    is refreshed when the last refresh is unknown or more than FULL_REFRESH_AFTER ago, or when a kind cannot name its
    cases. Also queues the notifications still pending for anyone, which makes up for a lost or failed job."""
    now = now or clock.now()
    _lock_refresh()
    since = RefreshMark.objects.values_list("refreshed_at", flat=True).first()
    if since is None or not since < now <= since + FULL_REFRESH_AFTER:
        return refresh(now)
    cases = set()
    for code, changed_by_time in registry.changed_by_time().items():
        try:
            with transaction.atomic():  # a savepoint, as for a detector
                cases.update(changed_by_time(since, now))
        except Exception:
            logger.exception("Signal kind %s cannot say what time changed; refreshing every signal", code)
            return refresh(now)
    refreshed = refresh(now, cases=cases)
    RefreshMark.objects.filter(pk=1).update(refreshed_at=now)
    pending = SignalRecipient.objects.filter(notified_at__isnull=True, signal__resolved_at__isnull=True)
    everyone = frozenset(pending.values_list("user_id", flat=True).distinct())
    transaction.on_commit(lambda: queue_notifications(everyone - refreshed.notify_users), robust=True)
    return dataclasses.replace(refreshed, notify_users=everyone)


def queue_notifications(user_ids) -> None:
    from procrastinate import exceptions

    from spil.deadlines import tasks

    for user_id in sorted(user_ids):
        try:
            tasks.notify.configure(queueing_lock=f"deadlines.notify:{user_id}").defer(user_id=user_id)
        except exceptions.AlreadyEnqueued:
            pass  # a job for this user is waiting already and will pick these up too


def schedule_refresh(cases: frozenset[int]) -> None:
    """`registry.changed(cases)` subscriber: refresh those cases' signals soon after the current transaction commits.
    The cases of one transaction go into one job: the first call registers the transaction's hook and later ones add
    their cases to it; a rollback drops the hook and its cases with it (a savepoint's does not take back the cases added
    in it: refreshing those changes nothing). Bursts for the same cases collapse into one job (queueing lock), and a
    failure to queue never fails the change itself (the periodic refresh follows)."""
    hook = next((func for _sids, func, _robust in connection.run_on_commit if hasattr(func, "touched_cases")), None)
    if hook is not None:
        hook.touched_cases |= cases
        return
    touched = set(cases)

    def refresh_touched_cases():  # a function: Django names it when it logs a failure
        _queue_refresh(sorted(touched))

    refresh_touched_cases.touched_cases = touched
    transaction.on_commit(refresh_touched_cases, robust=True)


def _queue_refresh(case_ids: list[int]) -> None:
    from procrastinate import exceptions

    from spil.deadlines import tasks

    # The same cases give the same lock, whatever their number: a transaction may touch thousands (the demo's).
    lock = f"deadlines.refresh-cases:{hashlib.sha256(','.join(map(str, case_ids)).encode()).hexdigest()}"
    try:
        tasks.refresh_case_signals.configure(queueing_lock=lock).defer(case_ids=case_ids)
    except exceptions.AlreadyEnqueued:
        pass


@transaction.atomic
def notify(user_id: int) -> int:
    """Make the in-app notifications of a user's new signals and send one e-mail without content. Idempotent."""
    pending = list(
        SignalRecipient.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(user_id=user_id, notified_at__isnull=True, signal__resolved_at__isnull=True)
        .select_related("signal")
        .order_by("signal__due", "pk")
    )
    if not pending:
        return 0
    now = clock.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                key=NOTIFICATION_KEY.format(link.signal_id),
                text=f"Nieuw signaal: {link.signal.title}"[:300],
                url=link.signal.url[:200],
                created_at=now,
            )
            for link in pending
        ],
        ignore_conflicts=True,
    )
    SignalRecipient.objects.filter(pk__in=[link.pk for link in pending]).update(notified_at=now)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is not None:
        # Inside the transaction: if sending fails, nothing is marked, and the next refresh queues the job again.
        send_mail(EMAIL_SUBJECT, EMAIL_BODY.format(url=settings.SPIL_BASE_URL + reverse("web:my-work")), None, [user.email])
    return len(pending)


# --- The measure of a case (WTH huisverbod) ---------------------------------------------------------------------


def has_measure(case: Case) -> bool:
    return bool(case.case_type.measure_days)


def _lock_case(case: Case) -> None:
    Case.objects.select_for_update().filter(pk=case.pk).values("pk").get()


@failures_logged(log_case)
@transaction.atomic
def impose_measure(case: Case, *, actor, imposed_at: datetime.datetime) -> Measure:
    """Record that a measure (huisverbod) was imposed: it ends `measure_days` after, and may be extended up to
    `measure_max_days` in total (the case type's terms, fixed on the measure now)."""
    policy.require(actor, "case.direct", case.house)
    if not has_measure(case):
        raise DomainError(f"{case.case_type} kent geen maatregel met een termijn.")
    if not case.is_open:
        raise IllegalTransition("Bij een gesloten casus kan geen maatregel worden vastgelegd; heropen de casus eerst.")
    now = clock.now()
    if imposed_at > now:
        raise DomainError("Het moment van opleggen kan niet in de toekomst liggen.")
    case_type = case.case_type
    max_days = max(case_type.measure_max_days or case_type.measure_days, case_type.measure_days)
    # Days on the local clock: a huisverbod imposed at 14:00 ends at 14:00, also across a change of summer time.
    local = timezone.localtime(imposed_at)
    ends_at = local + datetime.timedelta(days=case_type.measure_days)
    max_ends_at = local + datetime.timedelta(days=max_days)
    if ends_at <= now:
        raise DomainError(f"Een maatregel opgelegd op {clock.local_text(imposed_at)} is al afgelopen; leg een lopende maatregel vast.")
    _lock_case(case)
    running = [measure for measure in case.measures.all() if measure.is_running(now)]
    if running:
        raise IllegalTransition(f"Er loopt al een huisverbod in deze casus (tot {clock.local_text(running[0].end)}).")
    measure = Measure.objects.create(
        case=case, imposed_at=imposed_at, ends_at=ends_at, max_ends_at=max_ends_at, recorded_by=actor, recorded_at=now
    )
    record(
        actor=actor,
        kind=EventKind.MEASURE,
        case=case,
        text=f"Huisverbod opgelegd op {clock.local_text(imposed_at)}; het eindigt op {clock.local_text(ends_at)} tenzij het wordt verlengd "
        f"(uiterlijk tot {clock.local_text(max_ends_at)}). Besluit over verlenging vóór {clock.local_text(ends_at)}.",
    )
    log_case(Action.UPDATE, case, actor)
    return measure


@failures_logged(log_case)
@transaction.atomic
def decide_extension(case: Case, *, actor, measure: Measure, decision: str, extended_until: datetime.datetime | None, note: str) -> Measure:
    """Record the burgemeester's decision on extending the measure: extended (before the initial end, to a moment
    after it and no later than the maximum) or not extended."""
    policy.require(actor, "case.direct", case.house)
    if measure.case_id != case.pk:
        raise DomainError("Deze maatregel hoort niet bij deze casus.")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.decided:
        raise IllegalTransition(f"Over verlenging van dit huisverbod is al besloten ({measure.get_decision_display().lower()}).")
    decision = ExtensionDecision(decision)
    now = clock.now()
    if decision == ExtensionDecision.EXTENDED:
        if now >= measure.ends_at:
            raise IllegalTransition(f"Het huisverbod is op {clock.local_text(measure.ends_at)} afgelopen; verlengen kon tot dat moment.")
        if extended_until is None:
            raise DomainError("Geef op tot wanneer het huisverbod is verlengd.")
        if extended_until <= measure.ends_at:
            raise DomainError(f"Een verlenging eindigt na het oorspronkelijke einde ({clock.local_text(measure.ends_at)}).")
        if extended_until > measure.max_ends_at:
            raise DomainError(
                f"Verlengen kan tot uiterlijk {clock.local_text(measure.max_ends_at)} ({case.case_type.measure_max_days} dagen na opleggen)."
            )
        text = f"Besluit over verlenging: het huisverbod is verlengd tot {clock.local_text(extended_until)}."
    else:
        extended_until = None
        text = f"Besluit over verlenging: het huisverbod is niet verlengd en eindigt op {clock.local_text(measure.ends_at)}."
    measure.decision, measure.extended_until, measure.decision_note = decision, extended_until, note
    measure.decided_by, measure.decided_at = actor, now
    measure.save(update_fields=["decision", "extended_until", "decision_note", "decided_by", "decided_at"])
    record(actor=actor, kind=EventKind.MEASURE, case=case, text=f"{text} {note}".strip())
    log_case(Action.UPDATE, case, actor)
    return measure
