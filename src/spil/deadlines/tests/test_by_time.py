"""The periodic refresh brings in line only what time changed (`services.refresh_by_time`): each per-case kind names
the cases whose signals time changed, and walking the demo through a month the periodic refresh leaves the signals
as a refresh of everything would at every step."""

import collections
import datetime

import pytest

from spil.core import clock
from spil.deadlines import registry, services
from spil.deadlines.detectors import STAGNATION
from spil.deadlines.models import RefreshMark, Signal, SignalRecipient
from spil.deadlines.tests.conftest import T0, open_case
from spil.demo import generator
from spil.testing import signals

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# Steps shorter than FULL_REFRESH_AFTER, at a time of day that moves on each step, so that they land before and after
# the local midnights and the deadlines' moments.
STEP = 9 * HOUR + datetime.timedelta(minutes=47)


def test_time_changes_the_case_signals_only_of_the_cases_it_names(house, regisseur, at):
    with at(T0):
        open_case(house, regisseur, "pga")  # stagnates, and its first phase is due after 42 days
        wth = open_case(house, None, "wth")  # no procesregisseur: the bedrijfsbureau is told
    with at(T0 + 3 * DAY):
        services.impose_measure(wth, actor=regisseur, imposed_at=T0 + 3 * DAY - HOUR)
    moved = signals.walk(T0, T0 + 60 * DAY, STEP)
    assert moved["deadlines.stagnation"] and moved["deadlines.phase-due"] and moved["deadlines.measure-ends"], moved


def open_signals() -> dict[str, tuple]:
    recipients = collections.defaultdict(set)
    for signal_id, user_id in SignalRecipient.objects.filter(signal__resolved_at=None).values_list("signal_id", "user_id"):
        recipients[signal_id].add(user_id)
    return {
        key: (signal_id, *fields, frozenset(recipients[signal_id]))
        for signal_id, key, *fields in Signal.objects.open().values_list("pk", "key", *services.DETECTED_FIELDS)
    }


def test_walking_the_demo_through_a_month_the_periodic_refresh_keeps_up_with_a_refresh_of_everything():
    moment = T0  # the demo at a fixed moment, so that what moves in its month does not depend on the day of the run
    with clock.travel_to(moment):
        generator.generate("test", log=lambda message: None, now=moment)
    services.refresh(moment)
    moved = collections.Counter()
    for _ in range(int(30 * DAY / STEP)):
        moment += STEP
        before = open_signals()
        services.refresh_by_time(moment)
        by_time = open_signals()
        everything = services.refresh(moment)
        assert (everything.opened, everything.updated, everything.resolved) == (0, 0, 0), moment
        assert open_signals() == by_time, moment
        moved.update(key.split(":")[0] for key in before.keys() | by_time.keys() if before.get(key) != by_time.get(key))
    # A walk in which time moved nothing would prove nothing: these kinds move in the demo's month.
    assert {"deadlines.stagnation", "deadlines.measure-ends", "deadlines.phase-due", "plans.action-due"} <= set(moved), moved


def test_the_periodic_refresh_asks_what_time_changed_since_the_last_refresh_or_refreshes_everything(house, regisseur, at, monkeypatch):
    asked = []

    def stagnation_by_time(since, now):
        asked.append((since, now))
        return []

    monkeypatch.setitem(registry._changed_by_time, STAGNATION.code, stagnation_by_time)
    with at(T0):
        case = open_case(house, regisseur, "pga")
    services.refresh_by_time(T0)  # never refreshed: everything
    assert asked == [] and RefreshMark.objects.get().refreshed_at == T0
    services.refresh_by_time(T0 + 40 * DAY)  # more than FULL_REFRESH_AFTER later: everything
    assert asked == [] and Signal.objects.open().filter(case=case, kind=STAGNATION.code).exists()
    services.refresh_by_time(T0 + 40 * DAY + HOUR)
    assert asked == [(T0 + 40 * DAY, T0 + 40 * DAY + HOUR)]
    assert RefreshMark.objects.get().refreshed_at == T0 + 40 * DAY + HOUR


def test_a_kind_that_cannot_say_what_time_changed_makes_the_periodic_refresh_refresh_everything(house, regisseur, at, monkeypatch, caplog):
    with at(T0):
        case = open_case(house, regisseur, "pga")
    services.refresh(T0 + 40 * DAY)

    def broken(since, now):
        raise RuntimeError("kapot")

    monkeypatch.setitem(registry._changed_by_time, STAGNATION.code, lambda since, now: [])
    monkeypatch.setitem(registry._changed_by_time, "deadlines.phase-due", broken)
    Signal.objects.open().filter(case=case).update(title="verouderd")
    services.refresh_by_time(T0 + 40 * DAY + HOUR)
    assert not Signal.objects.open().filter(title="verouderd").exists()
    assert "deadlines.phase-due cannot say what time changed" in caplog.text


def test_a_kind_per_case_says_what_time_changes_and_another_kind_does_not():
    def detect(now, cases=None):
        return []

    with pytest.raises(ValueError, match="changed_by_time"):
        registry.register(registry.Kind("test.per-case", "Per casus", per_case=True), detect)
    with pytest.raises(ValueError, match="changed_by_time"):
        registry.register(registry.Kind("test.house-wide", "Voor het hele huis"), detect, lambda since, now: [])
    assert not {"test.per-case", "test.house-wide"} & set(registry.kinds())
