"""Detention notices and nazorg: the handover to the gemeente when the weegtafel opens no case, and the signal
"Vrijlating binnen 14 dagen zonder plan"."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.deadlines import registry
from spil.intake import channels, nazorg
from spil.intake import services as intake_services
from spil.intake.models import Handover, ReportStatus
from spil.intake.nazorg import RELEASE_WITHOUT_PLAN, detect_release_without_plan, hand_over_to_municipality
from spil.logbook.models import Action, ProcessingRecord
from spil.organisations.models import Role
from spil.plans import services as plan_services
from spil.testing.factories import MunicipalityFactory, member, person_data, report_fields
from spil.triage import services as triage_services
from spil.triage.models import Outcome

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 9))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def fixed_now():
    with clock.travel_to(NOW):
        yield


def notice(actor, house, *, release_in=30, case_type="nazorg", municipality=None, **details):
    values = {
        "article": "art-18",
        "establishment": "PI Limburg Zuid",
        "detention_start": (TODAY - datetime.timedelta(days=300)).isoformat(),
        "expected_release": (TODAY + datetime.timedelta(days=release_in)).isoformat(),
        "offence_category": "anders",
        "adult": True,
    }
    values.update(details)
    return intake_services.register_report(
        actor=actor,
        house=house,
        details=values,
        persons=[person_data(municipality=municipality or house.municipalities.first())],
        fields={**report_fields(), "form": channels.DETENTION, "requested_case_type": CaseType.objects.get(code=case_type)},
    )


def weigh(report, actor, outcome=Outcome.LOCAL, **decision):
    """The weegtafel decides on the melding (the actor plans the table and decides)."""
    intake_services.change_status(report, actor=actor, to=ReportStatus.READY)
    session = triage_services.plan_session(
        actor=actor, house=report.house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[actor]
    )
    if outcome in {Outcome.LOCAL, Outcome.PARTNER, Outcome.OTHER_REGION}:
        decision.setdefault("routed_to", "Gemeente Heerlen")
    if outcome == Outcome.PROCESS_DIRECTION:
        decision.setdefault("criteria", {"multiple_life_domains"})
    triage_services.decide(session.items.get(report=report), actor=actor, ave_level=3, outcome=outcome, reasons="Besproken.", **decision)
    report.refresh_from_db()
    return report


@pytest.fixture
def table(house):
    """Intake, bedrijfsbureau, weger and procesregisseur in one: someone who can take a notice through the table."""
    return member(house, Role.INTAKE, Role.BACK_OFFICE, Role.TRIAGE, Role.PROCESS_DIRECTOR)


# --- handover ---------------------------------------------------------------------------------------------------


def test_a_weighed_notice_without_a_case_is_handed_over_to_the_gemeente(house, table, intake_worker):
    report = weigh(notice(table, house), table)
    heerlen = house.municipalities.get()
    updates = ProcessingRecord.objects.filter(object_ref=report.number, action=Action.UPDATE)
    logged_before = updates.count()
    handover = hand_over_to_municipality(report, actor=intake_worker, municipality=heerlen, reason="  Enkelvoudige vraag over woonruimte. ")
    assert (handover.report, handover.municipality, handover.reason, handover.handed_over_by) == (
        report,
        heerlen,
        "Enkelvoudige vraag over woonruimte.",
        intake_worker,
    )
    assert handover.handed_over_at == NOW
    assert report.events.last().text == "Nazorg overgedragen aan de gemeente Heerlen: Enkelvoudige vraag over woonruimte."
    assert updates.count() == logged_before + 1  # one person, one line in the processing log


@pytest.mark.parametrize(
    "situation, message",
    [
        ("general form", "Alleen een detentiemelding"),
        ("not weighed", "eerst gewogen"),
        ("case opened", "casus geopend"),
        ("handed over", "al aan de gemeente overgedragen"),
    ],
)
def test_a_handover_only_for_a_weighed_detention_notice_without_a_case(house, table, situation, message):
    heerlen = house.municipalities.get()
    if situation == "general form":
        report = weigh(intake_services.register_report(actor=table, house=house, fields=report_fields(), persons=[person_data()]), table)
    elif situation == "not weighed":
        report = notice(table, house)
    elif situation == "case opened":
        report = weigh(notice(table, house), table, outcome=Outcome.PROCESS_DIRECTION, process_director=table)
    else:
        report = weigh(notice(table, house), table)
        hand_over_to_municipality(report, actor=table, municipality=heerlen, reason="Eerste keer.")
    with pytest.raises(IllegalTransition, match=message):
        hand_over_to_municipality(report, actor=table, municipality=heerlen, reason="Overdracht.")
    assert Handover.objects.count() == (1 if situation == "handed over" else 0)


def test_a_handover_needs_a_reason_a_gemeente_of_the_house_and_the_role(house, other_house, table):
    report = weigh(notice(table, house), table)
    with pytest.raises(DomainError, match="Geef de reden"):
        hand_over_to_municipality(report, actor=table, municipality=house.municipalities.get(), reason="  ")
    with pytest.raises(DomainError, match="Kies een gemeente van ZVH Parkstad"):
        hand_over_to_municipality(report, actor=table, municipality=other_house.municipalities.get(), reason="Verhuisd.")
    with pytest.raises(PermissionDenied):
        hand_over_to_municipality(report, actor=member(house, Role.PROCESS_DIRECTOR), municipality=house.municipalities.get(), reason="x")
    assert not Handover.objects.exists()


def test_the_handover_through_the_melding_page(client, house, table, intake_worker):
    kerkrade = MunicipalityFactory(name="Kerkrade", house=house)
    report = weigh(notice(table, house, municipality=kerkrade), table)
    client.force_login(intake_worker)
    page = client.get(reverse("intake:detail", args=[report.number])).content.decode()
    assert reverse("intake:handover", args=[report.number]) in page
    form_page = client.get(reverse("intake:handover", args=[report.number]))
    assert form_page.context["form"].fields["municipality"].initial == kerkrade.pk  # where the person lives
    response = client.post(reverse("intake:handover", args=[report.number]), {"municipality": kerkrade.pk, "reason": ""})
    assert "Dit veld is verplicht." in response.content.decode() and not Handover.objects.exists()
    response = client.post(reverse("intake:handover", args=[report.number]), {"municipality": kerkrade.pk, "reason": "Enkelvoudig."})
    assert response.status_code == 302
    page = client.get(reverse("intake:detail", args=[report.number])).content.decode()
    assert "Overgedragen aan de gemeente <strong>Kerkrade</strong>" in page and "Enkelvoudig." in page
    assert reverse("intake:handover", args=[report.number]) not in page
    # Asking again explains why not, on the melding.
    response = client.get(reverse("intake:handover", args=[report.number]), follow=True)
    assert "al aan de gemeente overgedragen" in response.content.decode()


def test_the_melding_page_says_how_the_nazorg_stands(client, house, table, weger):
    client.force_login(weger)  # bedrijfsbureau
    waiting = notice(table, house)
    assert "Nog geen besluit" in client.get(reverse("intake:detail", args=[waiting.number])).content.decode()
    taken_up = weigh(notice(table, house), table, outcome=Outcome.PROCESS_DIRECTION, process_director=table)
    assert "Het ZVH heeft de nazorg opgepakt" in client.get(reverse("intake:detail", args=[taken_up.number])).content.decode()
    client.force_login(member(house, Role.INTAKE))
    page = client.get(reverse("intake:detail", args=[weigh(notice(table, house), table).number])).content.decode()
    assert "Overdragen aan de gemeente" in page


# --- the release signal -------------------------------------------------------------------------------------------


def detected(now=NOW):
    return {item.key: item for item in detect_release_without_plan(now)}


def key(report):
    return f"{RELEASE_WITHOUT_PLAN.code}:{report.pk}"


def test_the_signal_is_registered():
    assert registry.kinds()[RELEASE_WITHOUT_PLAN.code].label == "Vrijlating binnen 14 dagen zonder plan"


def test_the_signal_fires_from_14_days_before_release_to_the_intake_and_bedrijfsbureau(house, table, intake_worker, weger, regisseur):
    report = notice(table, house, release_in=20)
    assert key(report) not in detected()
    assert key(report) not in detected(NOW + datetime.timedelta(days=5))  # 15 days before
    signal = detected(NOW + datetime.timedelta(days=6))[key(report)]  # 14 days before
    assert signal.title == f"Detentiemelding {report.number}: vrijlating binnen 14 dagen zonder plan"
    assert signal.due.date() == TODAY + datetime.timedelta(days=20)
    assert signal.url == reverse("intake:detail", args=[report.number])
    assert signal.recipients == {table.pk, intake_worker.pk, weger.pk}  # not the procesregisseur without a case
    assert signal.case_id is None
    # After the release it stays for a while, then it is history.
    assert detected(NOW + datetime.timedelta(days=21))[key(report)].title.endswith("vrijgelaten zonder plan")
    assert key(report) in detected(NOW + datetime.timedelta(days=20 + nazorg.AFTER_RELEASE_DAYS))
    assert key(report) not in detected(NOW + datetime.timedelta(days=21 + nazorg.AFTER_RELEASE_DAYS))


def test_other_forms_never_signal(house, table):
    intake_services.register_report(
        actor=table,
        house=house,
        fields=report_fields(),
        persons=[person_data()],
    )
    assert detected() == {}


def test_the_signal_resolves_when_a_plan_exists_and_tells_the_procesregisseur_until_then(house, table):
    director = member(house, Role.PROCESS_DIRECTOR)
    report = weigh(notice(table, house, release_in=10), table, outcome=Outcome.PROCESS_DIRECTION, process_director=director)
    assert director.pk in detected()[key(report)].recipients  # a case, but no plan yet
    plan_services.start_plan(report.cases.get(), actor=director)
    assert key(report) not in detected()


def test_a_handover_or_a_decision_elsewhere_resolves_it_but_routing_to_the_gemeente_waits_for_the_handover(house, table):
    local = weigh(notice(table, house, release_in=3), table, outcome=Outcome.LOCAL)
    nothing = weigh(notice(table, house, release_in=3), table, outcome=Outcome.NO_ACTION)
    partner = weigh(notice(table, house, release_in=3), table, outcome=Outcome.PARTNER)
    assert set(detected()) == {key(local)}
    hand_over_to_municipality(local, actor=table, municipality=house.municipalities.get(), reason="Lokaal.")
    assert detected() == {}
    assert {nothing.status, partner.status} == {ReportStatus.TRIAGED}


def test_a_restricted_theme_is_signalled_only_to_its_registrant_and_the_bedrijfsbureau(house, weger):
    registrant, colleague = member(house, Role.INTAKE), member(house, Role.INTAKE)
    report = notice(registrant, house, release_in=5, case_type="pga-radicalisering")
    assert detected()[key(report)].recipients == {registrant.pk, weger.pk}
    assert colleague.pk not in detected()[key(report)].recipients


def test_the_release_date_is_compared_in_sql_for_many_notices(house, table, django_assert_max_num_queries):
    for days in range(0, 40, 4):
        notice(table, house, release_in=days)
    with django_assert_max_num_queries(3):
        assert len(detect_release_without_plan(NOW)) == 4  # 0, 4, 8 and 12 days
