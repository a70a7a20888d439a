"""Forwarding a melding to another house: offer with a reason, accept or decline there, and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.intake import forwarding as forwarding_services
from spil.intake import services as intake_services
from spil.intake.models import Forwarding, ForwardingStatus, Report, ReportStatus
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.testing.factories import member
from spil.timeline.models import EventKind
from spil.triage import services as triage_services

from .routing_world import limburg_fixture  # noqa: F401 (the fixture `limburg`)

pytestmark = pytest.mark.django_db


def sees(user, report) -> bool:
    return Report.objects.visible_to(user).filter(pk=report.pk).exists()


def sees_forwarding(user, forwarding) -> bool:
    from spil.access import policy

    return policy.visible_forwardings(Forwarding.objects.filter(pk=forwarding.pk), user).exists()


@pytest.fixture
def offered(limburg):
    """A Noord-Limburg melding about a Venlo resident who moved to Roermond, offered to Midden-Limburg."""
    creator = limburg.intake_noord
    report = limburg.register(creator, house=limburg.noord, municipality="Venlo")
    forwarding = forwarding_services.forward(
        report, actor=creator, to_house=limburg.midden, reason="Betrokkene woont sinds kort in Roermond."
    )
    return report, forwarding


def test_an_offer_lets_the_receiving_house_see_the_melding_and_nobody_else(limburg, offered):
    report, forwarding = offered
    colleague_noord = member(limburg.noord, Role.INTAKE)
    assert forwarding.status == ForwardingStatus.PENDING and forwarding.from_house == limburg.noord
    assert sees(limburg.intake_midden, report) and sees(member(limburg.midden, Role.BACK_OFFICE), report)
    assert sees(colleague_noord, report)  # still Noord-Limburg's until Midden-Limburg decides
    third = [limburg.loket, limburg.intake_gelderland, member(limburg.midden, Role.PROCESS_DIRECTOR), member(limburg.midden, Role.TRIAGE)]
    for user in third:
        assert not sees(user, report)
        assert not sees_forwarding(user, forwarding)
    assert sees_forwarding(limburg.intake_midden, forwarding) and sees_forwarding(colleague_noord, forwarding)
    line = report.events.get(kind=EventKind.FORWARDED)
    assert (
        line.text == "Aangeboden aan ZVH Midden-Limburg door ZVH Noord-Limburg "
        f"({limburg.intake_noord.get_full_name()}): Betrokkene woont sinds kort in Roermond."
    )


def test_the_receiving_house_is_told_in_mijn_werk(limburg, offered):
    report, _ = offered
    notification = limburg.intake_midden.notifications.get()
    assert notification.text == f"ZVH Noord-Limburg biedt melding {report.number} aan uw huis aan."
    assert notification.url == "/meldingen/doorgezonden/?richting=in"
    assert not limburg.loket.notifications.exists()


def test_an_offer_is_a_disclosure_in_the_processing_and_audit_logs(limburg, offered):
    report, _ = offered
    person = report.persons.get()
    export = ProcessingRecord.objects.get(subject=subject_of(person), action=Action.EXPORT)
    assert export.object_ref == report.number
    granted = AuditRecord.objects.get(event=AuditEvent.ACCESS_GRANTED)
    assert granted.detail == f"{report.number}: aangeboden aan ZVH Midden-Limburg"
    assert "Roermond" not in granted.detail  # the audit log is permanent: never the free-text reason


def test_accepting_moves_the_melding_to_the_receiving_house(limburg, offered):
    report, forwarding = offered
    colleague_noord = member(limburg.noord, Role.INTAKE)
    version = report.version
    forwarding_services.accept(forwarding, actor=limburg.intake_midden, note="Wij nemen het over.")
    report.refresh_from_db()
    forwarding.refresh_from_db()
    assert report.house == limburg.midden and report.intake_region is None and report.version == version + 1
    assert forwarding.status == ForwardingStatus.ACCEPTED and forwarding.decided_by == limburg.intake_midden
    assert forwarding.decision_note == "Wij nemen het over."
    assert sees(member(limburg.midden, Role.INTAKE), report)
    assert not sees(colleague_noord, report)  # it is no longer Noord-Limburg's
    assert sees_forwarding(colleague_noord, forwarding)  # but the offer's outcome is
    # Both sides read the same timeline: the one who registered it still sees the melding and its lines.
    lines = list(Report.objects.visible_to(limburg.intake_noord).get(pk=report.pk).events.filter(kind=EventKind.FORWARDED))
    assert [line.text.split(" (")[0] for line in lines] == [
        "Aangeboden aan ZVH Midden-Limburg door ZVH Noord-Limburg",
        "Doorzending geaccepteerd door ZVH Midden-Limburg",
    ]
    assert lines[1].text.endswith("de melding hoort nu bij ZVH Midden-Limburg. Wij nemen het over.")
    assert limburg.intake_noord.notifications.get().text == f"ZVH Midden-Limburg heeft melding {report.number} geaccepteerd."


def test_accepting_takes_the_melding_off_the_old_houses_weegtafel(limburg):
    planner = member(limburg.noord, Role.BACK_OFFICE)
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    intake_services.change_status(report, actor=limburg.intake_noord, to=ReportStatus.READY)
    session = triage_services.plan_session(actor=planner, house=limburg.noord, starts_at=clock.now() + datetime.timedelta(days=8))
    assert session.items.filter(report=report).exists()
    forwarding = forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    forwarding_services.accept(forwarding, actor=limburg.intake_midden)
    assert not session.items.filter(report=report).exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY  # ready for the weegtafel of its new house
    midden_session = triage_services.plan_session(
        actor=member(limburg.midden, Role.BACK_OFFICE), house=limburg.midden, starts_at=clock.now() + datetime.timedelta(days=8)
    )
    assert midden_session.items.filter(report=report).exists()


def test_declining_keeps_the_melding_where_it_was(limburg, offered):
    report, forwarding = offered
    with pytest.raises(DomainError, match="Geef de reden"):
        forwarding_services.decline(forwarding, actor=limburg.intake_midden, reason="  ")
    forwarding_services.decline(forwarding, actor=limburg.intake_midden, reason="Staat nog ingeschreven in Venlo.")
    report.refresh_from_db()
    forwarding.refresh_from_db()
    assert report.house == limburg.noord and forwarding.status == ForwardingStatus.DECLINED
    assert forwarding.decision_note == "Staat nog ingeschreven in Venlo."
    assert not sees(limburg.intake_midden, report)  # the offer is over
    assert sees_forwarding(limburg.intake_midden, forwarding)
    line = report.events.filter(kind=EventKind.FORWARDED).last()
    assert line.text.startswith("Doorzending afgewezen door ZVH Midden-Limburg")
    assert line.text.endswith("Staat nog ingeschreven in Venlo. De melding blijft bij ZVH Noord-Limburg.")
    # Now it may be offered again, elsewhere.
    forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.gelderland, reason="Levensloop, Gelderland")


def test_only_the_receiving_house_decides_once(limburg, offered):
    report, forwarding = offered
    for outsider in [limburg.intake_noord, limburg.loket, member(limburg.midden, Role.PROCESS_DIRECTOR)]:
        with pytest.raises(PermissionDenied):
            forwarding_services.accept(forwarding, actor=outsider)
        with pytest.raises(PermissionDenied):
            forwarding_services.decline(forwarding, actor=outsider, reason="Nee")
    forwarding_services.accept(forwarding, actor=member(limburg.midden, Role.BACK_OFFICE))
    with pytest.raises(IllegalTransition, match="al besloten"):
        forwarding_services.accept(forwarding, actor=limburg.intake_midden)
    with pytest.raises(IllegalTransition, match="al besloten"):
        forwarding_services.decline(forwarding, actor=limburg.intake_midden, reason="Toch niet")


def test_forwarding_rules(limburg, offered):
    report, _ = offered
    with pytest.raises(IllegalTransition, match="al aangeboden aan ZVH Midden-Limburg"):
        forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.gelderland, reason="Ander huis")
    fresh = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    with pytest.raises(DomainError, match="Geef de reden"):
        forwarding_services.forward(fresh, actor=limburg.intake_noord, to_house=limburg.midden, reason="")
    with pytest.raises(DomainError, match="hoort al bij ZVH Noord-Limburg"):
        forwarding_services.forward(fresh, actor=limburg.intake_noord, to_house=limburg.noord, reason="Hier")
    for outsider in [limburg.intake_midden, member(limburg.noord, Role.PROCESS_DIRECTOR), limburg.loket]:
        with pytest.raises(PermissionDenied):
            forwarding_services.forward(fresh, actor=outsider, to_house=limburg.midden, reason="Verhuisd")
    intake_services.change_status(fresh, actor=limburg.intake_noord, to=ReportStatus.READY)
    intake_services.mark_triaged(fresh, actor=limburg.intake_noord)
    with pytest.raises(IllegalTransition, match="gewogen"):
        forwarding_services.forward(fresh, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    assert not fresh.forwardings.exists()


def test_a_melding_weighed_while_offered_can_no_longer_be_accepted(limburg, offered):
    report, forwarding = offered
    intake_services.change_status(report, actor=limburg.intake_noord, to=ReportStatus.READY)
    intake_services.mark_triaged(report, actor=limburg.intake_noord)
    with pytest.raises(IllegalTransition, match="intussen gewogen"):
        forwarding_services.accept(forwarding, actor=limburg.intake_midden)
    forwarding_services.decline(forwarding, actor=limburg.intake_midden, reason="Is al gewogen")


def test_a_restricted_theme_is_offered_to_the_receiving_bedrijfsbureau_only(limburg):
    back_office_noord = member(limburg.noord, Role.BACK_OFFICE)
    back_office_midden = member(limburg.midden, Role.BACK_OFFICE)
    report = limburg.register(back_office_noord, house=limburg.noord, municipality="Venlo", case_type="pga-radicalisering")
    forwarding = forwarding_services.forward(report, actor=back_office_noord, to_house=limburg.midden, reason="Verhuisd")
    assert sees(back_office_midden, report) and not sees(limburg.intake_midden, report)
    assert sees_forwarding(back_office_midden, forwarding) and not sees_forwarding(limburg.intake_midden, forwarding)
    assert back_office_midden.notifications.exists() and not limburg.intake_midden.notifications.exists()


def test_a_melding_forwarded_into_a_region_joins_its_loket(limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding = forwarding_services.forward(
        report, actor=limburg.intake_noord, to_house=limburg.maastricht, reason="Verhuisd naar Maastricht"
    )
    assert not sees(limburg.loket, report)  # offered to Maastricht-Heuvelland, whose own intake decides
    forwarding_services.accept(forwarding, actor=member(limburg.maastricht, Role.INTAKE))
    report.refresh_from_db()
    assert report.intake_region == limburg.zuid
    assert sees(limburg.loket, report)


def test_the_offers_waiting_count_is_the_visible_pending_offers_to_the_deciding_houses(limburg):
    from spil.access import policy

    back_office_noord = member(limburg.noord, Role.BACK_OFFICE)
    back_office_midden = member(limburg.midden, Role.BACK_OFFICE)
    # Intake in the receiving house and bedrijfsbureau in the sending one: sees a restricted offer through the latter.
    both = member(limburg.noord, Role.BACK_OFFICE, user=member(limburg.midden, Role.INTAKE))
    for case_type in ("levensloop", "pga-radicalisering"):
        report = limburg.register(back_office_noord, house=limburg.noord, municipality="Venlo", case_type=case_type)
        forwarding_services.forward(report, actor=back_office_noord, to_house=limburg.midden, reason="Verhuisd")
    declined = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    offer = forwarding_services.forward(declined, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    forwarding_services.decline(offer, actor=back_office_midden, reason="Hoort hier niet")
    expected = {limburg.intake_midden: 1, back_office_midden: 2, both: 2, limburg.intake_noord: 0, back_office_noord: 0}
    expected[member(limburg.midden, Role.TRIAGE)] = 0
    for user, count in expected.items():
        houses = policy.member_house_ids(user, policy.ACTION_ROLES["report.forward"])
        pending = Forwarding.objects.filter(status=ForwardingStatus.PENDING, to_house__in=houses)
        assert policy.offers_waiting(user) == policy.visible_forwardings(pending, user).count() == count, user
