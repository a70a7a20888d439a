"""The demo's regional intake: the Zuid-Limburg loket serving three houses, Mook en Middelaar's routing rules and
forwardings between houses."""

import pytest

from spil.intake.models import Forwarding, ForwardingStatus, Report
from spil.organisations.models import House, IntakeRegion, RoutingRule

from .test_demo_data import demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_zuid_limburg_loket_the_rules_and_the_forwardings(demo):  # noqa: F811
    zuid = IntakeRegion.objects.get(code="zuid-limburg")
    assert set(zuid.houses.values_list("code", flat=True)) == {"parkstad", "westelijke-mijnstreek", "maastricht-heuvelland"}
    assert House.objects.get(code="midden-limburg").intake_region is None
    assert all(House.objects.values_list("contact", flat=True))
    assert RoutingRule.objects.filter(municipality__name="Mook en Middelaar", house__code="gelderland-zuid").count() == 10
    # The loket (one membership, in Parkstad) registered for the other houses of the region through the rules.
    via_loket = Report.objects.filter(created_by__username="loket")
    assert set(via_loket.values_list("house__code", flat=True)) == {"parkstad", "westelijke-mijnstreek", "maastricht-heuvelland"}
    assert via_loket.filter(routing_note__startswith="Keuze intake: Geen vaste woonplaats").exists()
    assert Report.objects.get(routing_note__startswith="Regel: Mook en Middelaar").house.code == "gelderland-zuid"
    assert Report.objects.get(routing_note__startswith="Strafrechtelijk kader").house.code == "noord-limburg"
    # History meldingen of the Zuid-Limburg houses came in through the loket.
    assert not Report.objects.filter(house__intake_region=zuid, intake_region__isnull=True).exists()
    assert set(Forwarding.objects.values_list("status", flat=True)) == set(ForwardingStatus.values)
    pending = Forwarding.objects.get(status=ForwardingStatus.PENDING)
    assert pending.to_house.code == "gelderland-zuid" and Report.objects.visible_to(pending.report.created_by).exists()
