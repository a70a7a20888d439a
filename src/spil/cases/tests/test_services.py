import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from spil.cases import services
from spil.cases.models import Case, CaseStatus, ClosingResult
from spil.casetypes.models import CaseType
from spil.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from spil.organisations.models import Role
from spil.testing.factories import member, register_report


@pytest.fixture
def case(intake_worker, regisseur, house):
    report = register_report(intake_worker, house)
    return services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=regisseur,
    )


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_new_case_is_numbered_and_starts_in_the_first_phase(case):
    assert case.number.startswith("C-") and case.number.endswith("-000001")
    assert case.phase.order == 1 and case.status == CaseStatus.OPEN
    assert case.phase_due_on > timezone.localdate(case.opened_at)


def test_op_and_afschalen_keep_the_history_with_reasons(case, regisseur):
    services.change_ave(case, actor=regisseur, to_level=4, reason="Dreiging", expected_version=case.version)
    services.change_ave(case, actor=regisseur, to_level=2, reason="Stabiel", expected_version=case.version)
    history = [(c.from_level, c.to_level, c.direction, c.reason) for c in case.ave_changes.all()]
    assert history == [(None, 3, "vastgesteld", "Weegtafel"), (3, 4, "opgeschaald", "Dreiging"), (4, 2, "afgeschaald", "Stabiel")]
    assert fresh(case).ave_level == 2


def test_ave_change_needs_a_reason_and_a_different_level(case, regisseur):
    with pytest.raises(DomainError):
        services.change_ave(case, actor=regisseur, to_level=4, reason=" ", expected_version=case.version)
    with pytest.raises(IllegalTransition):
        services.change_ave(case, actor=regisseur, to_level=3, reason="Gelijk", expected_version=case.version)


def test_phases_come_from_the_case_type(case, regisseur):
    second = case.case_type.phases.get(order=2)
    services.change_phase(case, actor=regisseur, phase=second, note="Plan klaar", expected_version=case.version)
    assert fresh(case).phase == second
    with pytest.raises(IllegalTransition):
        services.change_phase(case, actor=regisseur, phase=second, note="", expected_version=case.version)
    foreign = CaseType.objects.get(code="consult-advies").phases.first()
    with pytest.raises(IllegalTransition):
        services.change_phase(case, actor=regisseur, phase=foreign, note="", expected_version=case.version)


def test_directors_must_hold_the_role_in_the_house(case, regisseur, house, other_house):
    partner_worker = member(house, Role.CASE_DIRECTOR)
    services.assign_directors(
        case, actor=regisseur, process_director=regisseur, case_director=partner_worker, expected_version=case.version
    )
    assert fresh(case).case_director == partner_worker
    outsider = member(other_house, Role.PROCESS_DIRECTOR)
    with pytest.raises(DomainError):
        services.assign_directors(case, actor=regisseur, process_director=outsider, case_director=None, expected_version=case.version)


def test_close_and_reopen(case, regisseur):
    services.close_case(case, actor=regisseur, result=ClosingResult.SCALED_DOWN_LOCAL, note="Wijkteam", expected_version=case.version)
    closed = fresh(case)
    assert closed.status == CaseStatus.CLOSED and closed.closed_at and closed.closing_result == ClosingResult.SCALED_DOWN_LOCAL
    services.reopen_case(closed, actor=regisseur, reason="Nieuwe zorgen", expected_version=closed.version)
    reopened = fresh(case)
    assert reopened.is_open and not reopened.closing_result
    assert "was gesloten met 'Afgeschaald naar lokaal'" in reopened.events.last().text


@pytest.mark.parametrize(
    "action",
    [
        lambda c, u: services.change_ave(c, actor=u, to_level=4, reason="x", expected_version=c.version),
        lambda c, u: services.change_phase(c, actor=u, phase=c.case_type.phases.get(order=2), note="", expected_version=c.version),
        lambda c, u: services.assign_directors(c, actor=u, process_director=None, case_director=None, expected_version=c.version),
        lambda c, u: services.close_case(c, actor=u, result=ClosingResult.GOAL_REACHED, note="", expected_version=c.version),
    ],
    ids=["ave", "phase", "directors", "close-again"],
)
def test_a_closed_case_cannot_change(case, regisseur, action):
    services.close_case(case, actor=regisseur, result=ClosingResult.GOAL_REACHED, note="", expected_version=case.version)
    with pytest.raises(IllegalTransition):
        action(case, regisseur)


def test_an_open_case_cannot_be_reopened(case, regisseur):
    with pytest.raises(IllegalTransition):
        services.reopen_case(case, actor=regisseur, reason="x", expected_version=case.version)


def test_other_needs_an_explanation(case, regisseur):
    with pytest.raises(DomainError):
        services.close_case(case, actor=regisseur, result=ClosingResult.OTHER, note="", expected_version=case.version)


def test_concurrent_edits_are_detected(case, regisseur):
    first, second = fresh(case), fresh(case)
    services.change_ave(first, actor=regisseur, to_level=4, reason="Eerste", expected_version=first.version)
    with pytest.raises(ConcurrentEdit):
        services.change_ave(second, actor=regisseur, to_level=2, reason="Tweede", expected_version=second.version)
    assert fresh(case).ave_level == 4
    assert case.ave_changes.count() == 2


def test_only_a_process_director_closes(case, house):
    back_office = member(house, Role.BACK_OFFICE)
    with pytest.raises(PermissionDenied):
        services.close_case(case, actor=back_office, result=ClosingResult.GOAL_REACHED, note="", expected_version=case.version)
