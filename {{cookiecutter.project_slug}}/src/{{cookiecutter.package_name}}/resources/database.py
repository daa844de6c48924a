"""The database connection: one SQLAlchemy engine per process, shared by every session, and
the time limits that keep a slow or absent database from hanging a page.

``st.connection`` builds the engine once per process (it is ``st.cache_resource``
underneath) and keeps it for the life of the process. The engine hands each query its own
pooled connection, so the sessions' threads never share one; ``pool_pre_ping`` checks a
pooled connection before use, so a database that restarted costs no visitor an error.

Every piece of database work goes through ``run_in_database``, which turns "unreachable",
"too slow" and "data file gone" into one exception, ``DatabaseUnavailable``, whose message a
visitor can read. Nothing that fails is cached: ``st.cache_data`` keeps only return values.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitTimeout
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from streamlit.connections import SQLConnection

from .. import metrics
from ..config import DATA_DIR, DATABASE_URL
from ..errors import DatabaseUnavailable
from ..runs import database_work
{%- if not cookiecutter.__db_server %}
from .data_file import check_data_file
{%- endif %}

# The time limits, in seconds: every wait on the database is bounded by one of these.
CONNECT_TIMEOUT_SECONDS = 3
"""Opening a connection, where the driver waits for one (``ENGINE_OPTIONS`` says how)."""
POOL_TIMEOUT_SECONDS = 3
"""Waiting for a pooled connection while every one is lent out."""
QUERY_TIMEOUT_SECONDS = 10
"""One piece of work: the page shows the outage message after this long.
The first load is not bounded by it: it runs in its own thread, with progress shown."""
READY_TIMEOUT_SECONDS = 2
"""The readiness check's ``SELECT 1``: short, so a probe never piles up behind a slow one."""

ENGINE_OPTIONS: dict[str, Any] = {
    "hide_parameters": True,  # an error's message names no query's values: they are a visitor's
    "pool_pre_ping": True,
    "pool_timeout": POOL_TIMEOUT_SECONDS,
{%- if cookiecutter.__db_dialect == "postgresql" %}
    "connect_args": {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,  # libpq's wait to open a connection
        # PostgreSQL also cancels a statement that runs longer than a page waits for it.
        "options": f"-c statement_timeout={QUERY_TIMEOUT_SECONDS * 1000}",  # milliseconds
        # A server that vanished without closing its sockets (a dead host, a cut network):
        # unacknowledged writes give up after this long, and idle connections are probed.
        "tcp_user_timeout": QUERY_TIMEOUT_SECONDS * 1000,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    },
{%- elif cookiecutter.__db_dialect == "sqlite" %}
    "connect_args": {"timeout": CONNECT_TIMEOUT_SECONDS},  # SQLite's wait for a lock on the file
{%- endif %}
}
"""Passed to ``create_engine``; they win over ``create_engine_kwargs`` in the secrets."""

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# The work runs here, so a page can stop waiting for a database that stopped answering; its
# statement is then interrupted (_Running), which frees the thread. A worker stuck on a
# database that answers nothing at all (a frozen server) holds a pooled connection until the
# driver gives up; once the pool is lent out, new work fails after POOL_TIMEOUT_SECONDS, so
# the stuck ones stay few.
_workers = ThreadPoolExecutor(max_workers=16, thread_name_prefix="database")
# The readiness check's own threads: a probe never queues behind the pages' work.
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readiness")
_deadline = threading.local()  # per worker: when the page that is waiting gives up


def database() -> Engine:
    """The app's database engine: ``DATABASE_URL`` when set, otherwise the
    ``[connections.db]`` section of ``st.secrets``.

    Raises:
        StreamlitAPIException: neither says where the database is.
    """
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # an embedded database's file lives here
    engine = _connection(DATABASE_URL, engine_options()).engine
    if not event.contains(engine, "commit", _refuse_a_late_commit):  # a new engine: listen once
        event.listen(engine, "commit", _refuse_a_late_commit)
        event.listen(engine, "checkout", _lent)  # the pool's connections in use (metrics.py)
        event.listen(engine, "checkin", _returned)
    return engine


def _lent(*_: object) -> None:
    metrics.CONNECTIONS_IN_USE.inc()


def _returned(*_: object) -> None:
    metrics.CONNECTIONS_IN_USE.dec()


# st.connection caches its connection with a spinner, which outside a page (the startup
# warm-up, a health probe) has no page to show on: Streamlit logs "missing ScriptRunContext"
# instead. Inside another cached function it shows none, so this wrapper only silences it; the
# connection is still st.connection's, one per URL and options.
@st.cache_resource(show_spinner=False)
def _connection(url: str | None, options: dict[str, Any]) -> SQLConnection:
    if url:  # the environment overrides the secrets
        return st.connection("db", type=SQLConnection, url=url, **options)
    return st.connection("db", type=SQLConnection, **options)


def engine_options() -> dict[str, Any]:
    """``ENGINE_OPTIONS``, with the ``connect_args`` of ``[connections.db.create_engine_kwargs]``
    in the secrets kept (``sslmode``, say): ``st.connection`` lets ours replace theirs whole,
    key by key of ``create_engine``; here the time limits win, and nothing else is lost."""
    try:
        db = st.secrets.get("connections", {}).get("db", {})
    except FileNotFoundError:  # no secrets file at all
        db = {}
    theirs = db.get("create_engine_kwargs", {}).get("connect_args", {})
    return {**ENGINE_OPTIONS, "connect_args": {**theirs, **ENGINE_OPTIONS.get("connect_args", {})}}


def where(engine: Engine) -> str:
    """Where ``engine``'s database is, for a message: the host, or the file; no password."""
    url = engine.url
    return f"{url.host}:{url.port or 5432}" if url.host else str(url.database)


