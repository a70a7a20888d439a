"""A bounded load generator on loopback: virtual users with their own session, a fixed number of requests.

Each virtual user is a thread with its own HTTP connection (opened again after the server closes it). It sends its
share of the requests, one at a time, with a short random pause between them (people read a page before the next
click; a closed loop without pauses would measure the queue in front of two cores, not the page). The run stops when every request has been
sent or the time limit is reached, whichever comes first. Latency is measured from sending the request to having
read the whole response.
"""

import http.client
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    ok: tuple[int, ...] = (200,)
    label: str = ""  # what the latency counts towards, when one run measures two variants side by side


@dataclass(frozen=True)
class VirtualUser:
    """Who sends the requests: the headers that authenticate them (a session cookie or an API token)."""

    name: str
    headers: dict


@dataclass
class Result:
    users: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    error_samples: list[str]

    def as_dict(self) -> dict:
        return {"users": self.users, "requests": self.requests, "errors": self.errors, "p50_ms": self.p50_ms, "p95_ms": self.p95_ms}


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation), in the unit of the samples."""
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


# Between two requests a virtual user waits 0.5-1.5 s: a far busier pace than a person reading pages, so 16 virtual users
# stand for a large office, yet the server is not simply flooded (a flood measures the queue, not the page).
THINK_SECONDS = (0.5, 1.5)


def run(
    host: str,
    port: int,
    users: list[VirtualUser],
    make_request: Callable[[VirtualUser, int, random.Random], Request],
    *,
    requests: int,
    max_seconds: float,
    think_seconds: tuple[float, float] = THINK_SECONDS,
    seed: int = 2026,
    one_at_a_time: bool = False,
) -> dict[str, Result]:
    """Send `requests` requests spread over the users, each user in its own thread; the results per request label.
    `one_at_a_time`: the users take turns instead, so every request has the server to itself (the page's own cost,
    without a queue)."""
    latencies: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    shares = [requests // len(users) + (1 if i < requests % len(users) else 0) for i in range(len(users))]

    def user_loop(index: int, user: VirtualUser) -> None:
        rng = random.Random(seed * 1000 + index)
        connection = http.client.HTTPConnection(host, port, timeout=30)
        time.sleep(rng.uniform(*think_seconds))  # do not all start in the same millisecond
        for n in range(shares[index]):
            if time.monotonic() > deadline:
                break
            request = make_request(user, n, rng)
            started = time.perf_counter()
            try:
                connection.request(request.method, request.path, body=request.body, headers={**user.headers, **request.headers})
                response = connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                problem = None if response.status in request.ok else f"{response.status} {request.method} {request.path}: {body[:200]!r}"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                elapsed = (time.perf_counter() - started) * 1000
                problem = f"{type(error).__name__} {request.method} {request.path}: {error}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            with lock:
                latencies.setdefault(request.label, []).append(elapsed)
                if problem:
                    errors.setdefault(request.label, []).append(problem)
            time.sleep(rng.uniform(*think_seconds))
        connection.close()

    if one_at_a_time:
        for index, user in enumerate(users):
            user_loop(index, user)
    else:
        threads = [threading.Thread(target=user_loop, args=(i, user), daemon=True) for i, user in enumerate(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {label: _result(len(users), latencies.get(label, []), errors.get(label, [])) for label in latencies.keys() | errors.keys()}


def _result(users: int, latencies: list[float], errors: list[str]) -> Result:
    if not latencies:
        return Result(users, 0, len(errors), 0.0, 0.0, errors[:5])
    return Result(
        users=users,
        requests=len(latencies),
        errors=len(errors),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        error_samples=errors[:5],
    )
