import datetime
import random

import pytest
from django.utils import timezone

from spil.demo.extensions import Context
from spil.monitor import demo
from spil.monitor.models import ManagementText
from spil.organisations.models import Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def test_demo_writes_the_text_of_the_last_half_year_that_ended_never_later_than_now(house):
    now = timezone.make_aware(datetime.datetime(2026, 3, 15, 9))
    ctx = Context(random.Random(1), now, "test", {"manager": member(house, Role.MANAGER)}, {"parkstad": house}, lambda *a: None)
    demo.build(ctx)
    text = ManagementText.objects.get()
    assert (text.house, text.year, text.half) == (house, 2025, 2)
    assert text.updated_at <= now
    assert demo.counts() == {"managementteksten halfjaarrapportage": 1}
