"""Demo data beyond the year of meldingen and cases: each app adds its own part after the base history.

An extension is the app's `demo.py` with `build(ctx: Context) -> None`, which writes through the app's services
(inside `clock.travel_to` for the past) using `ctx.rng` for every random draw, and `counts() -> dict[str, int]` for
the summary `demo_data` prints. They run in this order, each seeing what the earlier ones made.
"""

import datetime
import importlib
import importlib.util
import random
from dataclasses import dataclass

EXTENSIONS = [
    "spil.intake.demo",  # meldformulieren; before deadlines, whose final refresh shows its release signal
    "spil.plans.demo",
    "spil.meetings.demo",
    "spil.topx.demo",
    "spil.deadlines.demo",
    "spil.finance.demo",
    "spil.monitor.demo",
    "spil.api.demo",
    "spil.intake.routing_demo",  # regional intake, routing rules, forwardings (last: it draws from ctx.rng)
]


@dataclass
class Context:
    rng: random.Random
    now: datetime.datetime  # nothing may be written later than this
    size: str  # "demo", "small" or "test"
    users: dict  # username -> User (see demo.regions.STAFF)
    houses: dict  # house code -> House
    log: object  # print-like


def _modules():
    # An app without demo data (yet) is skipped.
    return [importlib.import_module(name) for name in EXTENSIONS if importlib.util.find_spec(name) is not None]


def run(ctx: Context) -> None:
    for module in _modules():
        module.build(ctx)


def counts() -> dict[str, int]:
    result = {}
    for module in _modules():
        result.update(module.counts())
    return result
