"""Two replicas of a compose + PostgreSQL bake behind the bake's own nginx, live on loopback.

What a team running replicas depends on, shown with real servers: Debian's nginx with the
bake's ``deploy/nginx/app.conf`` (only its addresses changed, see ``support/cluster.py``), two
uvicorn replicas of the bake sharing one cookie secret, and PostgreSQL. Browsers are played
by ``support/session.py``, which speaks Streamlit's websocket protocol as the frontend does: it
keeps the proxy's cookie, and on a reconnect it reruns the page with the URL's query string.
"""

import asyncio
import contextlib
import random
import re
import secrets
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support import cluster
from tests.support.bakes import project_client
from tests.support.load import run_load
from tests.support.postgres import scratch_postgres
from tests.support.session import ProtocolError, Session, SessionClosed

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("replicas")]  # one set of replicas

ANSWERS = {"deployment": "compose", "database": "postgresql", "ml_model": True}
CARRIERS = ["United (UA)"]  # a multiselect takes the labels a browser shows
MONTHS = [3, 5]


class Replicas:
    """Replicas of one bake on loopback ports, each started and stopped on demand."""

    def __init__(self, bench: ModuleType, project: Path, env: dict[str, str], logs: Path):
        self.bench, self.project, self.env, self.logs = bench, project, env, logs
        self.ports = [bench.free_port(), bench.free_port()]
        self.running: dict[int, contextlib.ExitStack] = {}

    def start(self, index: int) -> None:
        """Start replica ``index`` and wait until it answers its health check."""
        stack = contextlib.ExitStack()
        port = self.ports[index]
        command = self.bench.production_command(port)
        log = self.logs / f"replica-{index}.log"
        serving = self.bench.serving(command, self.project, port, self.env, log, timeout=600)
        stack.enter_context(serving)
        self.running[index] = stack

    def stop(self, index: int) -> None:
        """SIGTERM replica ``index`` and wait for it to exit, as a rollout does."""
        self.running.pop(index).close()

    def stop_all(self) -> None:
        for index in list(self.running):
            self.stop(index)


@pytest.fixture(scope="module")
def replicas(bake, tmp_path_factory) -> Iterator[Replicas]:
    """Both replicas of a compose + PostgreSQL bake, running on a scratch database."""
    project = bake(**ANSWERS)
    with scratch_postgres() as database:
        home = tmp_path_factory.mktemp("home")
        env = cluster.replica_env(project, database, secrets.token_urlsafe(32), home)
        env[f"{project.name.replace('-', '_').upper()}_DEV_TOOLS"] = "1"  # About's buttons
        group = Replicas(project_client(project), project, env, tmp_path_factory.mktemp("logs"))
        try:
            group.start(0)
            # Before any test, so none of them waits for it or stops a replica in the middle.
            asyncio.run(cluster.first_visit(f"http://127.0.0.1:{group.ports[0]}"))
            group.start(1)  # starts warm: the data is there
            yield group
        finally:
            group.stop_all()


@pytest.fixture(scope="module")
def proxy(replicas, tmp_path_factory) -> Iterator:
    """The bake's nginx config in front of both replicas."""
    conf = replicas.project / "deploy" / "nginx" / "app.conf"
    port = replicas.bench.free_port()
    with cluster.nginx(conf, port, replicas.ports, tmp_path_factory.mktemp("nginx")) as running:
        yield running


def replica_of(proxy, session) -> str:
    """The replica address that served ``session``'s requests (exactly one)."""
    (address,) = cluster.routes(proxy.access_log)[session.cookies["st_route"]]
    return address


async def filtered_session(url: str) -> Session:
    """A session on Explore with a carrier and a month range chosen."""
    session = await Session.open(url, "/explore")
    await session.rerun(widgets={"explore.carriers": CARRIERS, "explore.months": MONTHS})
    return session


