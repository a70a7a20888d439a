"""The intake inbox lists the first meldingen in the chosen order, newest first by default, up to a limit."""

import datetime

import pytest
from django.urls import reverse

from spil.core import clock
from spil.testing.factories import register_report

pytestmark = pytest.mark.django_db


def test_a_long_inbox_lists_the_newest_and_asks_for_filters(client, intake_worker, house, monkeypatch):
    monkeypatch.setattr("spil.intake.views.INBOX_LIMIT", 2)
    today = clock.today()
    oldest, middle, newest = (
        register_report(intake_worker, house, received_on=today - datetime.timedelta(days=days)) for days in (3, 2, 1)
    )
    client.force_login(intake_worker)
    page = client.get(reverse("intake:inbox")).content.decode()
    assert "Meer dan 2 meldingen" in page
    assert newest.number in page and middle.number in page and oldest.number not in page
    page = client.get(reverse("intake:inbox"), {"received_until": (today - datetime.timedelta(days=3)).isoformat()}).content.decode()
    assert "1 melding<" in page and oldest.number in page
