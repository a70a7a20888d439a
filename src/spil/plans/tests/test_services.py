"""The plan van aanpak as a specification: versions, the delivery-confirmation gate, the client's decision, start,
progress and evaluation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from spil.cases.models import Case
from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from spil.logbook.models import ProcessingRecord
from spil.organisations.models import Role
from spil.plans import services
from spil.plans.models import ActionStatus, ConfirmationStatus, Plan, PlanStatus, PlanStatusChange, Progress
from spil.plans.tests.conftest import day
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def statuses(plan):
    return [change.to_status for change in plan.status_changes.all()]


# --- versions ------------------------------------------------------------------------------------------------


def test_a_case_starts_without_a_plan_and_gets_version_1_as_concept(case, regisseur):
    assert services.current_plan(case) is None
    plan = services.start_plan(case, actor=regisseur)
    assert (plan.version_number, plan.status, plan.based_on) == (1, PlanStatus.DRAFT, None)
    assert services.current_plan(case) == plan
    assert "Plan van aanpak versie 1 aangemaakt" in case.events.last().text


def test_only_one_unfinished_version_per_case(draft, regisseur):
    with pytest.raises(IllegalTransition, match="maar één lopende versie"):
        services.start_plan(draft.case, actor=regisseur)
    with pytest.raises(DatabaseError), transaction.atomic():
        Plan.objects.create(case=draft.case, version_number=2, created_by=regisseur)


def test_a_refused_plan_gives_a_new_version_that_starts_from_it(offered, regisseur):
    services.refuse(
        offered, actor=regisseur, decided_on=clock.today(), follow_up="drang", note="Via de rechter", expected_version=offered.version
    )
    second = services.start_plan(offered.case, actor=regisseur)
    assert (second.version_number, second.based_on, second.status) == (2, offered, PlanStatus.DRAFT)
    assert [g.goal for g in second.goals.all()] == ["Vaste woonplek"]
    assert {a.carried_from for a in second.actions.all()} == set(offered.actions.all())
    assert services.current_plan(offered.case) == second


def test_status_history_is_append_only(draft, regisseur):
    change = draft.status_changes.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanStatusChange.objects.filter(pk=change.pk).update(note="verborgen")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_planstatuschange WHERE id = %s", [change.pk])


def test_content_changes_only_in_concept_and_detects_concurrent_edits(draft, regisseur):
    services.update_plan(draft, actor=regisseur, instrument="RISc", diagnosis="Hoog recidiverisico", expected_version=draft.version)
    stale = draft.version - 1
    with pytest.raises(ConcurrentEdit):
        services.update_plan(draft, actor=regisseur, instrument="ZRM", diagnosis="", expected_version=stale)
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    with pytest.raises(IllegalTransition, match="alleen een concept"):
        services.update_plan(draft, actor=regisseur, instrument="ZRM", diagnosis="", expected_version=draft.version)
    assert Plan.objects.get(pk=draft.pk).instrument == "RISc"


def test_goals_and_actions_use_the_life_domains_of_the_case_type(draft, regisseur, reclassering):
    from spil.casetypes.models import LifeDomain

    foreign = LifeDomain.objects.create(code="buiten", name="Niet bij PGA", order=99)
    with pytest.raises(DomainError, match="hoort niet bij"):
        services.set_goal(draft, actor=regisseur, life_domain=foreign, situation="", goal="")
    with pytest.raises(DomainError, match="hoort niet bij"):
        services.add_action(
            draft,
            actor=regisseur,
            life_domain=foreign,
            description="x",
            partner=reclassering,
            responsible=None,
            start_on=day(0),
            due_on=day(1),
        )


def test_an_action_cannot_end_before_it_starts(draft, regisseur, reclassering, housing):
    with pytest.raises(DomainError, match="vóór de startdatum"):
        services.add_action(
            draft,
            actor=regisseur,
            life_domain=housing,
            description="x",
            partner=reclassering,
            responsible=None,
            start_on=day(5),
            due_on=day(1),
        )


def test_only_a_director_with_the_full_dossier_edits_the_plan(draft, house, summary_member, housing, reclassering):
    outsider = member(house, Role.PROCESS_DIRECTOR)  # the role, but not on the team
    for user in [outsider, summary_member]:
        with pytest.raises(PermissionDenied):
            services.set_goal(draft, actor=user, life_domain=housing, situation="", goal="Anders")


# --- delivery confirmation -----------------------------------------------------------------------------------


def test_sending_for_confirmation_asks_every_partner_with_an_action(draft, regisseur, reclassering, ggz):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    asked = services.open_confirmations(draft)
    assert {(c.partner, c.status) for c in asked} == {(reclassering, ConfirmationStatus.REQUESTED), (ggz, ConfirmationStatus.REQUESTED)}
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.CONFIRMING


def test_a_plan_without_actions_cannot_be_sent(case, regisseur):
    plan = services.start_plan(case, actor=regisseur)
    with pytest.raises(DomainError, match="nog geen acties"):
        services.request_confirmations(plan, actor=regisseur, expected_version=plan.version)


def test_the_offer_is_refused_while_a_partner_has_not_confirmed(draft, regisseur, probation_officer):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    reclassering_request = next(c for c in services.open_confirmations(draft) if c.partner.name.startswith("Reclassering"))
    services.answer_confirmation(reclassering_request, actor=probation_officer, confirmed=True, reason="")
    draft.refresh_from_db()
    assert services.offer_blockers(draft) == ["Nog geen bevestiging van: Mondriaan GGZ."]
    with pytest.raises(IllegalTransition, match="Mondriaan GGZ"):
        services.offer(draft, actor=regisseur, offered_on=clock.today(), expected_version=draft.version)
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.CONFIRMING


def test_a_concept_cannot_be_offered_without_asking_the_partners(draft, regisseur):
    with pytest.raises(IllegalTransition, match="Vraag eerst"):
        services.offer(draft, actor=regisseur, offered_on=clock.today(), expected_version=draft.version)


def test_only_the_partners_users_confirm(draft, regisseur, nurse, probation_officer):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    reclassering_request = next(c for c in services.open_confirmations(draft) if c.partner.name.startswith("Reclassering"))
    for user in [nurse, regisseur]:
        with pytest.raises(PermissionDenied):
            services.answer_confirmation(reclassering_request, actor=user, confirmed=True, reason="")
    services.answer_confirmation(reclassering_request, actor=probation_officer, confirmed=True, reason="")
    with pytest.raises(IllegalTransition, match="al geantwoord"):
        services.answer_confirmation(reclassering_request, actor=probation_officer, confirmed=True, reason="")


def test_a_partner_on_the_team_confirms_for_its_organisation(draft, regisseur, summary_member):
    assert services.acts_for(summary_member, draft.case, draft.actions.get(partner__name__startswith="Reclassering").partner)


def test_partner_users_of_a_restricted_case_are_only_team_members(house, intake_worker, regisseur, reclassering, probation_officer):
    from spil.cases import services as case_services
    from spil.casetypes.models import CaseType
    from spil.testing.factories import register_report

    restricted = CaseType.objects.get(code="pga-radicalisering")
    report = register_report(intake_worker, house, requested_case_type=restricted)
    case = case_services.open_case(
        actor=regisseur,
        house=house,
        case_type=restricted,
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
        process_director=regisseur,
    )
    assert not services.acts_for(probation_officer, case, reclassering)


def test_a_declined_confirmation_sends_the_plan_back_to_concept_with_the_reason(draft, regisseur, nurse, probation_officer):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    ggz_request = next(c for c in services.open_confirmations(draft) if c.partner.name == "Mondriaan GGZ")
    with pytest.raises(DomainError, match="Licht toe"):
        services.answer_confirmation(ggz_request, actor=nurse, confirmed=False, reason=" ")
    services.answer_confirmation(ggz_request, actor=nurse, confirmed=False, reason="Wachtlijst van 12 weken")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    assert "Wachtlijst van 12 weken" in draft.status_changes.last().note
    # The other partner can no longer answer the old round; a new round asks everyone again.
    old = next(c for c in draft.confirmations.all() if c.partner.name.startswith("Reclassering"))
    with pytest.raises(IllegalTransition, match="niet meer open"):
        services.answer_confirmation(old, actor=probation_officer, confirmed=True, reason="")
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    assert draft.confirmations.count() == 4 and services.open_confirmations(draft).count() == 2


def test_all_confirmed_allows_the_offer(offered):
    assert offered.status == PlanStatus.OFFERED and offered.offered_on == clock.today()
    assert statuses(offered) == [PlanStatus.DRAFT, PlanStatus.CONFIRMING, PlanStatus.OFFERED]


# --- the client's decision and the start ---------------------------------------------------------------------


def test_acceptance_with_a_signed_document_stores_it(offered, regisseur, upload_root):
    signed = SimpleUploadedFile("getekend plan.pdf", b"%PDF-1.7\n...", content_type="text/plain")
    services.accept(
        offered, actor=regisseur, decided_on=clock.today(), agreement="document", document=signed, expected_version=offered.version
    )
    offered.refresh_from_db()
    document = offered.documents.get()
    assert offered.status == PlanStatus.ACCEPTED
    assert (document.original_name, document.content_type) == ("getekend plan.pdf", "application/pdf")
    stored = upload_root / document.file_key
    assert stored.read_bytes().startswith(b"%PDF") and "getekend" not in str(stored)


def test_acceptance_needs_the_document_or_a_note_of_the_verbal_agreement(offered, regisseur):
    with pytest.raises(DomainError, match="ondertekende plan"):
        services.accept(offered, actor=regisseur, decided_on=clock.today(), agreement="document", expected_version=offered.version)
    with pytest.raises(DomainError, match="mondeling"):
        services.accept(
            offered, actor=regisseur, decided_on=clock.today(), agreement="mondeling", note="", expected_version=offered.version
        )
    not_a_pdf = SimpleUploadedFile("plan.pdf", b"<html>hallo</html>")
    with pytest.raises(DomainError, match="niet geaccepteerd"):
        services.accept(
            offered, actor=regisseur, decided_on=clock.today(), agreement="document", document=not_a_pdf, expected_version=offered.version
        )
    assert Plan.objects.get(pk=offered.pk).status == PlanStatus.OFFERED


def test_refusal_records_the_follow_up_route(offered, regisseur):
    with pytest.raises(DomainError, match="vervolg"):
        services.refuse(offered, actor=regisseur, decided_on=clock.today(), follow_up="dwang", note="", expected_version=offered.version)
    services.refuse(
        offered, actor=regisseur, decided_on=clock.today(), follow_up="dwang", note="Voorwaarden via OM", expected_version=offered.version
    )
    offered.refresh_from_db()
    assert (offered.status, offered.follow_up) == (PlanStatus.REFUSED, "dwang")
    assert "vervolg: dwang" in offered.case.events.last().text


def test_a_decision_cannot_precede_the_offer(offered, regisseur):
    with pytest.raises(DomainError, match="vóór de datum van aanbieden"):
        services.accept(offered, actor=regisseur, decided_on=day(-1), agreement="mondeling", note="ok", expected_version=offered.version)


def test_starting_more_than_a_week_after_the_offer_is_marked_late(offered, regisseur):
    services.accept(offered, actor=regisseur, decided_on=clock.today(), agreement="mondeling", note="ok", expected_version=offered.version)
    with clock.travel_to(clock.now() + datetime.timedelta(days=9)):
        services.start(offered, actor=regisseur, started_on=clock.today(), expected_version=offered.version)
    offered.refresh_from_db()
    assert offered.status == PlanStatus.RUNNING and offered.started_late
    assert "Later gestart dan een week" in offered.case.events.last().text


def test_starting_within_the_week_is_not_late(running):
    assert running.status == PlanStatus.RUNNING and not running.started_late


# --- progress on actions -------------------------------------------------------------------------------------


def test_partners_report_progress_on_their_own_actions_only(running, probation_officer, nurse):
    action = running.actions.get(partner__name__startswith="Reclassering")
    with pytest.raises(PermissionDenied):
        services.report_progress(action, actor=nurse, status="gereed", result="", expected_version=action.version)
    services.report_progress(action, actor=probation_officer, status="gereed", result="Woning gevonden", expected_version=action.version)
    action.refresh_from_db()
    assert (action.status, action.result) == (ActionStatus.DONE, "Woning gevonden")
    assert action.finished_at is not None and action.updates.get().actor == probation_officer


def test_progress_is_reported_once_the_plan_is_accepted(draft, regisseur):
    action = draft.actions.first()
    with pytest.raises(IllegalTransition, match="zodra het plan geaccepteerd"):
        services.report_progress(action, actor=regisseur, status="loopt", result="", expected_version=action.version)


def test_an_impossible_action_needs_an_explanation(running, regisseur):
    action = running.actions.first()
    with pytest.raises(DomainError, match="Licht toe"):
        services.report_progress(action, actor=regisseur, status="niet_mogelijk", result="", expected_version=action.version)


def test_a_meeting_adds_an_action_to_a_running_plan_with_its_origin(running, regisseur, reclassering, housing):
    action = services.add_action(
        running,
        actor=regisseur,
        life_domain=housing,
        description="Huisbezoek",
        partner=reclassering,
        responsible=None,
        start_on=day(0),
        due_on=day(14),
        origin="Casusoverleg O-2026-000012",
    )
    assert action.origin == "Casusoverleg O-2026-000012"
    assert "Casusoverleg O-2026-000012" in running.case.events.last().text


def test_no_actions_are_added_while_the_plan_is_with_the_partners_or_the_client(offered, regisseur, reclassering, housing):
    with pytest.raises(IllegalTransition):
        services.add_action(
            offered,
            actor=regisseur,
            life_domain=housing,
            description="x",
            partner=reclassering,
            responsible=None,
            start_on=day(0),
            due_on=day(1),
        )


# --- evaluation ----------------------------------------------------------------------------------------------


def progress_for(plan, value=Progress.BETTER):
    domains = {goal.life_domain for goal in plan.goals.all()} | {action.life_domain for action in plan.actions.all()}
    return {domain: (value, "") for domain in domains}


def test_an_evaluation_records_progress_per_life_domain(running, regisseur, housing):
    with pytest.raises(DomainError, match="elk leefgebied"):
        services.evaluate(
            running,
            actor=regisseur,
            evaluated_on=clock.today(),
            summary="Goed",
            progress={housing: ("verbeterd", "")},
            expected_version=running.version,
        )
    evaluation = services.evaluate(
        running,
        actor=regisseur,
        evaluated_on=clock.today(),
        summary="Goed op weg",
        progress=progress_for(running),
        expected_version=running.version,
    )
    assert evaluation.progress.count() == 2 and evaluation.new_version is None
    assert Plan.objects.get(pk=running.pk).status == PlanStatus.RUNNING


def test_an_evaluation_may_change_the_ave_level_with_a_reason(running, regisseur):
    with pytest.raises(DomainError, match="reden"):
        services.evaluate(
            running,
            actor=regisseur,
            evaluated_on=clock.today(),
            summary="Stabiel",
            progress=progress_for(running),
            ave_level=2,
            ave_reason="",
            expected_version=running.version,
        )
    evaluation = services.evaluate(
        running,
        actor=regisseur,
        evaluated_on=clock.today(),
        summary="Stabiel",
        progress=progress_for(running),
        ave_level=2,
        ave_reason="Risico's afgenomen",
        expected_version=running.version,
    )
    case = Case.objects.get(pk=running.case_id)
    assert (evaluation.ave_from, evaluation.ave_to, case.ave_level) == (3, 2, 2)
    assert case.ave_changes.last().reason == "Risico's afgenomen"


def test_an_evaluation_may_start_a_new_version_carrying_over_open_actions(running, regisseur, probation_officer):
    done, still_open = running.actions.get(partner__name__startswith="Reclassering"), running.actions.get(partner__name="Mondriaan GGZ")
    services.report_progress(done, actor=probation_officer, status="gereed", result="Woning", expected_version=done.version)
    services.report_progress(still_open, actor=regisseur, status="loopt", result="In behandeling", expected_version=still_open.version)
    running.refresh_from_db()
    evaluation = services.evaluate(
        running,
        actor=regisseur,
        evaluated_on=clock.today(),
        summary="Deels bereikt",
        progress=progress_for(running),
        new_version=True,
        expected_version=running.version,
    )
    second = evaluation.new_version
    assert Plan.objects.get(pk=running.pk).status == PlanStatus.EVALUATED
    assert (second.version_number, second.status, second.based_on_id) == (2, PlanStatus.DRAFT, running.pk)
    carried = second.actions.get()
    assert (carried.carried_from, carried.status, carried.result) == (still_open, ActionStatus.RUNNING, "In behandeling")
    assert services.current_plan(running.case) == second


def test_only_a_running_plan_is_evaluated(offered, regisseur):
    with pytest.raises(IllegalTransition):
        services.evaluate(offered, actor=regisseur, evaluated_on=clock.today(), summary="x", progress={}, expected_version=offered.version)


def test_the_next_evaluation_follows_the_case_types_rhythm(running, regisseur):
    interval = running.case.case_type.evaluation_interval_days
    assert services.next_evaluation_due(running) == running.started_on + datetime.timedelta(days=interval)
    later = clock.now() + datetime.timedelta(days=30)
    with clock.travel_to(later):
        services.evaluate(
            running,
            actor=regisseur,
            evaluated_on=clock.today(),
            summary="x",
            progress=progress_for(running),
            expected_version=running.version,
        )
    assert services.next_evaluation_due(Plan.objects.get(pk=running.pk)) == timezone.localdate(later) + datetime.timedelta(days=interval)


# --- logging -------------------------------------------------------------------------------------------------


def test_every_change_is_in_the_processing_log_and_refusals_as_errors(draft, regisseur):
    before = ProcessingRecord.objects.filter(object_ref=draft.case.number).count()
    services.update_plan(draft, actor=regisseur, instrument="RISc", diagnosis="", expected_version=draft.version)
    assert ProcessingRecord.objects.filter(object_ref=draft.case.number).count() == before + 1
    with pytest.raises(IllegalTransition):
        services.offer(draft, actor=regisseur, offered_on=clock.today(), expected_version=draft.version)
    assert ProcessingRecord.objects.filter(object_ref=draft.case.number).last().status == "error"