def test_every_request_of_a_session_reaches_one_replica(proxy, replicas):
    async def browse(n: int) -> Session:
        session = await Session.open(proxy.url, "/")
        for page in ("explore", "live", "overview"):
            await session.rerun(page=page)
        await session.rerun(page="explore")
        await session.rerun(widgets={"explore.carriers": CARRIERS[: n % 2]})
        await session.close()
        return session

    async def main() -> list:
        return await asyncio.gather(*(browse(n) for n in range(16)))

    sessions = asyncio.run(main())
    assert [s.errors for s in sessions] == [[]] * 16
    routes = cluster.routes(proxy.access_log)
    keys = [s.cookies["st_route"] for s in sessions]
    assert all(len(routes[key]) == 1 for key in keys), {k: routes[k] for k in keys}
    used = {address for key in keys for address in routes[key]}
    assert used == {f"127.0.0.1:{port}" for port in replicas.ports}  # both took sessions


def test_the_proxy_compresses_the_app_s_javascript(proxy):
    page = httpx.get(proxy.url, timeout=10).text
    bundle = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', page)
    assert bundle, page[:2000]
    url = f"{proxy.url}/{bundle.group(1)}"
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    packed = httpx.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert packed.headers.get("content-encoding") == "gzip"
    assert packed.content == plain.content  # httpx decodes it: the same script
    assert packed.num_bytes_downloaded < len(plain.content) / 2  # bytes on the wire


def test_a_stopped_replica_s_sessions_reconnect_elsewhere_with_their_filters(proxy, replicas):
    async def main() -> tuple[list, list, list]:
        sessions = [await filtered_session(proxy.url) for _ in range(8)]
        before = [(s.query_string, s.widgets["explore.carriers"].value) for s in sessions]
        stopped = f"127.0.0.1:{replicas.ports[0]}"
        moved = [s for s in sessions if replica_of(proxy, s) == stopped]
        assert moved, "no session landed on replica 0"
        await asyncio.to_thread(replicas.stop, 0)  # SIGTERM: its websockets close
        for session in sessions:
            await session.reconnect()  # only the moved ones had lost their socket
        after = [(s.query_string, s.widgets["explore.carriers"].value) for s in sessions]
        fresh = [await Session.open(proxy.url, "/") for _ in range(20)]
        return before, after, [*sessions, *fresh]

    try:
        before, after, everyone = asyncio.run(main())
    finally:
        replicas.start(0)
    assert before == after
    assert all("explore.carriers" in query for query, _ in after), after
    assert [s.errors for s in everyone] == [[]] * len(everyone)


def test_a_job_started_on_one_replica_is_watched_to_its_end_from_the_other(proxy, replicas):
    """Train on Predict, switch pages and close the tab; that replica then stops (its worker
    with it: the job ends first, or goes back to the queue). A new visitor lands on the other
    replica, finds the same job on Predict and watches it to Done."""
    addresses = [f"127.0.0.1:{port}" for port in replicas.ports]

    async def main() -> tuple[list[str], str]:
        first = await Session.open(proxy.url, "/predict")
        await first.rerun(widgets={"start-train": True})
        assert any("Train the delay model" in text for text in first.texts), first.texts
        await first.rerun(page="overview")
        started_on = replica_of(proxy, first)
        await first.close()
        await asyncio.to_thread(replicas.stop, addresses.index(started_on))
        other = await Session.open(proxy.url, "/predict")  # only the other replica answers
        deadline = time.monotonic() + 120
        while not any("[Done] **Train the delay model**" in t for t in other.texts):
            assert time.monotonic() < deadline, other.texts
            await asyncio.sleep(1)
            await other.rerun()  # as the page's fragment does every second
        await other.close()
        return [*first.errors, *other.errors], started_on

    stopped = len(replicas.running)
    try:
        errors, started_on = asyncio.run(main())
    finally:
        for index in range(len(addresses)):
            if index not in replicas.running:
                replicas.start(index)
    assert stopped == 2 and errors == [] and started_on in addresses


