"""Signal "topx.list-outdated": a Top-X list must be renewed at least twice a year.

A list whose latest ranking is older than six months (or that was never ranked) gives a signal to the
bedrijfsbureau and the procesregisseurs of its house, from `lead_days` before the six months are up. The key names
the latest ranking, so each renewal round is its own signal and a new ranking resolves it.
"""

import datetime
from collections import defaultdict

from django.db.models import Max, Q, Subquery
from django.utils import timezone

from spil.deadlines.registry import Detected, Kind, link_to
from spil.organisations.models import Membership, Role
from spil.topx.models import TopXList
from spil.topx.services import RENEWAL_MONTHS, latest_ranking_id, months_later, renewal_due

KIND = Kind("topx.list-outdated", "Top-X-lijst moet worden herijkt", lead_days=14)
RECIPIENT_ROLES = (Role.BACK_OFFICE, Role.PROCESS_DIRECTOR)


def detect_outdated_lists(now: datetime.datetime) -> list[Detected]:
    # Due at (last decision + 6 months); shown from lead_days before: last decision <= now + lead - 6 months.
    threshold = months_later(now + datetime.timedelta(days=KIND.lead_days), -RENEWAL_MONTHS)
    lists = list(
        TopXList.objects.annotate(last_decided_at=Max("rankings__decided_at"), latest_ranking=Subquery(latest_ranking_id("pk")))
        .filter(Q(last_decided_at__isnull=True) | Q(last_decided_at__lte=threshold))
        .order_by("pk")
    )
    recipients = defaultdict(set)
    memberships = Membership.objects.filter(house__in={topx_list.house_id for topx_list in lists}, role__in=RECIPIENT_ROLES)
    for house_id, user_id in memberships.values_list("house_id", "user_id"):
        recipients[house_id].add(user_id)
    list_url = link_to("topx:detail")
    detected = []
    for topx_list in lists:
        if topx_list.last_decided_at is None:
            title = f"Top-X-lijst '{topx_list}' heeft nog geen vastgestelde rangorde"
        else:
            title = f"Top-X-lijst '{topx_list}' herijken: laatste besluit {timezone.localtime(topx_list.last_decided_at):%d-%m-%Y}"
        detected.append(
            Detected(
                key=f"{KIND.code}:{topx_list.pk}:{topx_list.latest_ranking or 0}",
                kind=KIND.code,
                house_id=topx_list.house_id,
                due=renewal_due(topx_list, topx_list.last_decided_at),
                title=title,
                url=list_url(topx_list.pk),
                recipients=frozenset(recipients[topx_list.house_id]),
            )
        )
    return detected
