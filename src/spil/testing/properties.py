"""Settings for the property tests (Hypothesis; the apps' `tests/test_properties.py`).

Modest numbers of examples and no per-example deadline keep the whole set fast and steady on a shared CI machine;
no example database is written into the work tree. In CI (`CI` set) the examples are derandomised, so a run fails
only on a change, not by chance; elsewhere each run explores new examples. A failure prints the falsifying
example: add it to the test as an explicit `@example`, then fix the code.
"""

import os

from hypothesis import HealthCheck, settings

IN_CI = bool(os.environ.get("CI"))

# Pure functions: cheap examples.
pure = settings(max_examples=150, deadline=None, database=None, derandomize=IN_CI)

# Examples that query (and roll back) the test database: fewer, and the function-scoped `db` fixture is shared by
# all examples of one test on purpose (each example works inside a savepoint that it rolls back).
with_database = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