def run_in_database(
    work: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``work(con, *args, **kwargs)`` on a pooled connection, waiting at most
    ``QUERY_TIMEOUT_SECONDS``; returns what ``work`` returns.

    ``work`` commits its own writes. A commit it would start after the wait ended is refused,
    so a save the visitor was told failed does not land later.

    Raises:
        DatabaseUnavailable: the database is unreachable, did not answer in time, or its
            data file is gone or unreadable; the message says which, and where.
        Exception: whatever ``work`` raises otherwise (e.g. a refused name), unchanged.
    """
    with database_work(getattr(work, "__name__", "work")):  # a function of the data layer's
        return _within(_workers, QUERY_TIMEOUT_SECONDS, work, *args, **kwargs)


def check_database() -> None:
    """The readiness check: a pooled connection answers ``SELECT 1`` within
    ``READY_TIMEOUT_SECONDS``{% if not cookiecutter.__db_server %}, and the data file is the one the app opened{% endif %}.

    Raises:
        DatabaseUnavailable: it did not; the message says why.
    """
    _within(_probes, READY_TIMEOUT_SECONDS, _select_one)


def _select_one(con: Connection) -> None:
    con.execute(text("SELECT 1"))


def _within(
    executor: ThreadPoolExecutor,
    seconds: float,
    work: Callable[Concatenate[Connection, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    engine = database()
    running = _Running()

    def bound(con: Connection) -> T:
        return work(con, *args, **kwargs)

    # In this thread's context, so the statements' spans are children of the caller's.
    in_context = contextvars.copy_context().run
    done = executor.submit(in_context, _run, engine, time.monotonic() + seconds, bound, running)
    try:
        return done.result(timeout=seconds)
    except WaitTimeout:
        done.cancel()  # if it has not started yet, it never will
        running.interrupt()  # if it has, its statement stops and the thread is free again
        message = f"The database at {where(engine)} did not answer within {seconds:g} s."
        raise DatabaseUnavailable(message) from None


class _Running:
    """The driver connection that one piece of work runs on, once it has one: ``_within``
    interrupts its statement when the page stops waiting, so nothing of it runs on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: Any = None
        self.interrupted = False

    def connected(self, con: Connection) -> None:
        with self.lock:
            self.connection = con.connection.driver_connection
            if self.interrupted:  # the wait ended while it connected
                _interrupt(self.connection)

    def interrupt(self) -> None:
        with self.lock:
            self.interrupted = True
            if self.connection is not None:
                _interrupt(self.connection)


def _interrupt(driver_connection: Any) -> None:
{%- if cookiecutter.__db_server %}
    # psycopg asks the server to cancel the statement (its statement_timeout would, later).
    driver_connection.cancel_safe()
{%- else %}
    # {{ cookiecutter.__databases[cookiecutter.__database].format }}'s own interrupt, safe from another thread: the statement stops at once.
    driver_connection.interrupt()
{%- endif %}


def _run(engine: Engine, deadline: float, work: Callable[[Connection], T], running: _Running) -> T:
    _deadline.at = deadline
    try:
{%- if not cookiecutter.__db_server %}
        check_data_file(engine.url.database)  # before connecting: that would make a new file
{%- endif %}
        with unavailable_as_message(engine, connecting=True):
            con = engine.connect()
        running.connected(con)
        with con, unavailable_as_message(engine):
            return work(con)
    finally:
        _deadline.at = None


@contextmanager
def unavailable_as_message(engine: Engine, connecting: bool = False) -> Iterator[None]:
    """Raise the errors inside that say the database can't serve now as ``DatabaseUnavailable``,
    with a message a visitor can read, and log each with its cause; let every other error
    through unchanged, to be seen as the bug it is.

    The database can't serve when: no pooled connection is free in time; a connection is lost;
    the driver fails while ``connecting`` (refused, timed out, authentication); or, once
    connected, a statement ran past its time limit or waited too long for a lock. A query the
    database rejects (no such table, a syntax error) is not an outage, and is not hidden as one.
    """
    try:
        yield
    except PoolTimeout as error:
        message = f"The database at {where(engine)} is busy: no connection was free in time."
        raise _logged(DatabaseUnavailable(message), error) from None
    except DBAPIError as error:
        if error.connection_invalidated:
            message = f"The connection to the database at {where(engine)} was lost."
        elif connecting and isinstance(error, (OperationalError, InterfaceError)):
            message = f"The database at {where(engine)} is unreachable ({_reason(error)})."
        elif _timed_out(error):
            message = f"The database at {where(engine)} is too busy to answer ({_reason(error)})."
        else:
            raise
        raise _logged(DatabaseUnavailable(message), error) from error


def _timed_out(error: DBAPIError) -> bool:
    # PostgreSQL's statement_timeout (QueryCanceled), or SQLite's lock wait running out.
    return type(error.orig).__name__ == "QueryCanceled" or "database is locked" in str(error.orig)


def _reason(error: DBAPIError) -> str:
    # The driver's own words, first line only: without the SQL, the parameters and the link.
    return str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__


def _logged(unavailable: DatabaseUnavailable, cause: Exception) -> DatabaseUnavailable:
    logger.warning("%s", unavailable, exc_info=cause)
    return unavailable


def _refuse_a_late_commit(con: Connection) -> None:
    # Runs before every commit on this engine's connections. Outside run_in_database (the
    # first load, the tests) there is no deadline.
    at = getattr(_deadline, "at", None)
    if at is not None and time.monotonic() > at:
        # SQLAlchemy counts a failed commit as the transaction's end, so nothing would roll
        # it back: discard the connection, and the transaction with it.
        con.invalidate()
        raise DatabaseUnavailable("The database answered too late; nothing was saved.")
