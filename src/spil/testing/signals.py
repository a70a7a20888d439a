"""What time alone changes in the signals, checked against the detectors themselves."""

import collections
import datetime

from spil.deadlines import registry


def _detected_by_key(detect, now: datetime.datetime) -> dict[str, registry.Detected]:
    return {item.key: item for item in detect(now)}


def walk(start: datetime.datetime, end: datetime.datetime, step: datetime.timedelta) -> collections.Counter:
    """Step from `start` to `end` and, for every per-case kind, check that each case whose detected signals differ
    between two steps is among those its `changed_by_time` names for them. Returns how often each kind moved, so a test
    can show that its walk moved the kinds it is about."""
    moved = collections.Counter()
    detectors, changed_by_time = registry.detectors(), registry.changed_by_time()
    for code, names_cases in changed_by_time.items():
        since, before = start, _detected_by_key(detectors[code], start)
        while since < end:
            now = since + step
            after = _detected_by_key(detectors[code], now)
            changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
            differ = {(before.get(key) or after[key]).case_id for key in changed}
            named = set(names_cases(since, now))
            assert differ <= named, f"{code}: time changed the signals of cases {differ - named} between {since} and {now}"
            moved[code] += bool(differ)
            since, before = now, after
    return moved
