"""The WTH huisverbod: 10 days from the moment it was imposed, extendable to 28 days in total, with signals for the
extension decision and before the end."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from spil.core.errors import DomainError, IllegalTransition
from spil.deadlines import detectors, services
from spil.deadlines.models import ExtensionDecision, Signal
from spil.deadlines.tests.conftest import T0, open_case
from spil.logbook.models import Action, ProcessingRecord
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
IMPOSED = T0 - 2 * HOUR


@pytest.fixture
def wth_case(house, regisseur, at):
    with at(T0 - 3 * HOUR):
        return open_case(house, regisseur, "wth")


@pytest.fixture
def measure(wth_case, regisseur, at):
    with at(T0):
        return services.impose_measure(wth_case, actor=regisseur, imposed_at=IMPOSED)


def measure_signals(case, now) -> dict[str, Signal]:
    services.refresh(now)
    signals = Signal.objects.open().filter(case=case, kind__in=[detectors.MEASURE_DECISION.code, detectors.MEASURE_ENDS.code])
    assert len({s.kind for s in signals}) == len(signals), "at most one open signal of each kind"
    return {signal.kind: signal for signal in signals}


DECISION, ENDS = detectors.MEASURE_DECISION.code, detectors.MEASURE_ENDS.code


def test_the_term_runs_ten_days_from_imposing_and_may_be_extended_to_28(measure):
    assert measure.ends_at == IMPOSED + 10 * DAY
    assert measure.max_ends_at == IMPOSED + 28 * DAY
    assert measure.end == measure.ends_at
    assert measure.is_running(T0) and not measure.is_running(IMPOSED + 10 * DAY)


def test_signals_follow_the_huisverbod_across_its_extension(wth_case, measure, regisseur, at):
    # From the start: the extension decision is due at the end of the initial term; the end is still far.
    signals = measure_signals(wth_case, T0)
    assert set(signals) == {DECISION}
    assert signals[DECISION].due == IMPOSED + 10 * DAY
    assert set(signals[DECISION].recipients.all()) == {regisseur}
    assert signals[DECISION].url == reverse("deadlines:measure", args=[wth_case.number])

    # Three days before the end an alert; on the last day a second one (a new signal: told again).
    assert ENDS not in measure_signals(wth_case, IMPOSED + 7 * DAY - HOUR)
    three_days = measure_signals(wth_case, IMPOSED + 7 * DAY + HOUR)[ENDS]
    assert three_days.due == IMPOSED + 10 * DAY
    last_day = measure_signals(wth_case, IMPOSED + 9 * DAY + HOUR)[ENDS]
    assert last_day.pk != three_days.pk and "laatste dag" in last_day.title
    three_days.refresh_from_db()
    assert three_days.resolved_at == IMPOSED + 9 * DAY + HOUR

    # Extended on day 9 to day 20: the decision signal and the alert for day 10 are resolved.
    with at(IMPOSED + 9 * DAY + 2 * HOUR):
        services.decide_extension(
            wth_case, actor=regisseur, measure=measure, decision=ExtensionDecision.EXTENDED, extended_until=IMPOSED + 20 * DAY, note=""
        )
    measure.refresh_from_db()
    assert measure.end == IMPOSED + 20 * DAY
    assert measure_signals(wth_case, IMPOSED + 9 * DAY + 3 * HOUR) == {}
    last_day.refresh_from_db()
    assert last_day.resolved_at is not None

    # The new end is announced the same way, and after it nothing is left.
    extended_alert = measure_signals(wth_case, IMPOSED + 17 * DAY + HOUR)[ENDS]
    assert extended_alert.due == IMPOSED + 20 * DAY
    assert measure_signals(wth_case, IMPOSED + 20 * DAY + HOUR) == {}


def test_without_a_decision_the_decision_signal_stays_open_after_day_10(wth_case, measure):
    signals = measure_signals(wth_case, IMPOSED + 11 * DAY)
    assert set(signals) == {DECISION}  # overdue; the huisverbod itself has ended


def test_not_extending_resolves_the_decision_and_keeps_the_original_end(wth_case, measure, regisseur, at):
    with at(IMPOSED + 8 * DAY):
        services.decide_extension(
            wth_case, actor=regisseur, measure=measure, decision=ExtensionDecision.NOT_EXTENDED, extended_until=None, note="Rust in huis"
        )
    signals = measure_signals(wth_case, IMPOSED + 8 * DAY)
    assert set(signals) == {ENDS}
    assert signals[ENDS].due == IMPOSED + 10 * DAY
    assert Event.objects.filter(case=wth_case, text__contains="niet verlengd").exists()


@pytest.mark.parametrize(
    "decided_at, until, message",
    [
        (IMPOSED + 5 * DAY, IMPOSED + 28 * DAY + HOUR, "tot uiterlijk"),
        (IMPOSED + 5 * DAY, IMPOSED + 9 * DAY, "na het oorspronkelijke einde"),
        (IMPOSED + 10 * DAY + HOUR, IMPOSED + 20 * DAY, "afgelopen"),
        (IMPOSED + 5 * DAY, None, "tot wanneer"),
    ],
    ids=["beyond-28-days", "before-the-initial-end", "after-the-initial-end", "without-an-end"],
)
def test_an_extension_must_fit_the_law(wth_case, measure, regisseur, at, decided_at, until, message):
    with at(decided_at), pytest.raises(DomainError, match=message):
        services.decide_extension(
            wth_case, actor=regisseur, measure=measure, decision=ExtensionDecision.EXTENDED, extended_until=until, note=""
        )
    measure.refresh_from_db()
    assert not measure.decided


def test_an_extension_up_to_exactly_28_days_is_allowed_once(wth_case, measure, regisseur, at):
    with at(IMPOSED + 9 * DAY):
        services.decide_extension(
            wth_case, actor=regisseur, measure=measure, decision=ExtensionDecision.EXTENDED, extended_until=IMPOSED + 28 * DAY, note=""
        )
        with pytest.raises(IllegalTransition, match="al besloten"):
            services.decide_extension(
                wth_case, actor=regisseur, measure=measure, decision=ExtensionDecision.NOT_EXTENDED, extended_until=None, note=""
            )
    assert Event.objects.filter(case=wth_case, text__contains="verlengd tot").count() == 1


def test_imposing_is_recorded_in_the_timeline_and_the_processing_log(wth_case, measure):
    assert Event.objects.filter(case=wth_case, text__startswith="Huisverbod opgelegd").exists()
    assert ProcessingRecord.objects.filter(object_ref=wth_case.number, action=Action.UPDATE).exists()


def test_only_one_running_huisverbod_and_none_in_the_future(wth_case, measure, regisseur, at):
    with at(T0), pytest.raises(IllegalTransition, match="loopt al"):
        services.impose_measure(wth_case, actor=regisseur, imposed_at=T0)
    with at(IMPOSED + 11 * DAY), pytest.raises(DomainError, match="toekomst"):
        services.impose_measure(wth_case, actor=regisseur, imposed_at=IMPOSED + 12 * DAY)
    with at(IMPOSED + 11 * DAY):  # the first has ended: a new one may be recorded
        assert services.impose_measure(wth_case, actor=regisseur, imposed_at=IMPOSED + 11 * DAY)


def test_only_case_types_with_a_measure_and_only_with_the_role(house, regisseur, wth_case, at):
    with at(T0):
        pga_case = open_case(house, regisseur, "pga")
        with pytest.raises(DomainError, match="geen maatregel"):
            services.impose_measure(pga_case, actor=regisseur, imposed_at=T0)
        with pytest.raises(PermissionDenied):
            services.impose_measure(wth_case, actor=member(house, Role.BACK_OFFICE), imposed_at=T0)
    assert not wth_case.measures.exists()
    # The refused attempt is in the processing log with status error.
    assert ProcessingRecord.objects.filter(object_ref=wth_case.number, status="error").exists()


# --- The pages ----------------------------------------------------------------------------------------------


def test_the_director_records_a_huisverbod_and_the_decision_through_the_pages(client, house, regisseur):
    case = open_case(house, regisseur, "wth")  # now: the pages run on the real clock
    client.force_login(regisseur)
    url = reverse("deadlines:measure", args=[case.number])
    page = client.get(url)
    assert page.status_code == 200 and "Huisverbod vastleggen" in page.content.decode()
    assert ProcessingRecord.objects.filter(object_ref=case.number, action=Action.READ).exists()

    response = client.post(url, {"imposed_at": "2000-01-01T10:00"})
    assert response.status_code == 200 and "al afgelopen" in response.content.decode()  # shown on the form
    imposed = timezone.localtime() - HOUR
    response = client.post(url, {"imposed_at": f"{imposed:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    measure = case.measures.get()
    assert measure.imposed_at == imposed.replace(second=0, microsecond=0)

    decision_url = reverse("deadlines:measure-decision", args=[case.number])
    response = client.post(decision_url, {"decision": "verlengd", "extended_until": "", "note": ""})
    assert response.status_code == 200 and "tot wanneer" in response.content.decode()
    until = timezone.localtime(measure.imposed_at + 14 * DAY)
    response = client.post(decision_url, {"decision": "verlengd", "extended_until": f"{until:%Y-%m-%dT%H:%M}", "note": "Advies politie"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.decision == ExtensionDecision.EXTENDED and measure.end == until
    assert "Verlengd" in client.get(url).content.decode()
    assert "geen huisverbod waarover nog een besluit nodig is" in client.get(decision_url).content.decode()


def test_pages_are_absent_for_other_houses_and_other_case_types(client, house, other_house, regisseur, wth_case, at):
    outsider = member(other_house, Role.PROCESS_DIRECTOR, Role.BACK_OFFICE)
    client.force_login(outsider)
    assert client.get(reverse("deadlines:measure", args=[wth_case.number])).status_code == 404
    with at(T0):
        pga_case = open_case(house, regisseur, "pga")
    client.force_login(regisseur)
    assert client.get(reverse("deadlines:measure", args=[pga_case.number])).status_code == 404
    client.force_login(member(house, Role.BACK_OFFICE))  # sees the case, but does not direct it
    assert client.get(reverse("deadlines:measure", args=[wth_case.number])).status_code == 403


def test_days_count_on_the_local_clock_across_the_end_of_summer_time(house, regisseur, at):
    imposed = timezone.make_aware(datetime.datetime(2026, 10, 20, 14, 0))  # summer time ends on 25 October
    with at(imposed + HOUR):
        case = open_case(house, regisseur, "wth")
        measure = services.impose_measure(case, actor=regisseur, imposed_at=imposed)
    assert timezone.localtime(measure.ends_at).replace(tzinfo=None) == datetime.datetime(2026, 10, 30, 14, 0)
    assert timezone.localtime(measure.max_ends_at).replace(tzinfo=None) == datetime.datetime(2026, 11, 17, 14, 0)
