"""Bad input on every form: a Dutch message beside the field and in the summary, and nothing saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spil.cases import services as case_services
from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.intake.models import Enrichment, Report, ReportStatus
from spil.intake import services as intake_services
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing.factories import PartnerFactory, member, register_report
from spil.timeline.models import Event
from spil.triage import services as triage_services
from spil.triage.models import TriageSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(house):
    return member(house, Role.INTAKE, Role.TRIAGE, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR)


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def new_report_data(house, **overrides):
    data = {
        "house": house.pk,
        "source_partner": PartnerFactory().pk,
        "reporter_name": "W. Agent",
        "channel": "telefoon",
        "received_on": timezone.localdate().isoformat(),
        "requested_case_type": CaseType.objects.get(code="pga").pk,
        "reason": "Overlast",
        "request": "Regie",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-0-first_names": "Jan",
        "persons-0-surname": "Jansen",
    }
    data.update(overrides)
    return data


def assert_rejected(response, *messages):
    assert response.status_code == 200
    content = response.content.decode()
    assert "fout" in content and "gevonden" in content, "error summary missing"
    for message in messages:
        assert message in content


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"reporter_name": ""}, "Dit veld is verplicht."),
        ({"persons-0-bsn": "123456789"}, "11-proef"),
        ({"received_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "toekomst"),
        ({"persons-0-birth_date": "31-02-1990"}, "Voer een geldige datum in."),
        ({"persons-0-first_names": "", "persons-0-surname": ""}, "Dit veld is verplicht."),
        (
            {
                "persons-TOTAL_FORMS": "2",
                "persons-0-bsn": "111222333",
                "persons-1-first_names": "Piet",
                "persons-1-surname": "Jansen",
                "persons-1-bsn": "111 222 333",
            },
            "Hetzelfde BSN",
        ),
    ],
    ids=["required", "bsn", "future", "date", "no-person", "same-bsn-twice"],
)
def test_new_melding_rejects_bad_input_and_keeps_what_was_typed(logged_in, house, overrides, message):
    response = logged_in.post(reverse("intake:create"), new_report_data(house, **overrides))
    assert_rejected(response, message)
    assert 'value="Jansen"' in response.content.decode() or overrides.get("persons-0-surname") == ""
    assert not Report.objects.exists() and not Person.objects.exists()


def test_editing_a_melding_someone_else_changed_is_refused(logged_in, house, user):
    report = register_report(user, house)
    data = new_report_data(house, reporter_name="Mijn wijziging", version=report.version)
    intake_services.update_report(report, actor=user, expected_version=report.version, fields={"reporter_name": "Andermans wijziging"})
    response = logged_in.post(reverse("intake:edit", args=[report.number]), data)
    assert_rejected(response, "gewijzigd door een ander")
    assert 'value="Mijn wijziging"' in response.content.decode()
    assert Report.objects.get().reporter_name == "Andermans wijziging"


def test_enrichment_forms_reject_empty_input(logged_in, house, user):
    report = register_report(user, house)
    response = logged_in.post(reverse("intake:enrichment-create", args=[report.number]), {"enrichment-question": ""})
    assert_rejected(response, "Dit veld is verplicht.")
    assert not Enrichment.objects.exists()
    enrichment = intake_services.request_enrichment(
        report, actor=user, partner=PartnerFactory(), question="?", requested_on=timezone.localdate()
    )
    response = logged_in.post(
        reverse("intake:enrichment-answer", args=[report.number, enrichment.pk]), {"answer-answered_on": "", "answer-summary": ""}
    )
    assert_rejected(response, "Dit veld is verplicht.")
    assert not Enrichment.objects.get().answered


def test_planning_a_weegtafel_needs_a_valid_moment(logged_in, house):
    response = logged_in.post(reverse("triage:create"), {"house": house.pk, "starts_at": "morgen"})
    assert_rejected(response, "Voer een geldige datum/tijd in.")
    assert not TriageSession.objects.exists()


def test_a_weging_that_breaks_a_rule_is_shown_and_saves_nothing(logged_in, house, user):
    report = register_report(user, house)
    intake_services.change_status(report, actor=user, to=ReportStatus.READY)
    # A table more than a week ahead: its cut-off is certainly after the melding became ready.
    session = triage_services.plan_session(actor=user, house=house, starts_at=timezone.now() + datetime.timedelta(days=8))
    item = session.items.get()
    url = reverse("triage:decide", args=[session.pk, item.pk])
    events_before = Event.objects.count()
    assert_rejected(logged_in.post(url, {"ave_level": "3", "outcome": "procesregie"}), "Dit veld is verplicht.")
    assert_rejected(
        logged_in.post(url, {"ave_level": "3", "outcome": "procesregie", "reasons": "Zorgen"}), "minstens één landelijk criterium"
    )
    assert_rejected(logged_in.post(url, {"ave_level": "9", "outcome": "procesregie", "reasons": "Zorgen"}), "Selecteer een geldige keuze.")
    item.refresh_from_db()
    assert not item.decided and not Case.objects.exists() and Event.objects.count() == events_before
    assert Report.objects.get().status == ReportStatus.READY


@pytest.fixture
def case(house, user):
    report = register_report(user, house)
    return case_services.open_case(
        actor=user,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
    )


@pytest.mark.parametrize(
    "action, data, message",
    [
        ("ave", {"to_level": "4", "reason": ""}, "Dit veld is verplicht."),
        ("ave", {"to_level": "3", "reason": "Gelijk"}, "staat al op"),
        ("afsluiten", {"result": "anders", "note": ""}, "Licht het resultaat"),
        ("afsluiten", {"result": "", "note": ""}, "Dit veld is verplicht."),
        ("heropenen", {"reason": "x"}, "al open"),
        ("notitie", {"text": ""}, "Dit veld is verplicht."),
    ],
)
def test_case_actions_reject_bad_input(logged_in, case, action, data, message):
    response = logged_in.post(reverse("cases:action", args=[case.number, action]), {**data, "version": case.version})
    assert_rejected(response, message)
    assert Case.objects.get().version == case.version


def test_a_stale_case_form_is_refused(logged_in, case, user):
    case_services.change_ave(case, actor=user, to_level=4, reason="Eerder", expected_version=case.version)
    response = logged_in.post(reverse("cases:action", args=[case.number, "ave"]), {"to_level": "2", "reason": "Later", "version": 1})
    assert_rejected(response, "gewijzigd door een ander")
    assert Case.objects.get().ave_level == 4
