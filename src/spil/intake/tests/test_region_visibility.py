"""Who sees a region's meldingen: the central loket until the weegtafel decides, nobody of another region."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from spil.access import policy
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing.factories import PartnerFactory, member

from .routing_world import limburg_fixture  # noqa: F401 (the fixture `limburg`)

pytestmark = pytest.mark.django_db


def sees(user, report) -> bool:
    return Report.objects.visible_to(user).filter(pk=report.pk).exists()


def sees_persons(user, report) -> bool:
    """Whether the user may see the melding's persons (the person search, their page): through the melding alone here."""
    return set(report.persons.all()) <= set(Person.objects.visible_to(user))


def test_the_loket_sees_the_regions_meldingen_until_they_are_weighed(limburg):
    colleague = member(limburg.maastricht, Role.INTAKE)
    report = limburg.register(colleague, house=limburg.maastricht, municipality="Maastricht")
    assert sees(limburg.loket, report)
    intake_services.change_status(report, actor=colleague, to=ReportStatus.ENRICHING)
    assert sees(limburg.loket, report)
    intake_services.change_status(report, actor=colleague, to=ReportStatus.READY)
    assert sees(limburg.loket, report) and sees_persons(limburg.loket, report)
    intake_services.mark_triaged(report, actor=colleague)
    assert not sees(limburg.loket, report) and not sees_persons(limburg.loket, report)
    assert sees(colleague, report) and sees_persons(colleague, report)  # the house's own intake keeps it


def test_the_loket_works_on_the_regions_meldingen(limburg):
    report = limburg.register(member(limburg.maastricht, Role.INTAKE), house=limburg.maastricht, municipality="Maastricht")
    intake_services.request_enrichment(
        report, actor=limburg.loket, partner=PartnerFactory(), question="Bekend?", requested_on=clock.today()
    )
    intake_services.change_status(report, actor=limburg.loket, to=ReportStatus.READY)
    assert report.status == ReportStatus.READY


def test_restricted_themes_stay_with_their_creator_and_the_bedrijfsbureau(limburg):
    creator = member(limburg.maastricht, Role.INTAKE)
    back_office = member(limburg.maastricht, Role.BACK_OFFICE)
    report = limburg.register(creator, house=limburg.maastricht, municipality="Maastricht", case_type="pga-radicalisering")
    assert sees(creator, report) and sees(back_office, report)
    assert not sees(limburg.loket, report)
    assert not sees(member(limburg.maastricht, Role.INTAKE), report)


def test_nobody_of_another_region_or_a_house_without_one_sees_them(limburg, house):
    report = limburg.register(limburg.loket, region=limburg.zuid, municipality="Maastricht")
    outsiders = [
        limburg.intake_noord,
        limburg.intake_midden,
        limburg.intake_gelderland,
        member(limburg.noord, Role.BACK_OFFICE),
        member(limburg.midden, Role.BACK_OFFICE),
        member(house, Role.TRIAGE),
        member(house, Role.PROCESS_DIRECTOR),
    ]
    for outsider in outsiders:
        assert not sees(outsider, report)
    # The bedrijfsbureau of another house of the region has no reason either: the loket is the intake.
    assert not sees(member(limburg.westelijke_mijnstreek, Role.BACK_OFFICE), report)


def test_a_melding_routed_out_of_the_region_leaves_the_loket(limburg):
    report = limburg.register(limburg.intake_noord, region=limburg.noord_region, municipality="Mook en Middelaar", case_type="levensloop")
    assert report.house == limburg.gelderland
    assert sees(limburg.intake_gelderland, report)
    assert sees(limburg.intake_noord, report)  # who registered it
    assert not sees(member(limburg.noord, Role.INTAKE), report)  # a colleague at the loket of Noord-Limburg


def test_the_loket_may_enrich_the_regions_houses_but_not_others(limburg):
    assert set(policy.houses_for(limburg.loket, "report.enrich")) == {limburg.parkstad, limburg.westelijke_mijnstreek, limburg.maastricht}
    assert set(policy.houses_for(limburg.loket, "report.register")) == {limburg.parkstad, limburg.westelijke_mijnstreek, limburg.maastricht}
    assert set(policy.houses_for(limburg.intake_noord, "report.register")) == {limburg.noord, limburg.gelderland}
    assert set(policy.houses_for(limburg.intake_noord, "report.enrich")) == {limburg.noord}
    # Forwarding and deciding on offers stay with the house itself.
    assert set(policy.houses_for(limburg.loket, "report.forward")) == {limburg.parkstad}
    report = limburg.register(limburg.intake_gelderland, house=limburg.gelderland, municipality="Nijmegen")
    with pytest.raises(PermissionDenied):
        intake_services.change_status(report, actor=limburg.intake_noord, to=ReportStatus.READY)


def test_the_inbox_lists_the_regions_meldingen_for_the_loket_only(client, limburg):
    report = limburg.register(
        member(limburg.maastricht, Role.INTAKE),
        house=limburg.maastricht,
        municipality="Maastricht",
        received_on=clock.today() - datetime.timedelta(days=1),
    )
    client.force_login(limburg.loket)
    assert report.number in client.get("/meldingen/").content.decode()
    client.force_login(limburg.intake_noord)
    assert report.number not in client.get("/meldingen/").content.decode()
