"""The whole walking skeleton through the web UI: melding with two persons → verrijking → weegtafel → casus → afsluiten."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member

pytestmark = pytest.mark.django_db


def monday_before_cutoff():
    """A moment on a Monday morning, before the default 12:00 cut-off."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9, 0)))


def test_melding_to_closed_case_through_the_ui(client, house):
    user = member(house, Role.INTAKE, Role.TRIAGE, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR)
    client.force_login(user)
    police = PartnerFactory(name="Politie Limburg")
    heerlen = house.municipalities.get()
    pga = CaseType.objects.get(code="pga")

    # Adding a second person row keeps what was typed and shows no errors yet.
    response = client.post(
        reverse("intake:create"),
        {
            "house": house.pk,
            "reporter_name": "W. Agent",
            "persons-TOTAL_FORMS": "1",
            "persons-INITIAL_FORMS": "0",
            "persons-0-surname": "Jansen",
            "add_person": "1",
        },
    )
    assert response.status_code == 200
    assert b"Jansen" in response.content
    assert response.context["persons"].total_form_count() == 2
    assert b"utrecht-form-field-error-message" not in response.content

    with clock.travel_to(monday_before_cutoff() - datetime.timedelta(days=1)):
        response = client.post(
            reverse("intake:create"),
            {
                "house": house.pk,
                "source_partner": police.pk,
                "reporter_name": "W. Agent",
                "channel": "telefoon",
                "received_on": (monday_before_cutoff() - datetime.timedelta(days=1)).date().isoformat(),
                "requested_case_type": pga.pk,
                "reason": "Overlast en zorgen",
                "request": "Procesregie",
                "persons-TOTAL_FORMS": "2",
                "persons-INITIAL_FORMS": "0",
                "persons-0-first_names": "Jan",
                "persons-0-surname": "Jansen",
                "persons-0-bsn": "1112.22.333",
                "persons-0-municipality": heerlen.pk,
                "persons-1-first_names": "Els",
                "persons-1-surname": "Jansen",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:detail", args=[report.number])
    assert report.persons.count() == 2
    assert report.persons.get(first_names="Jan").bsn == "111222333"

    response = client.post(
        reverse("intake:enrichment-create", args=[report.number]),
        {
            "enrichment-partner": police.pk,
            "enrichment-requested_on": timezone.localdate().isoformat(),
            "enrichment-question": "Politiecontacten",
        },
    )
    assert response.status_code == 302
    enrichment = report.enrichments.get()
    client.post(
        reverse("intake:enrichment-answer", args=[report.number, enrichment.pk]),
        {"answer-answered_on": timezone.localdate().isoformat(), "answer-summary": "Drie incidenten"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ENRICHING

    with clock.travel_to(monday_before_cutoff()):
        client.post(reverse("intake:status", args=[report.number]), {"to": "gereed", "version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.READY

    tuesday = monday_before_cutoff() + datetime.timedelta(days=1, hours=1)
    response = client.post(
        reverse("triage:create"), {"house": house.pk, "starts_at": tuesday.strftime("%Y-%m-%dT%H:%M"), "participants": [user.pk]}
    )
    session = house.triage_sessions.get()
    assert response.status_code == 302
    item = session.items.get()
    assert item.report == report

    response = client.post(
        reverse("triage:decide", args=[session.pk, item.pk]),
        {
            "criteria": ["multiple_life_domains", "multiple_chains"],
            "ave_level": "3",
            "outcome": "procesregie",
            "case_type": pga.pk,
            "process_director": user.pk,
            "reasons": "Zorg en veiligheid",
            "participants": [user.pk],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.case_type == pga and case.ave_level == 3 and case.process_director == user
    assert set(case.persons.all()) == set(report.persons.all())

    for page in [
        reverse("web:my-work"),
        reverse("intake:inbox"),
        reverse("triage:list"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.number]),
        reverse("triage:detail", args=[session.pk]),
        reverse("intake:detail", args=[report.number]),
    ]:
        assert client.get(page).status_code == 200, page

    client.post(reverse("cases:action", args=[case.number, "ave"]), {"to_level": "4", "reason": "Dreiging", "version": case.version})
    case.refresh_from_db()
    client.post(reverse("cases:action", args=[case.number, "ave"]), {"to_level": "2", "reason": "Rust", "version": case.version})
    case.refresh_from_db()
    assert [c.to_level for c in case.ave_changes.all()] == [3, 4, 2]

    response = client.post(
        reverse("cases:action", args=[case.number, "afsluiten"]), {"result": "doel_bereikt", "note": "", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_open
    client.post(reverse("cases:action", args=[case.number, "heropenen"]), {"reason": "Nieuwe incidenten", "version": case.version})
    case.refresh_from_db()
    assert case.is_open
    assert list(case.events.values_list("kind", flat=True)) == ["casus_geopend", "rol", "ave", "ave", "gesloten", "heropend"]


def test_one_button_actions_report_success_and_refusal(client, house, intake_worker):
    from spil.testing.factories import register_report

    client.force_login(intake_worker)
    report = register_report(intake_worker, house)
    response = client.post(reverse("intake:status", args=[report.number]), {"to": "gereed", "version": report.version}, follow=True)
    assert "Status gewijzigd naar &#x27;Gereed voor weging&#x27;." in response.content.decode()
    response = client.post(reverse("intake:status", args=[report.number]), {"to": "gereed", "version": report.version + 1}, follow=True)
    assert "kan niet naar" in response.content.decode()
