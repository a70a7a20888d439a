"""Rate limit per client: requests are counted per minute in PostgreSQL, one UPSERT per request, so every worker
process (gunicorn) shares the count. Past `rate_limit_per_minute` the answer is 429 with Retry-After."""

import datetime
import math

from django.db import connection
from rest_framework.throttling import BaseThrottle

from spil.api.models import ApiClient, RateWindow
from spil.core import clock

WINDOW = datetime.timedelta(minutes=1)
KEEP = datetime.timedelta(hours=1)


def count_request(client: ApiClient, now: datetime.datetime) -> tuple[int, datetime.datetime]:
    """Count one request in the client's current window; returns the count so far and when the window ends."""
    start = now.replace(second=0, microsecond=0)
    table = RateWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, window_start, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (client_id, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [client.pk, start],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # a new window: forget the client's old ones
        RateWindow.objects.filter(client=client, window_start__lt=start - KEEP).delete()
    return count, start + WINDOW


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        now = clock.now()
        count, window_end = count_request(client, now)
        self.retry_after = max(1, math.ceil((window_end - now).total_seconds()))
        return count <= client.rate_limit_per_minute

    def wait(self):
        return self.retry_after
