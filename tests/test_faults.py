"""The served app survives its database: real faults, what a visitor sees, and recovery.

A PostgreSQL bake is served by uvicorn against a private PostgreSQL (``support/pg_server.py``),
which the tests stop before the app starts, stop mid-session and restart, and freeze with
SIGSTOP. The default (DuckDB) bake is served on a data folder whose file the tests delete and
corrupt, and two real sessions race to save one view name. Browsers are played by
``support/session.py``; the health routes are read over HTTP.

Each fault asserts: the page says what is wrong (the outage warning, or the save's message),
never Streamlit's error box; ``/readyz`` answers 503 while ``/healthz`` stays 200; and, where
the app can recover by itself, it does, without a restart, within a stated bound. The times
are printed (``-s``) for the closing note's table. Every wait is bounded; each test stops what
it started.
"""

import asyncio
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import duckdb
import httpx
import pytest

from tests.support import pg_server
from tests.support.bakes import project_client
from tests.support.cluster import first_visit, replica_env
from tests.support.pg_server import PostgresServer
from tests.support.postgres import require_private_postgres
from tests.support.session import Session

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults")]  # one private PostgreSQL

CARRIERS = ["United (UA)", "JetBlue (B6)", "Delta (DL)"]
RETRY_SECONDS = 5  # components/outage.py: the outage warning checks the database this often
QUERY_TIMEOUT_SECONDS = 10  # resources/database.py: a page waits this long at most
RECOVERY_LIMIT = 30.0  # seconds from the fix to a working page, ticks included


class App(NamedTuple):
    """A bake served on loopback: its URL, the client that serves it, and how to restart it."""

    url: str
    bench: ModuleType
    restart: Callable[[], None]


def health(url: str) -> tuple[int, int, str]:
    """``/healthz``'s status, ``/readyz``'s status, and ``/readyz``'s reason."""
    live = httpx.get(f"{url}/healthz", timeout=10)
    ready = httpx.get(f"{url}/readyz", timeout=10)
    return live.status_code, ready.status_code, ready.text


def shows(session: Session, text: str) -> bool:
    """Whether any text on ``session``'s page contains ``text``."""
    return any(text in shown for shown in session.texts)


def retry_fragment(session: Session) -> str:
    """The outage warning's retry fragment: the one ``run_every`` fragment on the page."""
    ticking = [id_ for id_, every in session.auto_reruns.items() if every == RETRY_SECONDS]
    assert ticking, f"no retry fragment; the page shows {session.texts}"
    return ticking[-1]


async def recovered(session: Session, back: Callable[[Session], bool]) -> float:
    """Tick the retry fragment once a second, as the browser's timer would every
    ``RETRY_SECONDS``, until ``back(session)``; return the seconds it took.

    Raises:
        AssertionError: not back within ``RECOVERY_LIMIT`` seconds, or the page still shows
            the outage warning when ``back`` says it is back.
    """
    started = time.monotonic()
    fragment = retry_fragment(session)
    while time.monotonic() - started < RECOVERY_LIMIT:
        await session.tick(fragment, timeout=RECOVERY_LIMIT)
        if back(session):
            assert not shows(session, "Checking again"), session.texts
            return time.monotonic() - started
        await asyncio.sleep(1)
    raise AssertionError(f"not back after {RECOVERY_LIMIT} s; the page shows {session.texts}")


def serve(stack: ExitStack, project: Path, env: dict[str, str], logs: Path) -> App:
    """Serve ``project`` by its production command (uvicorn) until ``stack`` closes."""
    bench = project_client(project)
    port = bench.free_port()
    log = logs / f"app-{port}.log"
    command = bench.production_command(port)
    running: list[ExitStack] = []

    def start() -> None:
        inner = ExitStack()
        inner.enter_context(bench.serving(command, project, port, env, log, timeout=120))
        running.append(inner)

    def restart() -> None:
        running.pop().close()
        start()

    start()
    stack.callback(lambda: running.pop().close() if running else None)
    return App(f"http://127.0.0.1:{port}", bench, restart)


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_bake(bake) -> Path:
    return bake(database="postgresql")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[PostgresServer]:
    """A private PostgreSQL, with the app's role and empty database; closed after the module."""
    require_private_postgres()
    with pg_server.postgres_server(tmp_path_factory.mktemp("postgres")) as server:
        yield server


