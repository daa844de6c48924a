"""``tests/support/pg_server.py``: the private PostgreSQL a fault test owns behaves as the
fault tests rely on.

Shown with psycopg alone, no app: frozen, it answers neither an established session nor a new
one (which times out rather than being refused); thawed, the blocked query completes; stopped,
connecting is refused at once; started again, the data is there; killed, it recovers; closed
in any state, none of its processes is left. Every wait is bounded: the module takes ~10 s.
"""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support import pg_server
from tests.support.pg_server import PostgresServer
from tests.support.postgres import require_private_postgres

pytestmark = pytest.mark.slow

FROZEN_WAIT = 2.0  # seconds a frozen server is given to answer (it must not)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PostgresServer]:
    """A private PostgreSQL, started; closed after the test whatever state it is in."""
    require_private_postgres()
    with pg_server.postgres_server(tmp_path) as server:
        yield server


class Query(threading.Thread):
    """One query on an established connection, in a thread, so that a hang can be timed."""

    def __init__(self, connection: psycopg.Connection, query: str):
        super().__init__(daemon=True)  # a hang must not keep pytest from exiting
        self.connection, self.query = connection, query
        self.rows: list[tuple] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.rows = self.connection.execute(self.query).fetchall()
        except BaseException as error:
            self.error = error


def timed_connect_error(conninfo: str, connect_timeout: int) -> tuple[float, str]:
    """Seconds until connecting fails, and the error; fails the test if it connects."""
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError) as error:
        psycopg.connect(conninfo, connect_timeout=connect_timeout).close()
    return time.monotonic() - started, str(error.value)


def test_freeze_thaw_stop_start(server: PostgresServer) -> None:
    with psycopg.connect(server.conninfo, autocommit=True) as session:
        assert session.execute("SELECT 1").fetchall() == [(1,)]
        session.execute("CREATE TABLE kept (x int)")
        session.execute("INSERT INTO kept VALUES (42)")

        server.freeze()
        assert server.frozen
        blocked = Query(session, "SELECT 2")
        blocked.start()
        blocked.join(FROZEN_WAIT)
        assert blocked.is_alive(), "a frozen server answered an established session"
        seconds, error = timed_connect_error(server.conninfo, connect_timeout=2)
        assert 1.5 <= seconds <= 6, f"a new connection failed after {seconds:.1f} s: {error}"
        assert "refused" not in error  # the kernel still accepts: the client has to time out

        server.thaw()
        blocked.join(10)
        assert not blocked.is_alive(), "the blocked query did not complete after thaw"
        assert blocked.error is None and blocked.rows == [(2,)]

        server.stop()
        assert server.pids() == []
        with pytest.raises(psycopg.OperationalError):  # a fast stop ends every session
            session.execute("SELECT 3")
    seconds, error = timed_connect_error(server.conninfo, connect_timeout=5)
    assert seconds < 1 and "refused" in error.lower(), (seconds, error)

    server.start()
    with psycopg.connect(server.conninfo) as session:
        assert session.execute("SELECT x FROM kept").fetchall() == [(42,)]


def test_kill_then_start_recovers(server: PostgresServer) -> None:
    with psycopg.connect(server.conninfo, autocommit=True) as session:
        # The server runs with synchronous_commit off: a commit that must survive a kill is
        # made with it on (fsync stays off: WAL reaches the OS, which a process kill keeps).
        session.execute("SET synchronous_commit = on")
        session.execute("CREATE TABLE kept AS SELECT 7 AS x")
    pids = server.pids()
    assert len(pids) > 1  # the postmaster and its background processes

    server.kill()
    assert not any(pg_server.alive(pid) for pid in pids)
    seconds, error = timed_connect_error(server.conninfo, connect_timeout=5)
    assert seconds < 1 and "refused" in error.lower(), (seconds, error)

    server.start()  # crash recovery
    with psycopg.connect(server.conninfo) as session:
        assert session.execute("SELECT x FROM kept").fetchall() == [(7,)]


def test_close_while_frozen_leaves_nothing(tmp_path: Path) -> None:
    require_private_postgres()
    server = PostgresServer(tmp_path)
    try:
        server.start()
        session = psycopg.connect(server.conninfo, autocommit=True)
        server.freeze()
        blocked = Query(session, "SELECT 1")
        blocked.start()
        pids = server.pids()
        assert len(pids) > 2  # the postmaster, its background processes, the session's backend
    finally:
        server.close()  # as a test that failed while the server was frozen would
    assert not any(pg_server.alive(pid) for pid in pids)
    assert not server.root.exists()
    assert "database system is shut down" in (tmp_path / "postgresql.log").read_text()
    # Thawed, its backend may answer before the shutdown ends the session: either is fine,
    # a hang is not.
    blocked.join(10)
    assert not blocked.is_alive(), "a query sent while frozen still hangs after close"
    assert blocked.rows == [(1,)] or isinstance(blocked.error, psycopg.OperationalError)
    session.close()
    server.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        server.start()
