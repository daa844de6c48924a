"""PostgreSQL for the tests: scratch databases on the shared server that ``.ci/run`` starts,
and whether this machine can run a private one (``pg_server.py``).

Without a server, a test that needs one is skipped, except under CI (``CI`` set), where it
fails: ``.ci/run`` installs and starts PostgreSQL, so a missing one is a broken run.
"""

import contextlib
import os
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

SERVER_VARIABLE = "TEMPLATE_POSTGRES_URL"
"""Names the shared server: a SQLAlchemy URL of a role that may create databases."""


def skip_or_fail(reason: str) -> None:
    """Skip the test for ``reason``; under CI, fail it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have installed and started it")
    pytest.skip(reason)


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database on the PostgreSQL server at
    ``server_url`` (a role that may create databases); the database is dropped on exit."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import DBAPIError

    name = f"bake_{uuid4().hex[:12]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as con:
        con.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        for attempt in range(10):  # FORCE ends its sessions; one may be starting: retry
            try:
                with server.connect() as con:
                    con.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                break
            except DBAPIError:
                if attempt == 9:
                    raise
                time.sleep(0.5)
        server.dispose()


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """A ``scratch_database`` on the shared server (``SERVER_VARIABLE``); skips without one."""
    server_url = os.environ.get(SERVER_VARIABLE)
    if not server_url:
        skip_or_fail(f"no PostgreSQL server: set {SERVER_VARIABLE} (see .ci/run)")
    assert server_url
    with scratch_database(server_url) as url:
        yield url


def require_private_postgres() -> None:
    """Skip when this machine can't run a private PostgreSQL (``pg_server.py``)."""
    from . import pg_server

    reason = pg_server.unavailable()
    if reason:
        skip_or_fail(reason)
