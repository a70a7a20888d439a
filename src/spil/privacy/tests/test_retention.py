import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from spil.cases.models import AveChange, Case
from spil.core.errors import DomainError, IllegalTransition
from spil.intake.models import Enrichment, Report, ReportPerson
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingActivity, ProcessingRecord
from spil.logbook.services import subject_of
from spil.persons.models import Person, PersonMerge
from spil.privacy import services
from spil.privacy.models import RetentionHold
from spil.testing.factories import person_data, register_report
from spil.timeline.models import Event
from spil.triage.models import Outcome, TriageItem

pytestmark = pytest.mark.django_db

CLOSED = datetime.date(2020, 1, 10)
PGA_TERM_ENDS = datetime.date(2025, 1, 10)  # procesregie: 5 years after closing
DAY = datetime.timedelta(days=1)


def due(today):
    return list(services.due_for_destruction(today).values_list("number", flat=True))


def test_a_closed_case_is_due_the_day_after_its_activitys_retention_term(closed_case):
    pga = closed_case(closed_on=CLOSED)
    consult = closed_case(closed_on=CLOSED, outcome=Outcome.CONSULT)  # consult-advies: 2 years
    assert pga.case_type.processing_activity.retention_years == 5
    assert consult.case_type.processing_activity.code == "consult-advies"
    assert due(datetime.date(2022, 1, 10)) == []
    assert due(datetime.date(2022, 1, 11)) == [consult.number]
    assert due(PGA_TERM_ENDS) == [consult.number]
    assert set(due(PGA_TERM_ENDS + DAY)) == {consult.number, pga.number}
    annotated = services.due_for_destruction(PGA_TERM_ENDS + DAY).get(pk=pga.pk)
    assert annotated.keep_until == PGA_TERM_ENDS and services.due_since(annotated) == PGA_TERM_ENDS + DAY


def test_the_term_is_data(closed_case):
    case = closed_case(closed_on=CLOSED)
    ProcessingActivity.objects.filter(code="procesregie").update(retention_years=10)
    assert due(datetime.date(2029, 12, 31)) == []
    assert due(datetime.date(2030, 1, 11)) == [case.number]


def test_open_cases_are_never_due(closed_case, regisseur):
    from spil.cases import services as case_services

    case = closed_case(closed_on=CLOSED)
    case_services.reopen_case(case, actor=regisseur, reason="Nieuwe zorgen", expected_version=case.version)
    assert due(datetime.date(2040, 1, 1)) == []


def test_a_hold_keeps_a_case_until_it_is_lifted_or_ends(closed_case, officer):
    case = closed_case(closed_on=CLOSED)
    today = PGA_TERM_ENDS + DAY
    open_ended = services.place_hold(case, actor=officer, reason="Lopende procedure bij de rechtbank")
    dated = services.place_hold(case, actor=officer, reason="Verzoek van de betrokkene", until=datetime.date(2099, 6, 30))
    assert due(today) == []
    services.lift_hold(open_ended, actor=officer, reason="Procedure afgerond")
    assert due(today) == []  # the dated hold still runs
    assert due(datetime.date(2099, 6, 30)) == [] and due(datetime.date(2099, 7, 1)) == [case.number]
    services.lift_hold(dated, actor=officer, reason="Verzoek ingetrokken")
    assert due(today) == [case.number]
    with pytest.raises(IllegalTransition):
        services.lift_hold(dated, actor=officer, reason="nogmaals")
    with pytest.raises(DomainError, match="verleden"):
        services.place_hold(case, actor=officer, reason="x", until=datetime.date(2020, 1, 1))


def test_an_extension_postpones_destruction(closed_case, officer):
    case = closed_case(closed_on=CLOSED)
    services.extend(case, actor=officer, keep_until=datetime.date(2027, 12, 31), reason="Nazorgtraject loopt nog")
    assert due(datetime.date(2027, 12, 31)) == [] and due(datetime.date(2028, 1, 1)) == [case.number]
    with pytest.raises(DomainError, match="na de huidige bewaardatum"):
        services.extend(case, actor=officer, keep_until=datetime.date(2026, 1, 1), reason="korter")


