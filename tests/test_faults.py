"""The database goes away while Spil runs: users get a clear Dutch 503 (the partner API: problem+json), a write cut
off half-way leaves nothing behind, and when the database is back Spil carries on without a restart.

Spil runs as in production (gunicorn, DEBUG off) in a process of its own, against a PostgreSQL of this test's own
(a copy of the migrated test database), which the test really stops and starts again.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import InterfaceError, OperationalError

from spil.api.models import IdempotencyKey
from spil.intake.models import Channel, Report, ReportPerson
from spil.logbook import chain
from spil.logbook.models import ProcessingRecord
from spil.persons.models import Person
from spil.testing import postgres
from spil.timeline.models import Event
from spil.web import faults

# Not transactional, so it runs before the transactional tests, while the test database holds just the migrations.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]

# Run inside Spil (with the copied database): an intake worker in ZVH Parkstad with a session past the second step,
# and the police's system as an API client.
SETUP = """
import json

import django

django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from spil.api.testing import make_client
from spil.casetypes.models import CaseType
from spil.organisations.models import PartnerType, Role
from spil.testing.factories import HouseFactory, MunicipalityFactory, PartnerFactory, member

house = HouseFactory(code="parkstad", name="ZVH Parkstad")
MunicipalityFactory(name="Heerlen", cbs_code="GM0917", house=house)
police = PartnerFactory(type=PartnerType.POLICE)
worker = member(house, Role.INTAKE)
device = StaticDevice.objects.create(user=worker, name="storingstest", confirmed=True)
session = SessionStore()
session[SESSION_KEY] = str(worker.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = worker.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.create()
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME, "session": session.session_key, "token": make_client("Politie", police, [house]).token,
    "house": house.pk, "house_code": house.code, "partner": police.pk, "case_type": CaseType.objects.get(code="pga").pk,
}))
"""

TABLES = [Report, ReportPerson, Person, Event, IdempotencyKey, ProcessingRecord]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Spil:
    """Spil under gunicorn against the test's own database server."""

    def __init__(self, directory: Path):
        self.database = postgres.Server(directory)
        self.uri = self.database.create_database()
        postgres.restore(postgres.dump(postgres.current_database_uri(), directory / "migrated.dump"), self.uri)
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("SPIL_PGDATA")}
        self.env |= {
            "DATABASE_URL": self.uri,
            "DJANGO_SETTINGS_MODULE": "spil.conf.settings",
            "DEBUG": "false",
            "SPIL_ENVIRONMENT": "development",
            "SESSION_COOKIE_SECURE": "false",
            "PYTHONUNBUFFERED": "1",
        }
        setup = subprocess.run([sys.executable, "-c", SETUP], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert setup.returncode == 0, setup.stderr
        self.data = json.loads(setup.stdout.strip().splitlines()[-1])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "spil.conf.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.process.poll() is None and time.monotonic() < deadline, f"gunicorn did not start: {self.log.read_text()}"
                time.sleep(0.2)
        self.browser = requests.Session()
        self.browser.cookies.set(self.data["cookie"], self.data["session"])
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {self.data['token']}"

    def page(self, path: str = "/") -> requests.Response:
        return self.browser.get(self.url + path, timeout=30)

    def api_list(self) -> requests.Response:
        return self.api.get(f"{self.url}/api/v1/meldingen", timeout=30)

    def submit_melding(self, key: str) -> requests.Response:
        body = {
            "huis": self.data["house_code"],
            "thema": "pga",
            "melder_naam": "Wijkagent De Boer",
            "aanleiding": "Zorgen over de thuissituatie.",
            "hulpvraag": "Procesregie.",
            "personen": [{"voornamen": "Piet", "achternaam": "Meer", "geboortedatum": "1988-03-01"}],
        }
        return self.api.post(f"{self.url}/api/v1/meldingen", json=body, headers={"Idempotency-Key": key}, timeout=60)

    def register_melding_on_the_web(self) -> requests.Response:
        form = self.page("/meldingen/nieuw/algemeen/")
        assert form.status_code == 200, form.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        data = {
            "csrfmiddlewaretoken": token,
            "house": self.data["house"],
            "source_partner": self.data["partner"],
            "reporter_name": "W. Agent",
            "channel": Channel.PHONE,
            "received_on": time.strftime("%Y-%m-%d"),
            "requested_case_type": self.data["case_type"],
            "reason": "Zorgen",
            "request": "Regie",
            "persons-TOTAL_FORMS": "1",
            "persons-INITIAL_FORMS": "0",
            "persons-0-first_names": "Jan",
            "persons-0-surname": "Jansen",
        }
        return self.browser.post(self.url + "/meldingen/nieuw/algemeen/", data=data, timeout=60, allow_redirects=False)

    def counts(self) -> dict[str, int]:
        with psycopg.connect(self.uri) as conn:
            return {model.__name__: conn.execute(f"SELECT count(*) FROM {model._meta.db_table}").fetchone()[0] for model in TABLES}

    def workers_booted(self) -> int:
        return self.log.read_text().count("Booting worker")

    def close(self) -> None:
        self.browser.close()
        self.api.close()
        self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        self.process.wait(timeout=30)
        self.database.remove()


@pytest.fixture(scope="module")
def spil(django_db_setup, django_db_blocker):
    # Not pytest's tmp_path: the server runs as another user when tests run as root, and pytest may tighten or
    # prune its own directories (another test run) while this one still runs.
    directory = Path(tempfile.mkdtemp(prefix="spil-storing-"))
    with django_db_blocker.unblock():
        running = Spil(directory)
    yield running
    running.close()
    shutil.rmtree(directory, ignore_errors=True)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "text/html" in response.headers["Content-Type"]
    assert "Spil is tijdelijk niet beschikbaar" in response.text
    assert "er is niets half opgeslagen" in response.text


def assert_unavailable_problem(response):
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "30"
    problem = response.json()
    assert problem["title"] == "Tijdelijk niet beschikbaar"
    assert problem["type"] == "urn:spil:api:probleem:niet-beschikbaar"
    assert problem["status"] == 503


def test_while_the_database_is_down_users_get_503_and_afterwards_spil_carries_on_without_restart(spil):
    assert spil.page().status_code == 200  # Mijn werk; the worker threads now hold open connections
    assert spil.api_list().status_code == 200

    spil.database.stop()
    try:
        assert_unavailable_page(spil.page())
        assert_unavailable_page(spil.page("/meldingen/"))
        assert_unavailable_problem(spil.api_list())
    finally:
        spil.database.start()

    assert spil.page().status_code == 200
    assert spil.page("/meldingen/").status_code == 200
    assert spil.api_list().status_code == 200
    assert spil.process.poll() is None and spil.workers_booted() == 1  # the same gunicorn worker: no restart
    assert "Database niet bereikbaar: 503 op GET" in spil.log.read_text()


def test_a_write_cut_off_by_the_outage_leaves_nothing_half_written(spil):
    before = spil.counts()
    # Hold every partition of the processing log's hash chain: a request that registers a melding then waits at its
    # log line, after it wrote the melding, its person and its timeline in the same transaction.
    holder = psycopg.connect(spil.uri, autocommit=True)
    key = chain._lock_key(ProcessingRecord)
    for partition in range(chain.PARTITIONS):
        holder.execute("SELECT pg_advisory_lock(%s, %s)", [key, partition])
    responses = {}
    requests_in_flight = [
        threading.Thread(target=lambda: responses.update(api=spil.submit_melding("storing-1"))),
        threading.Thread(target=lambda: responses.update(web=spil.register_melding_on_the_web())),
    ]
    for thread in requests_in_flight:
        thread.start()
    # One waits at the log, the other behind it for the melding numbering (after claiming its Idempotency-Key, for
    # the API). Note this is PostgreSQL's view from outside: what they wrote is not visible until they commit.
    deadline, waiting = time.monotonic() + 30, []
    while len(waiting) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        waiting = holder.execute(
            "SELECT wait_event, query FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [postgres.DATABASE]
        ).fetchall()
    assert len(waiting) == 2, f"the requests are not both under way: {responses} {waiting}"
    assert any(event == "advisory" and "spil_chain_links" in query for event, query in waiting)

    spil.database.stop()  # mid-request: both transactions are cut off before their log lines
    for thread in requests_in_flight:
        thread.join(60)
    holder.close()
    spil.database.start()

    assert_unavailable_problem(responses["api"])
    assert_unavailable_page(responses["web"])
    assert spil.counts() == before  # no melding, person, timeline line, idempotency key or log line

    # The partner's system retries with the same key and the worker sends the form again: each is registered once.
    retried = spil.submit_melding("storing-1")
    assert retried.status_code == 201, retried.text
    assert "Idempotent-Replayed" not in retried.headers
    assert spil.register_melding_on_the_web().status_code == 302
    after = spil.counts()
    assert after["Report"] == before["Report"] + 2
    assert after["IdempotencyKey"] == before["IdempotencyKey"] + 1
    assert spil.workers_booted() == 1


def django_error(cause: Exception) -> OperationalError:
    """What Django raises for a driver error: its own class, with the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error, outage",
    [
        (django_error(psycopg.OperationalError("connection failed: No such file or directory")), True),
        (django_error(psycopg.errors.ConnectionFailure("server closed the connection unexpectedly")), True),
        (django_error(psycopg.errors.AdminShutdown("terminating connection due to administrator command")), True),
        (django_error(psycopg.errors.CannotConnectNow("the database system is starting up")), True),
        (InterfaceError("connection already closed"), True),
        (django_error(psycopg.errors.DeadlockDetected("deadlock detected")), False),
        (django_error(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")), False),
        (ValueError("kapot"), False),
    ],
)
def test_only_a_database_out_of_reach_is_an_outage_and_answered_with_503(rf, error, outage):
    assert faults.is_database_unavailable(error) is outage
    for path, content_type in [("/meldingen/", "text/html; charset=utf-8"), ("/api/v1/meldingen", "application/problem+json")]:
        try:
            raise error
        except Exception:
            response = faults.server_error(rf.get(path))  # as Django calls handler500: while handling the error
        assert response.status_code == (503 if outage else 500)
        if outage:
            assert response["Content-Type"] == content_type
            assert response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
