"""The Top-X list must be renewed at least twice a year: older than six months gives a signal."""

import datetime

import pytest
from django.utils import timezone

from spil.core import clock
from spil.deadlines import registry
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.topx import services
from spil.topx.detectors import KIND, detect_outdated_lists

pytestmark = pytest.mark.django_db

MARCH_3 = timezone.make_aware(datetime.datetime(2026, 3, 3, 14, 0))


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 14, 0))


def test_the_detector_is_registered():
    assert registry.kinds()[KIND.code].lead_days == 14
    assert registry.detectors()[KIND.code] is detect_outdated_lists


def test_six_calendar_months_later():
    assert services.months_later(at(2026, 3, 3), 6) == at(2026, 9, 3)
    assert services.months_later(at(2025, 8, 31), 6) == at(2026, 2, 28)
    assert services.months_later(at(2026, 11, 30), -6) == at(2026, 5, 30)


def test_a_list_without_a_decision_is_due_at_once(bureau, house, heerlen_list):
    [signal] = detect_outdated_lists(clock.now())
    assert signal.due == heerlen_list.created_at and "nog geen vastgestelde rangorde" in signal.title


def test_signal_from_two_weeks_before_six_months_after_the_latest_decision(
    bureau, house, heerlen_list, open_pga, meeting_of, regisseur, intake_worker, other_house
):
    case = open_pga("Aa")
    with clock.travel_to(MARCH_3):
        ranking = services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(case, "Geweld")])
    member(other_house, Role.BACK_OFFICE)

    assert detect_outdated_lists(at(2026, 8, 19)) == []  # more than 14 days before 3 September
    [signal] = detect_outdated_lists(at(2026, 8, 21))
    assert signal.due == at(2026, 9, 3)
    assert signal.key == f"topx.list-outdated:{heerlen_list.pk}:{ranking.pk}"
    assert signal.house_id == house.pk and signal.case_id is None
    assert signal.recipients == {bureau.pk, regisseur.pk}  # not the intake, not another house
    assert intake_worker.pk not in signal.recipients
    assert "Aa" not in signal.title and "03-03-2026" in signal.title
    [overdue] = detect_outdated_lists(at(2026, 10, 1))
    assert overdue.key == signal.key


def test_a_new_decision_resolves_the_signal(bureau, house, heerlen_list, open_pga, meeting_of):
    case = open_pga("Aa")
    with clock.travel_to(MARCH_3):
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(case, "Geweld")])
    with clock.travel_to(at(2026, 9, 20)):
        assert len(detect_outdated_lists(clock.now())) == 1
        services.rerank(heerlen_list, actor=bureau, meeting=meeting_of(house), entries=[(case, "")])
        assert detect_outdated_lists(clock.now()) == []