@pytest.mark.parametrize(
    "action",
    [
        lambda case, officer: services.place_hold(case, actor=officer, reason="  "),
        lambda case, officer: services.extend(case, actor=officer, keep_until=datetime.date(2099, 1, 1), reason=""),
    ],
)
def test_holds_and_extensions_need_a_reason(closed_case, officer, action):
    case = closed_case(closed_on=CLOSED)
    with pytest.raises(DomainError, match="reden"):
        action(case, officer)


def test_only_a_privacy_officer_of_the_house_decides_on_retention(closed_case, regisseur, other_officer):
    from django.core.exceptions import PermissionDenied

    case = closed_case(closed_on=CLOSED)
    for actor in [regisseur, other_officer]:
        with pytest.raises(PermissionDenied):
            services.place_hold(case, actor=actor, reason="x")
        with pytest.raises(PermissionDenied):
            services.destroy(case, actor=actor)


def test_holds_and_extensions_are_logged_without_their_reason(closed_case, officer):
    case = closed_case(closed_on=CLOSED)
    persons = list(case.persons.all())
    before = ProcessingRecord.objects.order_by("-id").values_list("id", flat=True).first()
    services.place_hold(case, actor=officer, reason="Zaak van mevrouw Geheim")
    services.extend(case, actor=officer, keep_until=datetime.date(2099, 1, 1), reason="Op verzoek van mevrouw Geheim")
    updates = ProcessingRecord.objects.filter(id__gt=before, action=Action.UPDATE, object_ref=case.number, activity__code="procesregie")
    assert sorted(updates.values_list("subject", flat=True)) == sorted([subject_of(p) for p in persons] * 2)
    retention = AuditRecord.objects.filter(event=AuditEvent.RETENTION).order_by("id")
    assert [r.user for r in retention] == [officer, officer]
    assert "Bewaarplicht" in retention[0].detail and case.number in retention[1].detail
    assert not any("Geheim" in r.detail for r in AuditRecord.objects.all())


# Destruction ---------------------------------------------------------------------------------------------------


def test_destroy_removes_the_dossier_its_melding_and_its_persons(closed_case, officer):
    case = closed_case(closed_on=CLOSED, persons=[person_data(), person_data(first_names="Els", surname="Berg")])
    report = case.report
    persons = list(case.persons.all())
    assert case.events.exists() and case.ave_changes.count() == 2 and report.triage_items.exists() and report.enrichments.exists()
    RetentionHold.objects.create(case=case, reason="x", until=datetime.date(2024, 1, 1), created_by=officer)  # ended: goes with the case

    result = services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)

    assert result == services.Destruction(case.number, report.number, persons_removed=2, persons_kept=0)
    assert not Case.objects.filter(pk=case.pk).exists() and not Report.objects.filter(pk=report.pk).exists()
    assert not Event.objects.filter(case_id=case.pk).exists() and not Event.objects.filter(report_id=report.pk).exists()
    assert not AveChange.objects.filter(case_id=case.pk).exists()
    assert not ReportPerson.objects.filter(report_id=report.pk).exists() and not Enrichment.objects.filter(report_id=report.pk).exists()
    assert not TriageItem.objects.filter(report_id=report.pk).exists()
    assert not Person.objects.filter(pk__in=[p.pk for p in persons]).exists()
    assert not RetentionHold.objects.exists()


def test_destroy_keeps_what_is_still_linked_elsewhere(closed_case, officer, intake_worker, house, regisseur):
    from spil.cases import services as case_services

    case = closed_case(closed_on=CLOSED, persons=[person_data(), person_data(first_names="Els", surname="Berg")])
    shared, alone = case.persons.order_by("first_names")
    later = register_report(intake_worker, house)
    ReportPerson.objects.create(report=later, person=shared, relation="betrokkene")  # known from a later melding
    # A second case came from the same melding: the melding stays, and so do its persons.
    second = case_services.open_case(
        actor=regisseur, house=house, case_type=case.case_type, report=case.report, persons=[alone], ave_level=2, reason="Tweede spoor"
    )

    result = services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)

    assert result.report_number is None and result.persons_removed == 0 and result.persons_kept == 2
    assert Report.objects.filter(pk=case.report_id).exists() and Case.objects.filter(pk=second.pk).exists()
    assert Person.objects.filter(pk__in=[shared.pk, alone.pk]).count() == 2
    assert Event.objects.filter(report_id=case.report_id).exists()
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_person_only_in_this_dossier_goes_while_one_known_elsewhere_stays(closed_case, officer, intake_worker, house):
    case = closed_case(closed_on=CLOSED, persons=[person_data(), person_data(first_names="Els", surname="Berg")])
    shared, alone = case.persons.order_by("first_names")
    ReportPerson.objects.create(report=register_report(intake_worker, house), person=shared)
    result = services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)
    assert (result.persons_removed, result.persons_kept) == (1, 1)
    assert Person.objects.filter(pk=shared.pk).exists() and not Person.objects.filter(pk=alone.pk).exists()


