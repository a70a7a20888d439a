"""Two users save the same plan at the same moment: one wins, the other is told and keeps what they typed.

The race is real: two requests in two threads, each with its own database connection and its own transaction
(`ATOMIC_REQUESTS`), both having read the same version. To make them collide every time rather than by luck, the
test holds the plan's row lock until both requests are waiting for it, then lets go.
"""

import threading
import time

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from spil.cases import services as case_services
from spil.organisations.models import Role
from spil.plans.models import Plan
from spil.testing.clients import VerifiedClient
from spil.testing.factories import member
from spil.testing.locks import sessions_waiting_on_locks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(posts: list[tuple[Client, str, dict]], row) -> list:
    """Send the posts at once, each from its own thread; they reach the row (a plan or goal) while it is locked."""
    responses: list = [None] * len(posts)

    def send(index, client, url, data):
        try:
            responses[index] = client.post(url, data)
        finally:
            connections.close_all()  # this thread's connection, so the test database can be dropped

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    with transaction.atomic():
        type(row).objects.select_for_update().filter(pk=row.pk).values("pk").get()
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while sessions_waiting_on_locks() < len(posts):
            assert time.monotonic() < deadline, "the requests never reached the plan's row"
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.fixture
def clients(draft, regisseur, house):
    """The procesregisseur and the casusregisseur of the case, each in their own browser."""
    colleague = member(house, Role.CASE_DIRECTOR)
    case_services.assign_directors(
        draft.case, actor=regisseur, process_director=regisseur, case_director=colleague, expected_version=draft.case.version
    )
    clients = []
    for user in (regisseur, colleague):
        client = VerifiedClient()
        client.force_login(user)
        clients.append(client)
    return clients


def test_two_users_saving_the_same_plan_at_once_one_wins_and_the_other_keeps_their_input(draft, clients):
    seen = Plan.objects.get(pk=draft.pk).version  # both opened the form at this version
    url = reverse("plans:edit", args=[draft.case.number, draft.version_number])
    mine = {"version": seen, "instrument": "RISc", "diagnosis": "Analyse van de procesregisseur"}
    theirs = {"version": seen, "instrument": "ZRM", "diagnosis": "Analyse van de casusregisseur"}

    responses = race([(clients[0], url, mine), (clients[1], url, theirs)], draft)

    assert sorted(response.status_code for response in responses) == [200, 302]
    winner, loser = (mine, theirs) if responses[0].status_code == 302 else (theirs, mine)
    lost = next(response for response in responses if response.status_code == 200)
    plan = Plan.objects.get(pk=draft.pk)
    assert (plan.instrument, plan.diagnosis, plan.version) == (winner["instrument"], winner["diagnosis"], seen + 1)
    page = lost.content.decode()
    assert "gewijzigd door een ander" in page
    assert loser["diagnosis"] in page and f'value="{loser["instrument"]}"' in page  # nothing typed is lost


def test_two_users_saving_the_same_goal_at_once_one_wins_and_the_other_keeps_their_input(draft, clients, housing):
    goal = draft.goals.get(life_domain=housing)
    url = reverse("plans:goal", args=[draft.case.number, draft.version_number, housing.code])
    mine = {"version": goal.version, "situation": "Slaapt bij een vriend", "goal": "Eigen kamer binnen drie maanden"}
    theirs = {"version": goal.version, "situation": "Dakloos sinds maart", "goal": "Plek in de maatschappelijke opvang"}

    responses = race([(clients[0], url, mine), (clients[1], url, theirs)], goal)

    assert sorted(response.status_code for response in responses) == [200, 302]
    winner, loser = (mine, theirs) if responses[0].status_code == 302 else (theirs, mine)
    lost = next(response for response in responses if response.status_code == 200).content.decode()
    goal.refresh_from_db()
    assert (goal.situation, goal.goal, goal.version) == (winner["situation"], winner["goal"], mine["version"] + 1)
    assert "gewijzigd door een ander" in lost and loser["situation"] in lost and loser["goal"] in lost
