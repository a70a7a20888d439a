"""The harness's load generator (bench/): what it reports must be what was sent."""

import importlib.util
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = bench_module("load")
scenarios = bench_module("scenarios")


@pytest.fixture
def server():
    """A stand-in for Spil that answers dossier paths and remembers what it was sent, and how many at once."""
    state = SimpleNamespace(port=None, seen=[], in_flight=0, most_in_flight=0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            with lock:
                state.in_flight += 1
                state.most_in_flight = max(state.most_in_flight, state.in_flight)
            time.sleep(0.002)
            state.seen.append((self.path, self.headers.get("X-Spil-Bench-Log")))
            status = 200 if self.path.startswith("/casussen/") else 404
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            with lock:
                state.in_flight -= 1

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()


def fixtures(paths):
    users = [{"name": f"regisseur-{i}", "headers": {}, "requests": [{"path": path} for path in paths]} for i in range(4)]
    return {"scenarios": {scenarios.DOSSIER: users}}


def test_the_dossier_is_measured_with_and_without_the_log_side_by_side(server):
    [dossier] = scenarios.build(fixtures(["/casussen/C-2026-000001/"]))
    results = load.run("127.0.0.1", server.port, dossier.users, dossier.request, requests=40, max_seconds=30, think_seconds=(0, 0.001))
    assert sorted(results) == sorted(dossier.labels) == sorted([scenarios.DOSSIER, scenarios.DOSSIER_WITHOUT_LOG])
    assert results[scenarios.DOSSIER].requests == sum(header is None for _path, header in server.seen) == 20
    assert results[scenarios.DOSSIER_WITHOUT_LOG].requests == sum(header == "off" for _path, header in server.seen) == 20
    assert all(result.errors == 0 for result in results.values())


def test_unexpected_answers_count_as_errors_with_samples(server):
    [dossier] = scenarios.build(fixtures(["/bestaat-niet/"]))
    results = load.run("127.0.0.1", server.port, dossier.users, dossier.request, requests=8, max_seconds=30, think_seconds=(0, 0.001))
    assert results[scenarios.DOSSIER].errors == 4 and "404 GET /bestaat-niet/" in results[scenarios.DOSSIER].error_samples[0]


def test_one_at_a_time_no_two_requests_overlap(server):
    [dossier] = scenarios.build(fixtures(["/casussen/C-2026-000001/"]))
    options = {"requests": 12, "max_seconds": 30, "think_seconds": (0, 0)}
    results = load.run("127.0.0.1", server.port, dossier.users, dossier.request, one_at_a_time=True, **options)
    assert sum(result.requests for result in results.values()) == len(server.seen) == 12
    assert server.most_in_flight == 1
    load.run("127.0.0.1", server.port, dossier.users, dossier.request, **options)
    assert server.most_in_flight > 1  # the usual run: the users' threads overlap
