"""The plan screens: who sees what (need-to-know), the gate shown to the user, the partner's pages, the processing log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.logbook.models import ProcessingRecord
from spil.organisations.models import Role
from spil.plans import services
from spil.plans.models import ConfirmationStatus, Plan, PlanStatus
from spil.plans.tests.conftest import day
from spil.testing.clamd import EICAR, FakeClamd
from spil.testing.factories import member, register_report

pytestmark = pytest.mark.django_db


def records(case, action):
    return ProcessingRecord.objects.filter(object_ref=case.number, action=action).count()


def test_the_director_sees_the_plan_and_the_read_is_logged(client, draft, regisseur):
    client.force_login(regisseur)
    before = records(draft.case, "read")
    response = client.get(reverse("plans:plan", args=[draft.case.number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Toezicht en begeleiding naar woning" in page and "Behandeling verslaving" in page and "Vaste woonplek" in page
    assert records(draft.case, "read") == before + 1


def test_the_dossier_page_has_the_plan_section(client, draft, regisseur):
    client.force_login(regisseur)
    page = client.get(reverse("cases:detail", args=[draft.case.number])).content.decode()
    assert 'id="plan-van-aanpak"' in page and "Behandeling verslaving" in page


def test_a_summary_member_sees_only_the_actions_of_its_own_organisation(client, draft, summary_member):
    client.force_login(summary_member)
    page = client.get(reverse("cases:detail", args=[draft.case.number])).content.decode()
    assert "Toezicht en begeleiding naar woning" in page
    assert "Behandeling verslaving" not in page and "Vaste woonplek" not in page
    assert client.get(reverse("plans:plan", args=[draft.case.number])).status_code == 404
    assert client.get(reverse("plans:version", args=[draft.case.number, 1])).status_code == 404
    ggz_action = draft.actions.get(partner__name="Mondriaan GGZ")
    assert client.get(reverse("plans:progress", args=[ggz_action.pk])).status_code == 404


def test_users_without_a_reason_get_404_everywhere(client, draft, other_house, house):
    strangers = [member(other_house, Role.PROCESS_DIRECTOR, Role.BACK_OFFICE), member(house, Role.PROCESS_DIRECTOR)]
    action = draft.actions.first()
    urls = [
        reverse("plans:plan", args=[draft.case.number]),
        reverse("plans:version", args=[draft.case.number, 1]),
        reverse("plans:step", args=[draft.case.number, 1, "aanbieden"]),
        reverse("plans:progress", args=[action.pk]),
        reverse("plans:action-edit", args=[action.pk]),
    ]
    for user in strangers:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        for list_url in [reverse("plans:confirmations"), reverse("plans:my-actions")]:
            assert draft.case.number not in client.get(list_url).content.decode()


def test_the_offer_button_is_disabled_with_who_is_missing(client, draft, regisseur, probation_officer):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    asked = services.open_confirmations(draft).get(partner__name__startswith="Reclassering")
    services.answer_confirmation(asked, actor=probation_officer, confirmed=True, reason="")
    client.force_login(regisseur)
    page = client.get(reverse("plans:plan", args=[draft.case.number])).content.decode()
    assert "disabled" in page and "Nog geen bevestiging van: Mondriaan GGZ." in page
    # Posting the offer anyway is refused by the service, shown on the form.
    draft.refresh_from_db()
    url = reverse("plans:step", args=[draft.case.number, 1, "aanbieden"])
    response = client.post(url, {"version": draft.version, "offered_on": clock.today().isoformat()})
    assert response.status_code == 200 and "Mondriaan GGZ" in response.content.decode()
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.CONFIRMING


def test_a_partner_user_finds_and_answers_the_confirmation(client, draft, regisseur, probation_officer, nurse):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    client.force_login(probation_officer)
    listing = client.get(reverse("plans:confirmations")).content.decode()
    assert draft.case.number in listing and "Reclassering" in listing and "Mondriaan GGZ" not in listing
    asked = services.open_confirmations(draft).get(partner__name__startswith="Reclassering")
    page = client.get(reverse("plans:confirmation", args=[asked.pk])).content.decode()
    assert "Toezicht en begeleiding naar woning" in page and "Behandeling verslaving" not in page
    response = client.post(reverse("plans:confirmation", args=[asked.pk]), {"answer": "ja", "reason": ""})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ConfirmationStatus.CONFIRMED and asked.answered_by == probation_officer
    # The other partner's user may not answer for the Reclassering.
    client.force_login(nurse)
    assert client.get(reverse("plans:confirmation", args=[asked.pk])).status_code == 404


def test_acceptance_upload_is_checked_by_content_and_served_as_attachment(client, offered, regisseur, house, other_house):
    client.force_login(regisseur)
    url = reverse("plans:step", args=[offered.case.number, 1, "acceptatie"])
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        url, {"version": offered.version, "decided_on": clock.today().isoformat(), "agreement": "document", "document": fake}
    )
    assert response.status_code == 200 and "alleen PDF, PNG, JPEG" in response.content.decode()
    signed = SimpleUploadedFile("getekend plan.html", b"%PDF-1.7 getekend", content_type="text/html")
    response = client.post(
        url, {"version": offered.version, "decided_on": clock.today().isoformat(), "agreement": "document", "document": signed}
    )
    assert response.status_code == 302
    document = Plan.objects.get(pk=offered.pk).documents.get()
    assert "niet gescand op virussen" in client.get(response["Location"]).content.decode()  # no scanner configured
    before = records(offered.case, "export")
    download = client.get(reverse("plans:document", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"] == 'attachment; filename="getekend plan.html.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == b"%PDF-1.7 getekend"
    assert records(offered.case, "export") == before + 1
    client.force_login(member(other_house, Role.PROCESS_DIRECTOR))
    assert client.get(reverse("plans:document", args=[document.pk])).status_code == 404


def test_an_infected_signed_plan_is_refused_with_a_clear_message_and_the_plan_stays_offered(client, offered, regisseur, settings):
    clamd = FakeClamd()
    settings.SPIL_CLAMD_ADDRESS = clamd.address
    try:
        client.force_login(regisseur)
        url = reverse("plans:step", args=[offered.case.number, 1, "acceptatie"])
        infected = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + EICAR, content_type="application/pdf")
        response = client.post(
            url, {"version": offered.version, "decided_on": clock.today().isoformat(), "agreement": "document", "document": infected}
        )
    finally:
        clamd.close()
    assert response.status_code == 200
    assert "de virusscanner vond schadelijke inhoud (Eicar-Test-Signature)" in response.content.decode()
    offered.refresh_from_db()
    assert offered.status == PlanStatus.OFFERED and not offered.documents.exists()


def test_partners_report_progress_through_the_action_page(client, running, probation_officer):
    action = running.actions.get(partner__name__startswith="Reclassering")
    client.force_login(probation_officer)
    assert running.case.number in client.get(reverse("plans:my-actions")).content.decode()
    response = client.post(
        reverse("plans:progress", args=[action.pk]), {"status": "loopt", "result": "Eerste gesprek gehad", "version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "loopt"


def test_the_evaluation_form_records_progress_and_a_new_version(client, running, regisseur, housing, addiction):
    client.force_login(regisseur)
    url = reverse("plans:step", args=[running.case.number, 1, "evaluatie"])
    assert client.get(url).status_code == 200
    data = {
        "version": running.version,
        "evaluated_on": clock.today().isoformat(),
        "summary": "Stap voor stap",
        f"progress_{housing.pk}": "verbeterd",
        f"progress_{addiction.pk}": "gelijk",
        "ave_level": "2",
        "ave_reason": "Minder risico",
        "new_version": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("plans:version", args=[running.case.number, 2])
    assert services.current_plan(running.case).version_number == 2


def _add_plans(regisseur, house, intake_worker, partner, housing, count):
    pga = CaseType.objects.get(code="pga")
    for _ in range(count):
        report = register_report(intake_worker, house)
        case = case_services.open_case(
            actor=regisseur,
            house=house,
            case_type=pga,
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=regisseur,
        )
        plan = services.start_plan(case, actor=regisseur)
        services.add_action(
            plan, actor=regisseur, life_domain=housing, description="x", partner=partner, responsible=None, start_on=day(0), due_on=day(9)
        )
        plan.refresh_from_db()
        services.request_confirmations(plan, actor=regisseur, expected_version=plan.version)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_confirmation_list_costs_the_same_queries_for_more_rows(
    client, regisseur, house, intake_worker, reclassering, housing, probation_officer
):
    client.force_login(probation_officer)
    _add_plans(regisseur, house, intake_worker, reclassering, housing, 2)
    few = _queries(client, reverse("plans:confirmations"))
    _add_plans(regisseur, house, intake_worker, reclassering, housing, 5)
    assert _queries(client, reverse("plans:confirmations")) == few


def test_my_actions_costs_the_same_queries_for_more_rows(
    client, running, regisseur, house, intake_worker, reclassering, housing, probation_officer, nurse
):
    client.force_login(probation_officer)
    few = _queries(client, reverse("plans:my-actions"))
    for _ in range(4):
        report = register_report(intake_worker, house)
        case = case_services.open_case(
            actor=regisseur,
            house=house,
            case_type=CaseType.objects.get(code="pga"),
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=regisseur,
        )
        plan = services.start_plan(case, actor=regisseur)
        services.add_action(
            plan,
            actor=regisseur,
            life_domain=housing,
            description="x",
            partner=reclassering,
            responsible=None,
            start_on=day(0),
            due_on=day(9),
        )
        plan.refresh_from_db()
        services.request_confirmations(plan, actor=regisseur, expected_version=plan.version)
        services.answer_confirmation(services.open_confirmations(plan).get(), actor=probation_officer, confirmed=True, reason="")
        plan.refresh_from_db()
        services.offer(plan, actor=regisseur, offered_on=clock.today(), expected_version=plan.version)
        services.accept(plan, actor=regisseur, decided_on=clock.today(), agreement="mondeling", note="ok", expected_version=plan.version)
    assert _queries(client, reverse("plans:my-actions")) == few


def test_the_plan_page_offers_the_next_step_of_each_state(client, offered, regisseur):
    client.force_login(regisseur)
    url = reverse("plans:plan", args=[offered.case.number])
    assert "Acceptatie vastleggen" in client.get(url).content.decode()
    services.accept(offered, actor=regisseur, decided_on=clock.today(), agreement="mondeling", note="ok", expected_version=offered.version)
    assert "Uitvoering starten" in client.get(url).content.decode()
    services.start(offered, actor=regisseur, started_on=clock.today(), expected_version=offered.version)
    page = client.get(url).content.decode()
    assert "Evaluatie vastleggen" in page and "Volgende evaluatie" in page
    for step in ["ter-bevestiging", "terug-naar-concept", "aanbieden", "acceptatie", "weigering", "starten", "evaluatie"]:
        assert client.get(reverse("plans:step", args=[offered.case.number, 1, step])).status_code == 200, step


def test_a_refused_plan_offers_a_new_version(client, offered, regisseur):
    services.refuse(offered, actor=regisseur, decided_on=clock.today(), follow_up="drang", note="Via OM", expected_version=offered.version)
    client.force_login(regisseur)
    assert "Nieuwe versie opstellen" in client.get(reverse("plans:plan", args=[offered.case.number])).content.decode()
    response = client.post(reverse("plans:start", args=[offered.case.number]), {})
    assert response.status_code == 302 and services.current_plan(offered.case).version_number == 2


def test_a_goal_saved_by_a_colleague_after_the_form_was_opened_is_not_overwritten(client, draft, addiction, regisseur):
    client.force_login(regisseur)
    url = reverse("plans:goal", args=[draft.case.number, draft.version_number, addiction.code])
    assert 'name="version" value="0"' in client.get(url).content.decode()  # no goal for this leefgebied yet
    services.set_goal(draft, actor=regisseur, life_domain=addiction, situation="Gebruikt dagelijks", goal="Minder gebruik")
    response = client.post(url, {"version": 0, "situation": "Anders", "goal": "Abstinentie"})
    assert response.status_code == 200 and "gewijzigd door een ander" in response.content.decode()
    assert draft.goals.get(life_domain=addiction).goal == "Minder gebruik"
