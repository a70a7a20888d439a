"""The plan's signals, as functions of `now`."""

import datetime

import pytest

from spil.cases import services as case_services
from spil.core import clock
from spil.deadlines import registry
from spil.plans import detectors, services
from spil.plans.tests.conftest import confirm_all
from spil.testing import signals

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def by_key(items):
    return {item.key: item for item in items}


def test_all_plan_detectors_are_registered():
    assert {"plans.action-due", "plans.confirmation-requested", "plans.offer-not-started", "plans.evaluation-due"} <= set(registry.kinds())


def test_a_requested_confirmation_goes_to_the_partners_users_and_later_to_the_regisseur(draft, regisseur, probation_officer, nurse):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    found = list(detectors.detect_requested_confirmations(clock.now()))
    reclassering = next(item for item in found if "Reclassering" in item.title)
    assert reclassering.recipients == {probation_officer.pk}
    assert draft.case.number in reclassering.title
    later = clock.now() + (detectors.CONFIRMATION_WAIT_DAYS + 1) * DAY
    reclassering = next(item for item in detectors.detect_requested_confirmations(later) if "Reclassering" in item.title)
    assert reclassering.recipients == {probation_officer.pk, regisseur.pk}
    confirm_all(draft, probation_officer, nurse)
    assert list(detectors.detect_requested_confirmations(clock.now())) == []


def test_a_declined_round_no_longer_asks_anybody(draft, regisseur, nurse):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    asked = services.open_confirmations(draft).get(partner__name="Mondriaan GGZ")
    services.answer_confirmation(asked, actor=nurse, confirmed=False, reason="Wachtlijst")
    assert list(detectors.detect_requested_confirmations(clock.now())) == []


def test_an_action_due_within_a_week_signals_the_partner_and_the_regisseur(running, regisseur, probation_officer):
    action = running.actions.get(partner__name__startswith="Reclassering")
    assert action.pk not in {int(i.key.split(":")[1]) for i in detectors.detect_due_actions(clock.now())}
    near = datetime.datetime.combine(action.due_on - 5 * DAY, datetime.time(12), tzinfo=clock.now().tzinfo)
    item = by_key(detectors.detect_due_actions(near))[f"plans.action-due:{action.pk}"]
    assert item.recipients == {probation_officer.pk, regisseur.pk} and "verloopt" in item.title
    overdue = near + 10 * DAY
    assert "verlopen" in by_key(detectors.detect_due_actions(overdue))[f"plans.action-due:{action.pk}"].title
    services.report_progress(action, actor=probation_officer, status="gereed", result="Klaar", expected_version=action.version)
    assert f"plans.action-due:{action.pk}" not in by_key(detectors.detect_due_actions(overdue))


def test_the_responsible_person_gets_the_action_signal_instead_of_the_whole_partner(running, regisseur, reclassering, housing, house):
    from spil.organisations.models import Role
    from spil.testing.factories import member

    person = member(house, Role.PROFESSIONAL, partner=reclassering)
    action = services.add_action(
        running,
        actor=regisseur,
        life_domain=housing,
        description="Huisbezoek",
        partner=reclassering,
        responsible=person,
        start_on=clock.today(),
        due_on=clock.today() + 2 * DAY,
    )
    assert by_key(detectors.detect_due_actions(clock.now()))[f"plans.action-due:{action.pk}"].recipients == {person.pk, regisseur.pk}


def test_an_offer_not_started_a_week_later_signals_the_directors(offered, regisseur):
    assert list(detectors.detect_offers_not_started(clock.now())) == []
    [item] = detectors.detect_offers_not_started(clock.now() + 6 * DAY)
    assert item.recipients == {regisseur.pk} and item.due.date() == offered.offered_on + 7 * DAY


def test_a_started_plan_is_no_longer_waiting(running):
    assert list(detectors.detect_offers_not_started(clock.now() + 20 * DAY)) == []


def test_evaluation_due_follows_the_case_types_rhythm(running, regisseur):
    interval = running.case.case_type.evaluation_interval_days
    assert list(detectors.detect_due_evaluations(clock.now())) == []
    [item] = detectors.detect_due_evaluations(clock.now() + (interval - 10) * DAY)
    assert item.due.date() == running.started_on + interval * DAY and item.recipients == {regisseur.pk}


def test_signals_of_a_closed_case_disappear(running, regisseur):
    case = running.case
    case_services.close_case(case, actor=regisseur, result="doel_bereikt", note="", expected_version=case.version)
    later = clock.now() + 365 * DAY
    assert list(detectors.detect_due_actions(later)) == [] and list(detectors.detect_due_evaluations(later)) == []


def test_who_acts_for_each_partner_is_read_in_two_queries_however_many_pairs(
    running, reclassering, ggz, probation_officer, nurse, django_assert_num_queries
):
    from spil.access import policy
    from spil.cases.models import Case

    case = Case.objects.select_related("case_type").get(pk=running.case_id)  # as the detectors read it
    with django_assert_num_queries(2):
        users = policy.partner_users([(case, reclassering.pk), (case, ggz.pk)])
    assert users == {(case.pk, reclassering.pk): {probation_officer.pk}, (case.pk, ggz.pk): {nurse.pk}}


# Steps of most of a day, at a time of day that moves on each step.
STEP = datetime.timedelta(hours=21, minutes=13)


def test_time_changes_action_and_evaluation_signals_only_of_the_cases_it_names(running):
    interval = running.case.case_type.evaluation_interval_days
    moved = signals.walk(clock.now(), clock.now() + (interval + 20) * DAY, STEP)
    assert moved["plans.action-due"] and moved["plans.evaluation-due"], moved


def test_time_changes_an_offer_signal_only_of_the_cases_it_names(offered):
    assert signals.walk(clock.now(), clock.now() + 20 * DAY, STEP)["plans.offer-not-started"]


def test_time_changes_a_confirmation_signal_only_of_the_cases_it_names(draft, regisseur):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    assert signals.walk(clock.now(), clock.now() + 10 * DAY, STEP)["plans.confirmation-requested"]
