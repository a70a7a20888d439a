"""The demo has partner API clients that did their work through the services, with fixed demo tokens."""

import pytest
from rest_framework.test import APIClient

from spil.api.demo import demo_token
from spil.api.models import ApiClient
from spil.demo import generator
from spil.intake.models import Channel, Report
from spil.plans.models import ActionUpdate
from spil.timeline.models import Event


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path)
    return generator.generate("test", log=lambda *args: None)


def test_the_demo_clients_submitted_reported_and_decided(demo):
    clients = {client.client_id: client for client in ApiClient.objects.all()}
    assert set(clients) == {"politie-parkstad", "reclassering-limburg", "zsm-limburg"}
    assert Report.objects.filter(created_by=clients["politie-parkstad"].user, channel=Channel.SYSTEM).count() == 3
    assert ActionUpdate.objects.filter(actor=clients["reclassering-limburg"].user).exists()
    assert Event.objects.filter(actor=clients["zsm-limburg"].user, text__startswith="ZSM-beslissing").exists()

    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {demo_token('politie-parkstad')}")
    assert http.get("/api/v1/meldingen").json()["count"] == 3