def test_a_reload_runs_in_a_worker_and_every_replica_then_shows_its_rows(replicas):
    """Rows go missing behind the app's back, and each replica caches the short count. Reload,
    pressed on one replica's About page, runs in a worker, which loads every row again; each
    replica drops its cached reads by itself, within seconds, and shows the full count."""
    database = replicas.env[f"{replicas.project.name.replace('-', '_').upper()}_DATABASE_URL"]
    some = "carrier = 'DL' AND month BETWEEN 7 AND 8"
    count = f"SELECT sum(flights) FROM daily_flights WHERE {some}"  # what Explore counts
    engine = create_engine(database)
    try:
        with engine.begin() as con:
            full = con.execute(text(count)).scalar_one()
            for table in ("flights", "daily_flights"):  # July's first ten days
                con.execute(text(f"DELETE FROM {table} WHERE {some} AND flight_date < :day"),
                            {"day": date(2013, 7, 11)})  # fmt: skip
            short = con.execute(text(count)).scalar_one()
    finally:
        engine.dispose()
    assert 0 < short < full
    urls = [f"http://127.0.0.1:{port}" for port in replicas.ports]

    async def explore(url: str) -> Session:
        session = await Session.open(url, "/about")
        await session.rerun(widgets={"clear-caches": True})  # nothing cached from before
        await session.rerun(page="explore")
        await session.rerun(widgets={"explore.carriers": ["Delta (DL)"], "explore.months": [7, 8]})
        return session

    async def main() -> list[str]:
        sessions = [await explore(url) for url in urls]
        assert [shown(s) for s in sessions] == [f"{short:,} flights"] * 2
        about = await Session.open(urls[0], "/about")
        await about.rerun(widgets={"start-reload": True})
        assert any("Reload the data" in text for text in about.texts), about.texts
        deadline = time.monotonic() + 120
        for session in sessions:
            while shown(session) != f"{full:,} flights":
                assert time.monotonic() < deadline, (shown(session), session.texts)
                await asyncio.sleep(1)
                await session.rerun()
        for session in [*sessions, about]:
            await session.close()
        return [error for session in [*sessions, about] for error in session.errors]

    assert asyncio.run(main()) == []


def shown(session: Session) -> str:
    """The flights count in Explore's results caption, e.g. ``49,682 flights``."""
    found = [re.search(r"[\d,]+ flights", text) for text in session.texts]
    return next((match.group() for match in found if match), "no count")


def test_a_rolling_restart_fails_no_new_session(proxy, replicas):
    failures: list[str] = []
    visits = 0
    rolling = True

    async def visit(page: str) -> list[str]:
        """A new visitor opens the app and goes to ``page``; the errors its pages show. Like a
        browser, it connects again, once, when its socket closes under it (its replica began
        to stop)."""
        for again in (False, True):
            session = None
            try:
                session = await Session.open(proxy.url, "/")
                await session.rerun(page=page)
                return session.errors
            except SessionClosed:
                if again:
                    raise
            finally:
                if session:
                    await session.close()
        raise AssertionError("unreachable")

    async def visitors() -> None:
        nonlocal visits
        deadline = time.monotonic() + 900
        while (rolling or visits < 10) and time.monotonic() < deadline:
            visits += 1
            try:
                failures.extend(await visit(random.Random(visits).choice(["explore", "overview"])))
            except (OSError, TimeoutError, ProtocolError) as error:
                failures.append(repr(error))
            await asyncio.sleep(0.1)

    async def main() -> None:
        nonlocal rolling
        task = asyncio.create_task(visitors())
        started = time.monotonic()
        for index in (0, 1):  # one at a time, each back before the next goes
            await asyncio.to_thread(replicas.stop, index)
            await asyncio.to_thread(replicas.start, index)
        rolling = False
        print(f"rolling restart: both replicas replaced in {time.monotonic() - started:.1f} s")
        await task

    asyncio.run(main())
    print(f"rolling restart: {visits} new sessions, {len(failures)} failed")
    assert visits >= 10 and failures == [], failures


def test_concurrent_sessions_through_the_proxy_have_no_errors(proxy, replicas):
    result = asyncio.run(run_load(proxy.url, sessions=6, seconds=8))
    print(f"through nginx, 2 replicas: {result.per_second:.1f} reruns/s, p50 {result.p50:.0f} ms")
    assert result.errors == 0 and result.reruns > 6
