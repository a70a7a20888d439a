"""Radicalisering and mensenhandel are restricted: another intake worker never sees them. Mensenhandel registers one
person per melding, so a victim and a suspected perpetrator end up in separate dossiers that do not link."""

import datetime

import pytest
from django.urls import reverse

from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError
from spil.intake import channels
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing.factories import member, person_data, report_fields
from spil.triage import services as triage_services
from spil.triage.models import Outcome

pytestmark = pytest.mark.django_db

RADICALISATION = {"ideology": "jihadistisch"}
VICTIM = {"role": "slachtoffer", "exploitation": "arbeid"}


def signal(actor, house, form, details, surname):
    definition = channels.get(form)
    return intake_services.register_report(
        actor=actor,
        house=house,
        details=details,
        persons=[person_data(surname=surname, first_names="Eva")],
        fields={**report_fields(), "form": form, "requested_case_type": CaseType.objects.get(code=definition.case_type)},
    )


@pytest.fixture
def registrant(house):
    return member(house, Role.INTAKE)


@pytest.fixture
def colleague(house):
    return member(house, Role.INTAKE)


@pytest.mark.parametrize(
    "form, details",
    [("radicalisering", {"ideology": "jihadistisch"}), ("mensenhandel", {"role": "slachtoffer", "exploitation": "arbeid"})],
)
def test_another_intake_worker_does_not_see_a_restricted_signal(client, house, registrant, colleague, weger, form, details):
    report = signal(registrant, house, form, details, surname="Verborgen")
    assert Report.objects.visible_to(registrant).filter(pk=report.pk).exists()
    assert Report.objects.visible_to(weger).filter(pk=report.pk).exists()  # the bedrijfsbureau
    assert not Report.objects.visible_to(colleague).filter(pk=report.pk).exists()
    client.force_login(colleague)
    assert client.get(reverse("intake:detail", args=[report.number])).status_code == 404
    for page in [reverse("intake:inbox"), reverse("intake:inbox") + "?q=Verborgen", reverse("intake:inbox") + f"?form={form}"]:
        content = client.get(page).content.decode()
        assert report.number not in content and "Eva van der Verborgen" not in content
    client.force_login(registrant)
    assert channels.get(form).name in client.get(reverse("intake:detail", args=[report.number])).content.decode()


def test_victim_and_suspect_end_up_in_separate_dossiers_that_do_not_link(client, house, registrant, weger):
    victim = signal(registrant, house, "mensenhandel", {"role": "slachtoffer", "exploitation": "seksueel"}, surname="Slachtoffer")
    suspect = signal(registrant, house, "mensenhandel", {"role": "vermoedelijke-dader", "exploitation": "seksueel"}, surname="Verdachte")
    victim_director, suspect_director = member(house, Role.PROCESS_DIRECTOR), member(house, Role.PROCESS_DIRECTOR)
    for report in (victim, suspect):
        intake_services.change_status(report, actor=registrant, to=ReportStatus.READY)
    session = triage_services.plan_session(
        actor=weger, house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[weger]
    )
    for report, director in [(victim, victim_director), (suspect, suspect_director)]:
        triage_services.decide(
            session.items.get(report=report),
            actor=weger,
            ave_level=3,
            outcome=Outcome.PROCESS_DIRECTION,
            criteria={"serious_local_safety"},
            reasons="Screeningsoverleg.",
            process_director=director,
        )
    victim_case, suspect_case = Case.objects.get(report=victim), Case.objects.get(report=suspect)
    assert [p.surname for p in victim_case.persons.all()] == ["Slachtoffer"]
    assert [p.surname for p in suspect_case.persons.all()] == ["Verdachte"]
    triage_services.close_session(session, actor=weger)

    for director, own, other, other_report in [
        (victim_director, victim_case, suspect_case, suspect),
        (suspect_director, suspect_case, victim_case, victim),
    ]:
        assert list(Case.objects.visible_to(director)) == [own]
        # Neither melding is part of the dossier (a separate dossier never shows the melding that may name others).
        assert not Report.objects.visible_to(director).exists()
        assert not Person.objects.visible_to(director).filter(pk__in=other.persons.all()).exists()
        client.force_login(director)
        page = client.get(reverse("cases:detail", args=[own.number])).content.decode()
        assert other.number not in page and other_report.number not in page
        assert reverse("intake:detail", args=[own.report.number]) not in page  # the timeline names it, unlinked
        assert other.persons.get().surname not in page
        assert client.get(reverse("cases:detail", args=[other.number])).status_code == 404
        assert client.get(reverse("intake:detail", args=[other_report.number])).status_code == 404


def test_the_one_person_rule_and_the_restricted_theme_are_checked_for_the_melding(house):
    details = {"role": "slachtoffer", "exploitation": "arbeid"}
    with pytest.raises(channels.DetailsError, match="precies één persoon"):
        channels.clean_details("mensenhandel", details, case_type=CaseType.objects.get(code="zoco-mensenhandel"), persons=[{}, {}])
    with pytest.raises(channels.DetailsError, match="afgeschermd thema"):
        channels.clean_details("radicalisering", {}, case_type=CaseType.objects.get(code="pga"), persons=[{}])


def test_registration_refuses_a_restricted_form_with_an_open_theme_or_two_persons(registrant, house):
    """The web form never offers it, but the API or an import could: the service is where it is refused."""
    fields = {**report_fields(), "form": "radicalisering", "requested_case_type": CaseType.objects.get(code="pga")}
    with pytest.raises(DomainError):
        intake_services.register_report(actor=registrant, house=house, fields=fields, persons=[person_data()], details=RADICALISATION)
    trafficking = channels.get("mensenhandel")
    fields = {**report_fields(), "form": "mensenhandel", "requested_case_type": CaseType.objects.get(code=trafficking.case_type)}
    with pytest.raises(DomainError):
        intake_services.register_report(
            actor=registrant,
            house=house,
            fields=fields,
            details=VICTIM,
            persons=[person_data(), person_data(first_names="Piet", surname="Dader")],
        )
    assert not Report.objects.exists()


def test_a_restricted_melding_cannot_be_given_an_open_theme_later(registrant, house):
    report = signal(registrant, house, "radicalisering", RADICALISATION, "Jansen")
    with pytest.raises(DomainError):
        intake_services.update_report(
            report, actor=registrant, expected_version=report.version, fields={"requested_case_type": CaseType.objects.get(code="pga")}
        )
    report.refresh_from_db()
    assert report.requested_case_type.restricted
