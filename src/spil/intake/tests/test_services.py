import pytest

from spil.core.errors import ConcurrentEdit, IllegalTransition
from spil.intake import services
from spil.intake.models import ReportStatus
from spil.testing.factories import person_data, register_report


def test_registering_a_melding_numbers_it_and_acknowledges_it(intake_worker, house):
    report = register_report(intake_worker, house, persons=[person_data(), person_data(first_names="Piet")])
    assert report.number.startswith(f"M-{report.received_on.year}-")
    assert report.status == ReportStatus.RECEIVED
    assert report.persons.count() == 2
    assert "Ontvangst bevestigd" in report.events.get().text


def test_second_editor_with_stale_version_is_told(intake_worker, house):
    report = register_report(intake_worker, house)
    services.update_report(report, actor=intake_worker, expected_version=1, fields={"reporter_name": "B"})
    with pytest.raises(ConcurrentEdit):
        services.update_report(report, actor=intake_worker, expected_version=1, fields={"reporter_name": "C"})


def test_gewogen_cannot_be_set_by_hand(intake_worker, house):
    report = register_report(intake_worker, house)
    with pytest.raises(IllegalTransition):
        services.change_status(report, actor=intake_worker, to=ReportStatus.TRIAGED)