def test_destruction_is_logged_without_content_and_the_chain_stays_intact(closed_case, officer):
    case = closed_case(closed_on=CLOSED, persons=[person_data(bsn="111222333"), person_data(first_names="Els", surname="Berg")])
    report, persons = case.report, list(case.persons.all())
    services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)

    deletes = ProcessingRecord.objects.filter(action=Action.DELETE)
    in_case = deletes.filter(object_ref=case.number)
    assert sorted(in_case.values_list("subject", flat=True)) == sorted(subject_of(p) for p in persons)
    assert set(in_case.values_list("activity__code", flat=True)) == {"procesregie"}
    in_report = deletes.filter(object_ref=report.number)
    assert sorted(in_report.values_list("subject", flat=True)) == sorted(subject_of(p) for p in persons)
    assert set(in_report.values_list("activity__code", flat=True)) == {"intake-weging"}

    audit = AuditRecord.objects.get(event=AuditEvent.RETENTION)
    assert audit.user == officer and case.number in audit.detail and report.number in audit.detail
    logged = " ".join(str(v) for model in [ProcessingRecord, AuditRecord] for row in model.objects.values() for v in row.values())
    assert not any(secret in logged for secret in ["111222333", "Berg", "Els", "Vastgelopen", "wijkagent"])
    call_command("verify_logbook", stdout=StringIO())


def test_destroy_refuses_a_case_that_is_not_due(closed_case, officer):
    case = closed_case(closed_on=CLOSED)
    with pytest.raises(IllegalTransition, match="niet aan vernietiging toe"):
        services.destroy(case, actor=officer, today=PGA_TERM_ENDS)
    services.place_hold(case, actor=officer, reason="Procedure")
    with pytest.raises(IllegalTransition):
        services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_purge_is_over_when_destroy_returns(closed_case, officer, intake_worker, house):
    register_report(intake_worker, house)  # history that must survive
    services.destroy(closed_case(closed_on=CLOSED), actor=officer, today=PGA_TERM_ENDS + DAY)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()


# The daily command ---------------------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_command_lists_due_cases_without_changing_anything(closed_case):
    case = closed_case(closed_on=CLOSED)
    output = run()
    assert "1 casus(sen) aan vernietiging toe (proefdraai" in output
    assert case.number in output and str(case.case_type) in output
    assert "gesloten 10-01-2020" in output and "aan vernietiging toe sinds 11-01-2025" in output
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_command_destroys_with_progress(closed_case):
    first, second = closed_case(closed_on=CLOSED), closed_case(closed_on=CLOSED + DAY)
    first_report = first.report.number
    output = run("--destroy")
    assert f"[1/2] {first.number} met melding {first_report} vernietigd: 1 personen verwijderd" in output
    assert f"[2/2] {second.number}" in output
    assert not Case.objects.exists()
    audit = AuditRecord.objects.filter(event=AuditEvent.RETENTION)
    assert audit.count() == 2 and {a.username for a in audit} == {services.SYSTEM} and {a.user for a in audit} == {None}
    assert "0 casus(sen)" in run("--destroy")
    call_command("verify_logbook", stdout=StringIO())


# The screen ----------------------------------------------------------------------------------------------------


