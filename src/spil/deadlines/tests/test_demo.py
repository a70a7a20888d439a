"""The demo shows live signals: a running huisverbod (one extended), stagnating cases, and signals in Mijn werk."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from spil.core import clock
from spil.deadlines import detectors
from spil.deadlines.models import ExtensionDecision, Measure, Signal
from spil.demo import generator

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return generator.generate("test", log=lambda message: None)


def test_demo_has_huisverboden_and_live_signals_for_the_demo_accounts(demo, client):
    measures = list(Measure.objects.select_related("case"))
    assert len(measures) == 2 and all(m.is_running() for m in measures)
    assert {m.decision for m in measures} == {"", ExtensionDecision.EXTENDED}
    assert all(m.recorded_at <= clock.now() and m.imposed_at <= clock.now() for m in measures)

    signals = Signal.objects.open()
    assert signals.filter(kind=detectors.MEASURE_DECISION.code).count() == 1
    assert signals.filter(kind=detectors.MEASURE_ENDS.code).count() == 2  # both huisverboden end within three days
    stagnating = signals.filter(kind=detectors.STAGNATION.code)
    assert stagnating.filter(recipients__username="regisseur", case__case_director__username="casusregisseur").exists()
    assert stagnating.filter(recipients__username="bedrijfsbureau", case__process_director__isnull=True).exists()

    for username in ["regisseur", "casusregisseur", "bedrijfsbureau"]:
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(reverse("web:my-work"))
        assert response.context["signal_counts"]["total"] > 0, username
