"""Where signals come from: each app registers detectors for the situations it knows about.

A detector is a function `detect(now) -> Iterable[Detected]` that returns every situation of its kind that needs
attention at `now` (a deadline that is near or past, or a case where nothing happens). It queries its own models
with SQL filters on dates, so its cost follows the number of live signals, not the size of the history.
Apps register their detectors in `AppConfig.ready()`:

    registry.register(Kind("plans.action-due", "Actie verloopt", lead_days=7), detect_due_actions)

The deadlines app stores what the detectors return (`deadlines.models.Signal`), keeps it current with a periodic
task, shows it in Mijn werk and notifies the recipients of new signals.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS


@dataclass(frozen=True)
class Kind:
    code: str  # "<app>.<situation>", e.g. "plans.action-due"
    label: str  # Dutch, e.g. "Actie verloopt"
    lead_days: int = 0  # how long before `due` the signal appears (detectors may use it in their filter)


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


Detector = Callable[[datetime.datetime], Iterable[Detected]]

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


def register(kind: Kind, detector: Detector) -> None:
    if kind.code in _kinds and _detectors[kind.code] is not detector:
        raise ValueError(f"Signal kind {kind.code!r} is registered twice")
    _kinds[kind.code] = kind
    _detectors[kind.code] = detector


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def detectors() -> dict[str, Detector]:
    return dict(_detectors)


# Apps call `changed()` after a change that may open or resolve a signal (e.g. a confirmation is requested); the
# deadlines app subscribes with `on_change` and refreshes the signals soon after the transaction commits.
_subscribers: list[Callable[[], None]] = []


def on_change(callback: Callable[[], None]) -> None:
    if callback not in _subscribers:
        _subscribers.append(callback)


def changed() -> None:
    for callback in _subscribers:
        callback()
