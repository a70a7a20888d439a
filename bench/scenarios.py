"""What the harness measures: one scenario per endpoint, built from the fixtures `manage.py bench_fixtures` prints.

The fixtures give, per scenario, 16 virtual users (each a different user with realistic access: a session cookie or
an API token) with the requests that user makes: the paths of pages they may see, or API bodies. A scenario picks
one of its user's requests at random for every request it sends.
"""

import json
import random
import uuid
from dataclasses import dataclass

from load import Request, VirtualUser

BASELINE = "baseline"
DOSSIER = "dossier"
DOSSIER_WITHOUT_LOG = "dossier_without_log"
SCALING = ["dossier", "inbox", "person_search_name", "person_search_bsn"]
# Bench mode only (SPIL_BENCH_MODE): the request is served with the processing log switched off, to measure its cost.
WITHOUT_LOG = {"X-Spil-Bench-Log": "off"}


@dataclass
class Scenario:
    name: str
    users: list[VirtualUser]
    requests_of: dict[str, list[dict]]  # user name -> the requests that user makes
    # The dossier is measured with and without the processing log in one run, every other request of each user without
    # it: both variants then meet the same load, which two runs one after the other would not (the queue drifts).
    alternate_without_log: bool = False

    @property
    def labels(self) -> list[str]:
        return [self.name, DOSSIER_WITHOUT_LOG] if self.alternate_without_log else [self.name]

    def request(self, user: VirtualUser, n: int, rng: random.Random) -> Request:
        spec = rng.choice(self.requests_of[user.name])
        without_log = self.alternate_without_log and n % 2 == 1
        headers = {**(WITHOUT_LOG if without_log else {}), **spec.get("headers", {})}
        body = None
        if "json" in spec:
            # New in every run, unlike the seeded choice of requests: a key or reference sent in an earlier run on the same
            # dataset would be answered from the idempotency store, and that measures a replay instead of a registration.
            payload = json.dumps(spec["json"]).replace("{unique}", uuid.uuid4().hex)
            body = payload.encode()
            headers["Content-Type"] = "application/json"
            if spec.get("idempotent"):
                headers["Idempotency-Key"] = uuid.uuid4().hex
        return Request(
            spec.get("method", "GET"),
            spec["path"],
            headers=headers,
            body=body,
            ok=tuple(spec.get("ok", (200,))),
            label=DOSSIER_WITHOUT_LOG if without_log else self.name,
        )


def build(fixtures: dict) -> list[Scenario]:
    """Scenarios in a fixed order, the baseline first."""
    return [
        Scenario(
            name,
            [VirtualUser(user["name"], user["headers"]) for user in users],
            {user["name"]: user["requests"] for user in users},
            alternate_without_log=name == DOSSIER,
        )
        for name, users in fixtures["scenarios"].items()
    ]
