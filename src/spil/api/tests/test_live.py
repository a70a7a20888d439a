"""Over real HTTP against the live server, with committed data: concurrency that one transaction cannot show.

Two identical submissions with one Idempotency-Key at the same moment create one melding; the rate-limit count loses
no request when several connections (as several gunicorn workers) count at once.
"""

import threading
import time

import pytest
import requests
from django.db import connection, transaction

from spil.api.models import RateWindow
from spil.api.testing import melding, make_clients
from spil.api.throttling import count_request
from spil.core import clock
from spil.core.models import Counter
from spil.intake.models import Report
from spil.testing.locks import sessions_waiting_on_locks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_concurrent_identical_submissions_create_one_melding(live_server, house, other_house):
    client = make_clients(house, other_house).a
    url, headers = f"{live_server.url}/api/v1/meldingen", {"Authorization": f"Bearer {client.token}", "Idempotency-Key": "gelijktijdig-1"}
    body = melding(house)
    series = f"M-{clock.today().year}"
    Counter.objects.get_or_create(series=series)
    barrier, responses = threading.Barrier(2), [None, None]

    def submit(index):
        barrier.wait()
        responses[index] = requests.post(url, json=body, headers=headers, timeout=30)

    # Hold the melding numbering, so the first request stops half-way with its key claimed; the second must then
    # wait on that key, not slip past it. Both are waiting before the numbering is released.
    with transaction.atomic():
        Counter.objects.select_for_update().get(series=series)
        threads = [threading.Thread(target=submit, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while sessions_waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        overlapped = sessions_waiting_on_locks() >= 2
    for thread in threads:
        thread.join(30)
    assert overlapped, f"the two requests did not overlap: {[(r.status_code, r.text[:300]) if r is not None else None for r in responses]}"

    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert Report.objects.filter(created_by=client.user).count() == 1


def test_errors_over_http_are_problem_json_without_a_login_redirect(live_server, house, other_house):
    make_clients(house, other_house)
    response = requests.get(f"{live_server.url}/api/v1/acties", timeout=10, allow_redirects=False)
    assert response.status_code == 401 and response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


def test_the_rate_count_loses_nothing_across_connections(house, other_house):
    client = make_clients(house, other_house).a.client
    now = clock.now()

    def count(times):
        try:
            for _ in range(times):
                count_request(client, now)
        finally:
            connection.close()  # each thread has its own database connection, like a worker process

    threads = [threading.Thread(target=count, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert RateWindow.objects.get(client=client).count == 100
