"""Where signals come from: each app registers detectors for the situations it knows about.

A detector is a function `detect(now) -> Iterable[Detected]` that returns every situation of its kind that needs
attention at `now` (a deadline that is near or past, or a case where nothing happens). It queries its own models
with SQL filters on dates, so its cost follows the number of live signals, not the size of the history. The detector
of a kind `per_case` (each signal about one case) also takes `cases`, ids that limit it to those cases: after a change,
only the signals of the cases it touched are brought in line (`only_cases`). Such a kind also registers what time
alone changes (`ChangedByTime`): the cases whose signals of that kind may differ between two moments without any
change to the data, because a deadline came near or passed in between. The periodic refresh brings only those in line.
Apps register their detectors in `AppConfig.ready()`:

    registry.register(Kind("plans.action-due", "Actie verloopt", lead_days=7, per_case=True), detect_due_actions, actions_changed_by_time)

The deadlines app stores what the detectors return (`deadlines.models.Signal`), keeps it current with a periodic
task, shows it in Mijn werk and notifies the recipients of new signals.
"""

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS


@dataclass(frozen=True)
class Kind:
    code: str  # "<app>.<situation>", e.g. "plans.action-due"
    label: str  # Dutch, e.g. "Actie verloopt"
    lead_days: int = 0  # how long before `due` the signal appears (detectors may use it in their filter)
    per_case: bool = False  # each signal is about one case, and the detector takes `cases` (see above)


@dataclass(frozen=True)
class Detected:
    """One situation that needs attention. The same situation must give the same `key` on every run."""

    key: str  # stable identity, e.g. "plans.action-due:123"
    kind: str  # a registered Kind.code
    house_id: int
    due: datetime.datetime  # when it is (or was) due; urgency is computed from it
    title: str  # Dutch; may name a case or meeting number, never a person
    url: str
    recipients: frozenset[int]  # user ids
    case_id: int | None = None


Detector = Callable[..., Iterable[Detected]]  # detect(now), and for a per-case kind detect(now, cases=None)
# changed_by_time(since, now) -> ids of the cases whose signals of the kind may differ at `now` from those at `since`
# with the data unchanged. More is allowed (it costs a little), fewer is a signal missed until the next full refresh.
ChangedByTime = Callable[[datetime.datetime, datetime.datetime], Iterable[int]]


def only_cases(queryset, cases: Collection[int] | None, case_field: str = "case"):
    """A per-case detector's queryset limited to `cases` (ids) when the refresh is, else all of it."""
    return queryset if cases is None else queryset.filter(**{f"{case_field}__in": cases})


# Digits that no route holds of its own: where they land in a reversed link is where the argument goes.
_LINK_MARKER = "7305918264"
_PATH_SEGMENT_SAFE = RFC3986_SUBDELIMS + ":@"  # what reverse() leaves unquoted in a segment


def link_to(viewname: str) -> Callable[[object], str]:
    """`reverse(viewname, args=[value])` as a function of the value, reversed once. A detector links each signal it
    finds, nationally some 400,000 in one refresh, and reversing each took a sixth of the refresh. For views that take
    one number or id."""
    before, marker, after = reverse(viewname, args=[_LINK_MARKER]).partition(_LINK_MARKER)
    if not marker or _LINK_MARKER in after:
        raise ValueError(f"{viewname!r} does not take its one argument as a path segment")
    return lambda value: before + quote(str(value), safe=_PATH_SEGMENT_SAFE) + after


_kinds: dict[str, Kind] = {}
_detectors: dict[str, Detector] = {}
_changed_by_time: dict[str, ChangedByTime] = {}


def register(kind: Kind, detector: Detector, changed_by_time: ChangedByTime | None = None) -> None:
    if kind.code in _kinds and _detectors[kind.code] is not detector:
        raise ValueError(f"Signal kind {kind.code!r} is registered twice")
    if kind.per_case != (changed_by_time is not None):
        # Without it, time would never move a per-case kind's signals between full refreshes.
        raise ValueError(f"Signal kind {kind.code!r}: a kind per case says what time changes (changed_by_time), another kind does not")
    _kinds[kind.code] = kind
    _detectors[kind.code] = detector
    if changed_by_time is not None:
        _changed_by_time[kind.code] = changed_by_time


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def detectors() -> dict[str, Detector]:
    return dict(_detectors)


def changed_by_time() -> dict[str, ChangedByTime]:
    return dict(_changed_by_time)


# Apps call `changed(cases)` after a change that may open or resolve a signal (e.g. a confirmation is requested), with
# the ids of the cases it touched; a line in a case's timeline calls it itself (`timeline.services.record`). The
# deadlines app subscribes with `on_change` and, soon after the transaction commits, refreshes the signals of those
# cases and those of every kind that is not about one case.
_subscribers: list[Callable[[frozenset[int]], None]] = []


def on_change(callback: Callable[[frozenset[int]], None]) -> None:
    if callback not in _subscribers:
        _subscribers.append(callback)


def changed(cases: Iterable[int] = ()) -> None:
    touched = frozenset(cases)
    for callback in _subscribers:
        callback(touched)
