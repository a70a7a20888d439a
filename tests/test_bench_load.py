"""The harness's load generator (bench/): what it reports must be what was sent."""

import importlib.util
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
    seen = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen.append((self.path, self.headers.get("X-Spil-Bench-Log")))
            status = 200 if self.path.startswith("/casussen/") else 404
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()


def fixtures(paths):
    users = [{"name": f"regisseur-{i}", "headers": {}, "requests": [{"path": path} for path in paths]} for i in range(4)]
    return {"scenarios": {scenarios.DOSSIER: users}}


def test_the_dossier_is_measured_with_and_without_the_log_side_by_side(server):
    port, seen = server
    [dossier] = scenarios.build(fixtures(["/casussen/C-2026-000001/"]))
    results = load.run("127.0.0.1", port, dossier.users, dossier.request, requests=40, max_seconds=30, think_seconds=(0, 0.001))
    assert sorted(results) == sorted(dossier.labels) == sorted([scenarios.DOSSIER, scenarios.DOSSIER_WITHOUT_LOG])
    assert results[scenarios.DOSSIER].requests == sum(header is None for _path, header in seen) == 20
    assert results[scenarios.DOSSIER_WITHOUT_LOG].requests == sum(header == "off" for _path, header in seen) == 20
    assert all(result.errors == 0 for result in results.values())


def test_unexpected_answers_count_as_errors_with_samples(server):
    port, _seen = server
    [dossier] = scenarios.build(fixtures(["/bestaat-niet/"]))
    results = load.run("127.0.0.1", port, dossier.users, dossier.request, requests=8, max_seconds=30, think_seconds=(0, 0.001))
    assert results[scenarios.DOSSIER].errors == 4 and "404 GET /bestaat-niet/" in results[scenarios.DOSSIER].error_samples[0]