@pytest.fixture(scope="module")
def postgres_env(postgres_bake, database, tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    return replica_env(postgres_bake, database.url, secrets.token_urlsafe(32), home)


def test_postgres_down_at_start_the_app_serves_says_so_and_recovers(
    postgres_bake, database, postgres_env, tmp_path
):
    database.stop()
    with ExitStack() as stack:
        app = serve(stack, postgres_bake, postgres_env, tmp_path)  # starts: it used to exit 3
        live, ready, reason = health(app.url)
        assert (live, ready) == (200, 503) and "unreachable" in reason, reason

        async def main() -> float:
            session = await Session.open(app.url, "/")
            assert shows(session, f"The database at 127.0.0.1:{database.port} is unreachable")
            assert shows(session, f"Checking again in {RETRY_SECONDS} s")
            database.start()
            # Back by itself: the retry sees the database, reruns, and the first load runs.
            took = await recovered(session, lambda s: shows(s, "Flights per month"))
            assert session.errors == []
            await session.close()
            return took

        took = asyncio.run(main())
        print(f"\nPostgreSQL down at start -> page back {took:.1f} s after the server started")
        assert health(app.url)[:2] == (200, 200)


@pytest.fixture(scope="module")
def postgres_app(postgres_bake, database, postgres_env, tmp_path_factory) -> Iterator[App]:
    """The PostgreSQL bake served, with its data loaded."""
    if not database.running:
        database.start()
    with ExitStack() as stack:
        app = serve(stack, postgres_bake, postgres_env, tmp_path_factory.mktemp("logs"))
        asyncio.run(first_visit(app.url))
        yield app


async def explore_with(app: App, carriers: list[str]) -> Session:
    """A session on Explore, then a filter change that no cache holds: a query runs."""
    session = await Session.open(app.url, "/explore")
    assert shows(session, "Page 1 of"), session.texts
    await session.rerun(widgets={"explore.carriers": carriers}, timeout=60)
    return session


def test_postgres_stopped_mid_session_shows_a_message_and_recovers(postgres_app, database):
    async def main() -> tuple[float, float]:
        session = await Session.open(postgres_app.url, "/explore")
        database.stop()
        started = time.monotonic()
        await session.rerun(widgets={"explore.carriers": CARRIERS[:1]}, timeout=60)
        shown = time.monotonic() - started
        assert shows(session, "is unreachable"), session.texts
        assert session.errors == []
        assert health(postgres_app.url)[:2] == (200, 503)
        jobs = await Session.open(postgres_app.url, "/jobs")  # the queue lives there too
        assert shows(jobs, "The job queue can't be"), jobs.texts  # opened, or reached
        assert shows(jobs, "The other pages work as usual.") and jobs.errors == []
        await jobs.close()
        database.start()
        took = await recovered(session, lambda s: shows(s, "Page 1 of"))
        assert session.errors == []
        await session.close()
        return shown, took

    shown, took = asyncio.run(main())
    print(f"\nPostgreSQL stopped -> message in {shown:.1f} s; back {took:.1f} s after restart")
    assert shown < QUERY_TIMEOUT_SECONDS
    assert health(postgres_app.url)[:2] == (200, 200)


def test_postgres_frozen_shows_a_message_within_the_timeout_and_recovers(postgres_app, database):
    async def main() -> tuple[float, float, float]:
        session = await Session.open(postgres_app.url, "/explore")
        database.freeze()
        try:
            started = time.monotonic()
            ready = await asyncio.to_thread(health, postgres_app.url)
            probe = time.monotonic() - started
            assert ready[:2] == (200, 503), ready
            started = time.monotonic()
            await session.rerun(widgets={"explore.carriers": CARRIERS[1:2]}, timeout=60)
            shown = time.monotonic() - started
            # A new connection gives up after CONNECT_TIMEOUT_SECONDS ("unreachable"), one
            # from the pool after QUERY_TIMEOUT_SECONDS ("did not answer"): either is shown.
            where = f"The database at 127.0.0.1:{database.port}"
            assert shows(session, f"{where} is unreachable") or shows(
                session, f"{where} did not answer within {QUERY_TIMEOUT_SECONDS} s"
            ), session.texts
            assert session.errors == []
        finally:
            database.thaw()
        took = await recovered(session, lambda s: shows(s, "Page 1 of"))
        assert session.errors == []
        await session.close()
        return probe, shown, took

    probe, shown, took = asyncio.run(main())
    print(f"\nPostgreSQL frozen -> /readyz 503 in {probe:.1f} s, message in {shown:.1f} s; "
          f"back {took:.1f} s after SIGCONT")  # fmt: skip
    assert probe < 5  # READY_TIMEOUT_SECONDS is 2
    assert shown < QUERY_TIMEOUT_SECONDS + 5


# --- DuckDB --------------------------------------------------------------------------------


def duckdb_env(project: Path, home: Path, data: Path) -> dict[str, str]:
    """The environment of the default bake served from this environment: the package on the
    path, no user config, and ``data`` as its data folder."""
    prefix = project.name.replace("-", "_").upper()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    return env | {
        "PYTHONPATH": str(project / "src"),
        "HOME": str(home),
        f"{prefix}_DATA_DIR": str(data),
    }


@pytest.fixture(scope="module")
def loaded(default_project, tmp_path_factory) -> Path:
    """A data folder that the default bake has loaded the flights into, by a first visit, once
    for the module; its server stopped, so the file is whole."""
    folder = tmp_path_factory.mktemp("loaded")
    with ExitStack() as stack:
        app = serve(
            stack, default_project, duckdb_env(default_project, folder, folder / "data"), folder
        )
        asyncio.run(first_visit(app.url))
    return folder / "data"


@pytest.fixture
def duckdb_app(default_project, loaded, tmp_path) -> Iterator[tuple[App, Path]]:
    """The default bake served on a data folder of its own, a copy of ``loaded``; and the
    database file."""
    shutil.copytree(loaded, tmp_path / "data")
    with ExitStack() as stack:
        app = serve(
            stack,
            default_project,
            duckdb_env(default_project, tmp_path, tmp_path / "data"),
            tmp_path,
        )
        yield app, tmp_path / "data" / "flights.duckdb"


async def save_view(url: str, name: str, ready: asyncio.Barrier | None = None) -> Session:
    """Go through the Wizard as a visitor does and save the view ``name``; with ``ready``,
    wait at the last step until every other saver is there too. A name the first step
    refuses (taken, or the database can't check it) ends the visit there."""
    session = await Session.open(url, "/wizard")
    await session.rerun(widgets={"wizard.name": name, session.widget_id("Next"): True})
    if "wizard.carriers" not in session.widgets:  # still on the first step, with its message
        if ready:
            await ready.abort()  # the others would wait for this one for ever
        return session
    await session.rerun(widgets={session.widget_id("Next"): True})
    save = session.widget_id("Save view")
    if ready:
        await ready.wait()
    await session.rerun(widgets={save: True})
    return session


def delete(data_file: Path) -> None:
    data_file.unlink()


def replace(data_file: Path) -> None:
    copy = data_file.with_name("copy.duckdb")
    shutil.copy(data_file, copy)
    os.replace(copy, data_file)  # the same bytes, another file


@pytest.mark.parametrize(
    ("fault", "problem"), [(delete, "is gone"), (replace, "was replaced by another file")]
)
def test_duckdb_file_gone_saves_refuse_and_readiness_fails(duckdb_app, fault, problem):
    app, data_file = duckdb_app

    async def main() -> tuple[Session, Session]:
        saved = await save_view(app.url, "Before")
        await saved.close()
        assert shows(saved, "Saved **Before**"), saved.texts
        explore = await Session.open(app.url, "/explore")  # its list of views is cached now
        await explore.rerun(widgets={"saved_views.chosen": "Before"})
        fault(data_file)
        session = await save_view(app.url, "Into the void")
        await session.close()
        await explore.rerun(
            widgets={"saved_views.new_name": "After", explore.widget_id("Rename"): True}
        )
        assert shows(explore, "Nothing was renamed"), explore.texts
        await explore.rerun(widgets={explore.widget_id("Delete view…", "button"): True})
        await explore.rerun(widgets={explore.widget_id("Delete", "button"): True})
        assert shows(explore, "Nothing was deleted"), explore.texts
        await explore.close()
        return session, explore

    session, explore = asyncio.run(main())
    assert not shows(session, "Saved **Into the void**"), session.texts
    for refused in (session, explore):
        assert shows(refused, f"The data file {data_file} {problem}"), refused.texts
        assert refused.errors == []
    live, ready, reason = health(app.url)
    assert (live, ready) == (200, 503) and problem in reason, reason
    # The way back: an operator restores the file (or, as here, lets the app load anew), and
    # restarts it.
    started = time.monotonic()
    app.restart()
    asyncio.run(first_visit(app.url))
    took = time.monotonic() - started
    print(f"\nDuckDB file {fault.__name__}d -> saves refused; a restart serves in {took:.1f} s")
    assert health(app.url)[:2] == (200, 200)


def test_duckdb_file_corrupted_is_detected_and_a_restart_does_not_die(duckdb_app):
    app, data_file = duckdb_app
    with data_file.open("r+b") as file:
        file.write(os.urandom(4096))  # the header and the start of the first block
    live, ready, reason = health(app.url)
    assert (live, ready) == (200, 503) and "is unreadable" in reason, reason

    async def explore() -> Session:
        session = await Session.open(app.url, "/explore")
        await session.close()
        return session

    session = asyncio.run(explore())
    assert shows(session, "is unreadable"), session.texts
    assert session.errors == []
    app.restart()  # it used to stop at startup for good
    live, ready, reason = health(app.url)
    assert (live, ready) == (200, 503) and "is unreadable" in reason, reason


def test_two_sessions_saving_one_name_at_once_get_one_view_and_a_message(duckdb_app):
    app, _ = duckdb_app
    rounds = 10

    async def race(n: int) -> list[Session]:
        ready = asyncio.Barrier(2)
        names = (f"Race {n}", f"race {n}")  # one name in any case
        return list(await asyncio.gather(*(save_view(app.url, name, ready) for name in names)))

    async def main() -> list[list[Session]]:
        results = [await race(n) for n in range(rounds)]
        for pair in results:
            for session in pair:
                await session.close()
        return results

    for n, pair in enumerate(asyncio.run(main())):
        saved = [s for s in pair if shows(s, "Saved **") and shows(s, f"ace {n}**")]
        refused = [s for s in pair if shows(s, "exists already")]
        assert len(saved) == 1 and len(refused) == 1, [s.texts for s in pair]
        assert [s.errors for s in pair] == [[], []]


def test_a_reload_reads_in_a_worker_and_goes_in_place_on_the_next_page(
    default_project, loaded, tmp_path
):
    """On an embedded database the worker can't open the file the server holds: it reads the
    tables into files of its own, and the next page run's preparation puts them in place. Rows
    deleted behind the app's back, before it starts, come back; the page served all along."""
    shutil.copytree(loaded, tmp_path / "data")
    some = "carrier = 'DL' AND month BETWEEN 7 AND 8"
    count = f"SELECT sum(flights) FROM daily_flights WHERE {some}"  # what Explore counts
    with duckdb.connect(str(tmp_path / "data" / "flights.duckdb")) as con:
        ((full,),) = con.execute(count).fetchall()
        for table in ("flights", "daily_flights"):  # July's first ten days
            con.execute(f"DELETE FROM {table} WHERE {some} AND flight_date < DATE '2013-07-11'")
        ((short,),) = con.execute(count).fetchall()
    assert 0 < short < full
    prefix = default_project.name.replace("-", "_").upper()
    env = duckdb_env(default_project, tmp_path, tmp_path / "data") | {f"{prefix}_DEV_TOOLS": "1"}
    filters = {"explore.carriers": ["Delta (DL)"], "explore.months": [7, 8]}

    async def main(url: str) -> tuple[Session, Session]:
        explore = await Session.open(url, "/explore")
        await explore.rerun(widgets=filters)
        assert shows(explore, f"{short:,} flights"), explore.texts
        about = await Session.open(url, "/about")
        await about.rerun(widgets={"start-reload": True})
        deadline = time.monotonic() + 120
        while not shows(about, "Done] **Reload the data**"):
            assert time.monotonic() < deadline, about.texts
            await asyncio.sleep(1)
            await about.rerun()  # as the job list's fragment does every second
        await explore.rerun()  # the next page run: it puts the tables in place
        for session in (explore, about):
            await session.close()
        return explore, about

    with ExitStack() as stack:
        app = serve(stack, default_project, env, tmp_path)
        explore, about = asyncio.run(main(app.url))
    assert shows(explore, f"{full:,} flights"), explore.texts
    assert explore.errors == [] and about.errors == []
    assert not list((tmp_path / "data" / "reload").iterdir())  # the worker's files, in place
