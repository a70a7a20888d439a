import datetime
import random

import pytest

from spil.core import clock
from spil.demo import generator
from spil.demo.extensions import Context
from spil.organisations.models import Role
from spil.topx import demo, services
from spil.topx.detectors import detect_outdated_lists
from spil.topx.models import TopXList

pytestmark = pytest.mark.django_db


def test_demo_builds_a_current_heerlen_list_with_history_and_an_outdated_kerkrade_list(
    bureau, regisseur, house, heerlen, kerkrade, open_pga
):
    now = clock.now()
    for days_ago, municipality in [
        (300, heerlen),
        (280, heerlen),
        (260, kerkrade),
        (250, heerlen),
        (150, heerlen),
        (40, heerlen),
        (230, kerkrade),
    ]:
        with clock.travel_to(now - datetime.timedelta(days=days_ago)):
            open_pga(f"Demo{days_ago}", municipality=municipality)
    ctx = Context(
        rng=random.Random(7),
        now=now,
        size="test",
        users={"bedrijfsbureau": bureau, "regisseur": regisseur},
        houses={"parkstad": house},
        log=lambda message: None,
    )

    demo.build(ctx)

    heerlen_list = TopXList.objects.get(municipality=heerlen)
    assert heerlen_list.rankings.count() == 3
    assert all(ranking.meeting.meeting_type.code == "top-x-overleg" and ranking.meeting.held_at for ranking in heerlen_list.rankings.all())
    assert services.current_ranking(heerlen_list).entries.count() >= 3
    assert max(heerlen_list.rankings.values_list("decided_at", flat=True)) <= now
    kerkrade_list = TopXList.objects.get(municipality=kerkrade)
    [signal] = detect_outdated_lists(now)
    assert signal.key.startswith(f"topx.list-outdated:{kerkrade_list.pk}:") and kerkrade_list.rankings.count() == 1
    assert demo.counts() == {"Top-X-lijsten": 2, "Top-X-besluiten": 4}


def test_demo_account_of_the_oov_officer_of_heerlen(db):
    houses, _, partners = generator.ensure_organisations()
    users = generator.ensure_accounts(houses, partners)
    membership = users["oov-heerlen"].memberships.get()
    assert (membership.role, membership.house.code, membership.municipality.name) == (Role.OOV_OFFICER, "parkstad", "Heerlen")