def test_the_screen_lists_due_cases_and_places_and_lifts_holds(client, officer, closed_case):
    case = closed_case(closed_on=datetime.date(2015, 3, 1))
    client.force_login(officer)
    page = client.get(reverse("privacy:retention"))
    assert [c.number for c in page.context["page_obj"]] == [case.number]

    response = client.post(reverse("privacy:hold-create"), {"case": case.number, "reason": "Lopende procedure", "until": ""})
    assert response.status_code == 302
    hold = RetentionHold.objects.get(case=case)
    page = client.get(reverse("privacy:retention"))
    assert list(page.context["page_obj"]) == [] and list(page.context["holds"]) == [hold]

    assert client.post(reverse("privacy:hold-lift", args=[hold.pk]), {"reason": ""}).status_code == 200  # reason required
    client.post(reverse("privacy:hold-lift", args=[hold.pk]), {"reason": "Procedure afgerond"})
    hold.refresh_from_db()
    assert hold.lifted_by == officer and hold.lift_reason == "Procedure afgerond"


def test_the_screen_extends_with_a_reason_and_a_later_date(client, officer, closed_case):
    case = closed_case(closed_on=datetime.date(2015, 3, 1))
    client.force_login(officer)
    form = client.get(reverse("privacy:extension-create"), {"casus": case.number}).context["form"]
    assert form["case"].value() == case.number
    response = client.post(reverse("privacy:extension-create"), {"case": case.number, "keep_until": "2019-01-01", "reason": "x"})
    assert "na de huidige bewaardatum" in response.content.decode()
    response = client.post(reverse("privacy:extension-create"), {"case": case.number, "keep_until": "2099-01-01", "reason": ""})
    assert response.status_code == 200 and not case.retention_extensions.exists()
    client.post(reverse("privacy:extension-create"), {"case": case.number, "keep_until": "2099-01-01", "reason": "Nazorg"})
    assert case.retention_extensions.get().keep_until == datetime.date(2099, 1, 1)


def test_the_screen_destroys_after_confirmation(client, officer, closed_case):
    case = closed_case(closed_on=datetime.date(2015, 3, 1))
    client.force_login(officer)
    confirm = client.get(reverse("privacy:destroy", args=[case.number]))
    assert "Definitief vernietigen" in confirm.content.decode() and Case.objects.filter(pk=case.pk).exists()
    response = client.post(reverse("privacy:destroy", args=[case.number]), follow=True)
    assert f"Casus {case.number} is vernietigd" in response.content.decode()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert client.get(reverse("privacy:destroy", args=[case.number])).status_code == 404


def test_team_and_emergency_access_go_with_the_dossier_once_reviewed(closed_case, officer, house):
    from spil.cases import services as case_services
    from spil.cases.models import EmergencyAccess, Review, TeamMember
    from spil.organisations.models import Role
    from spil.testing.factories import member

    case = closed_case(closed_on=CLOSED)
    assert TeamMember.objects.filter(case=case).exists()
    access = case_services.request_emergency_access(actor=member(house, Role.PROCESS_DIRECTOR), number=case.number, reason="Regisseur ziek")
    with pytest.raises(IllegalTransition, match="nog niet is beoordeeld"):
        services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)

    case_services.review_emergency_access(access, actor=officer, review=Review.JUSTIFIED, note="")
    services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)
    assert not TeamMember.objects.filter(case_id=case.pk).exists() and not EmergencyAccess.objects.filter(case_id=case.pk).exists()


def test_a_failed_destruction_changes_nothing_and_leaves_history_protected(closed_case, officer, monkeypatch):
    case = closed_case(closed_on=CLOSED)
    events = Event.objects.count()
    original = services._delete_with_dependents

    def delete_then_fail(obj):
        original(obj)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_delete_with_dependents", delete_then_fail)
    with pytest.raises(RuntimeError):
        services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)
    assert Case.objects.filter(pk=case.pk).exists() and Event.objects.count() == events
    assert not ProcessingRecord.objects.filter(action=Action.DELETE).exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()


def test_destroy_removes_the_records_merged_into_a_person_and_the_merges(closed_case, officer, intake_worker):
    case = closed_case(closed_on=CLOSED)
    survivor = case.persons.get()
    absorbed = Person.objects.create(first_names="J.", surname="Berg", merged_into=survivor)  # its links moved to the survivor
    PersonMerge.objects.create(survivor=survivor, absorbed=absorbed, reason="Dezelfde persoon", merged_by=intake_worker)

    result = services.destroy(case, actor=officer, today=PGA_TERM_ENDS + DAY)

    assert result.persons_removed == 1
    assert not Person.objects.filter(pk__in=[survivor.pk, absorbed.pk]).exists() and not PersonMerge.objects.exists()
