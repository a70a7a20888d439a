import datetime

import pytest
from django.core.exceptions import PermissionDenied

from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from spil.intake import services
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member, person_data, register_report


def test_registering_a_melding_numbers_it_and_acknowledges_it(intake_worker, house):
    report = register_report(intake_worker, house, persons=[person_data(), person_data(first_names="Piet")])
    assert report.number == f"M-{report.received_on.year}-000001"
    assert report.status == ReportStatus.RECEIVED
    assert list(report.persons.values_list("first_names", flat=True)) == ["Jan", "Piet"]
    assert "Ontvangst bevestigd" in report.events.get().text


def test_numbers_count_on_within_a_year_and_restart_in_a_new_one(intake_worker, house):
    numbers = [register_report(intake_worker, house).number for _ in range(2)]
    last_year = register_report(intake_worker, house, received_on=datetime.date(2025, 12, 31)).number
    assert numbers[1][-6:] == "000002"
    assert last_year == "M-2025-000001"


def test_a_melding_needs_a_person(intake_worker, house):
    with pytest.raises(DomainError):
        register_report(intake_worker, house, persons=[])
    assert not Report.objects.exists()


def test_a_melding_cannot_be_received_in_the_future(intake_worker, house):
    with pytest.raises(DomainError):
        register_report(intake_worker, house, received_on=clock.today() + datetime.timedelta(days=1))


def test_only_intake_and_back_office_register(house):
    director = member(house, Role.PROCESS_DIRECTOR)
    with pytest.raises(PermissionDenied):
        register_report(director, house)


def test_bsn_is_stored_normalised_with_its_keyed_hash(intake_worker, house):
    report = register_report(intake_worker, house, persons=[person_data(bsn="1112.22.333")])
    person = report.persons.get()
    assert person.bsn == "111222333" and len(person.bsn_hash) == 64


@pytest.mark.parametrize(
    "path, allowed",
    [
        ([ReportStatus.ENRICHING, ReportStatus.READY], True),
        ([ReportStatus.READY], True),
        ([ReportStatus.READY, ReportStatus.ENRICHING, ReportStatus.READY], True),
        ([ReportStatus.TRIAGED], False),
        ([ReportStatus.ENRICHING, ReportStatus.RECEIVED], False),
        ([ReportStatus.READY, ReportStatus.RECEIVED], False),
        ([ReportStatus.ENRICHING, ReportStatus.ENRICHING], False),
    ],
)
def test_status_transitions(intake_worker, house, path, allowed):
    report = register_report(intake_worker, house)
    *steps, last = path
    for status in steps:
        services.change_status(report, actor=intake_worker, to=status)
    if allowed:
        services.change_status(report, actor=intake_worker, to=last)
        assert Report.objects.get(pk=report.pk).status == last
    else:
        with pytest.raises(IllegalTransition):
            services.change_status(report, actor=intake_worker, to=last)


def test_ready_records_when_and_back_to_enrichment_clears_it(intake_worker, house):
    report = register_report(intake_worker, house)
    services.change_status(report, actor=intake_worker, to=ReportStatus.READY)
    assert report.ready_at is not None
    services.change_status(report, actor=intake_worker, to=ReportStatus.ENRICHING)
    assert Report.objects.get(pk=report.pk).ready_at is None


def test_enrichment_moves_a_received_melding_into_enrichment_and_logs_question_and_answer(intake_worker, house):
    report = register_report(intake_worker, house)
    police = PartnerFactory(name="Politie Limburg")
    enrichment = services.request_enrichment(
        report, actor=intake_worker, partner=police, question="Incidenten afgelopen jaar?", requested_on=clock.today()
    )
    assert report.status == ReportStatus.ENRICHING
    services.record_enrichment_answer(enrichment, actor=intake_worker, answered_on=clock.today(), summary="Vier incidenten.")
    texts = list(report.events.values_list("text", flat=True))
    assert any("opgevraagd bij Politie Limburg" in t for t in texts)
    assert any("Vier incidenten." in t for t in texts)
    with pytest.raises(IllegalTransition):
        services.record_enrichment_answer(enrichment, actor=intake_worker, answered_on=clock.today(), summary="Nogmaals")


def test_an_answer_cannot_precede_its_question(intake_worker, house):
    report = register_report(intake_worker, house)
    enrichment = services.request_enrichment(
        report, actor=intake_worker, partner=PartnerFactory(), question="?", requested_on=clock.today()
    )
    with pytest.raises(DomainError):
        services.record_enrichment_answer(
            enrichment, actor=intake_worker, answered_on=clock.today() - datetime.timedelta(days=1), summary="x"
        )


def test_second_editor_with_stale_version_is_told_and_nothing_is_overwritten(intake_worker, house):
    report = register_report(intake_worker, house)
    services.update_report(report, actor=intake_worker, expected_version=1, fields={"reporter_name": "B. Eerste"})
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(ConcurrentEdit) as error:
        services.update_report(stale, actor=intake_worker, expected_version=1, fields={"reporter_name": "C. Tweede"})
    assert "gewijzigd door een ander" in error.value.message
    assert Report.objects.get(pk=report.pk).reporter_name == "B. Eerste"


def test_stale_status_change_is_refused(intake_worker, house):
    report = register_report(intake_worker, house)
    services.change_status(report, actor=intake_worker, to=ReportStatus.ENRICHING, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        services.change_status(Report.objects.get(pk=report.pk), actor=intake_worker, to=ReportStatus.READY, expected_version=1)
