"""The app when its database can't serve it: every wait bounded, one exception with a message
a visitor can read, a warning on the page instead of an error box, and nothing saved late.

The faults themselves (a server stopped, frozen, a data file deleted) are played against the
served app by the template's own tests; here, the pieces they rely on.
"""

import threading
import time
from pathlib import Path
from uuid import uuid4

import pytest
import streamlit as st
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources import database

from .conftest import ENTRYPOINT, SIGNED_IN

UNREACHABLE = "The database at db.example:5432 is unreachable (connection refused)."


def test_work_that_outlasts_the_timeout_raises_a_readable_error(monkeypatch):
    monkeypatch.setattr(database, "QUERY_TIMEOUT_SECONDS", 0.2)
    release = threading.Event()

    def stuck(con: Connection) -> None:
        release.wait(timeout=30)  # a database that stopped answering

    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match=r"did not answer within 0\.2 s\.$"):
        database.run_in_database(stuck)
    waited = time.monotonic() - started
    release.set()
    assert waited < 15, "it waited for the stuck work instead of giving up"


SLOW_QUERY = {% if cookiecutter.__db_dialect == "postgresql" %}"SELECT pg_sleep(60)"{% elif cookiecutter.__db_dialect == "sqlite" %}(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
){% else %}"SELECT sum(i) FROM range(100000000000) AS t(i)"{% endif %}
"""A statement that runs for a minute or more{% if cookiecutter.__db_dialect != "postgresql" %} (for ever, counting){% endif %}."""


def test_a_slow_query_stops_when_the_page_stops_waiting(monkeypatch):
    monkeypatch.setattr(database, "QUERY_TIMEOUT_SECONDS", 0.5)
    ended = threading.Event()

    def slow(con: Connection) -> None:
        try:
            con.execute(text(SLOW_QUERY))
        finally:
            ended.set()

    with pytest.raises(DatabaseUnavailable, match=r"did not answer within 0\.5 s\.$"):
        database.run_in_database(slow)
    assert ended.wait(5), "the statement ran on after the page gave up"
{%- if cookiecutter.__db_server %}
    running = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = :query"
    with database.database().connect() as con:
        assert con.execute(text(running), {"query": SLOW_QUERY}).scalar_one() == 0
{%- endif %}


def test_a_query_the_database_rejects_is_a_bug_not_an_outage():
    # No such table: raised as the driver's error (the error box, and the log), not hidden
    # behind "unreachable" and retried for ever.
    with pytest.raises(DBAPIError):
        database.run_in_database(lambda con: con.execute(text("SELECT nope FROM nowhere")))


def test_the_secrets_connect_args_are_kept_and_the_time_limits_win(monkeypatch):
    ours = database.ENGINE_OPTIONS.get("connect_args", {})
    theirs = {"sslmode": "verify-full", **{key: "theirs" for key in ours}}
    engine_kwargs = {"create_engine_kwargs": {"connect_args": theirs}}
    monkeypatch.setattr(st, "secrets", {"connections": {"db": engine_kwargs}})
    assert database.engine_options()["connect_args"] == {"sslmode": "verify-full", **ours}


def test_a_commit_after_the_page_gave_up_is_refused(monkeypatch):
    table = f"late_{uuid4().hex[:8]}"
    with database.database().begin() as con:
        con.execute(text(f"CREATE TABLE {table} (id INTEGER)"))
    monkeypatch.setattr(database, "QUERY_TIMEOUT_SECONDS", 0.2)
    go, done = threading.Event(), threading.Event()
    outcome: list[str] = []

    def late_write(con: Connection) -> None:
        go.wait(timeout=30)  # the page gives up meanwhile
        con.execute(text(f"INSERT INTO {table} VALUES (1)"))
        try:
            con.commit()
            outcome.append("committed")
        except DatabaseUnavailable as error:
            outcome.append(str(error))
        finally:
            done.set()

    with pytest.raises(DatabaseUnavailable):
        database.run_in_database(late_write)
    go.set()
    assert done.wait(timeout=30)
    assert outcome == ["The database answered too late; nothing was saved."]
    with database.database().begin() as con:
        assert con.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        con.execute(text(f"DROP TABLE {table}"))


def test_an_outage_shows_a_warning_with_its_message_not_an_error_box():
    def page() -> None:
        import streamlit as st

        from {{ cookiecutter.package_name }}.components.outage import outage_message
        from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable

        st.title("A page")
        with outage_message():
            raise DatabaseUnavailable("The database at db.example:5432 is unreachable.")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "The database at db.example:5432 is unreachable. Checking again in 5 s."
    ]


class Clock:
    """A ``time`` module whose ``monotonic()`` reads ``now``, set by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The outage component's clock, at 1000 s until a test moves it."""
    from {{ cookiecutter.package_name }}.components import outage

    clock = Clock(1000.0)
    monkeypatch.setattr(outage, "time", clock)
    return clock


def outage_page() -> None:
    from {{ cookiecutter.package_name }}.components.outage import outage_message
    from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable

    with outage_message():
        raise DatabaseUnavailable("The database is unreachable.")


def test_the_same_outage_met_again_waits_twice_as_long_up_to_a_cap(clock):
    # A slow database: the check passes, the page's query fails again after its 10 s.
    at = AppTest.from_function(outage_page)
    waits = []
    for _ in range(5):
        at.run()
        waits.append(at.warning[0].value.removeprefix("The database is unreachable. "))
        clock.now += int(waits[-1].split()[-2]) + 10
    assert waits == [f"Checking again in {s} s." for s in (5, 10, 20, 40, 40)]
    clock.now += 200  # back long ago: a new outage starts over
    assert at.run().warning[0].value.endswith("Checking again in 5 s.")


def check_page() -> None:
    import streamlit as st

    from {{ cookiecutter.package_name }}.components import outage

    outage.RetryState.init()
    outage.RetryState.write(wait=st.session_state["test.wait"], due=1000.0)
    outage._rerun_when_back()  # as a tick of its timer: the test's clock says whether it is due


@pytest.mark.parametrize(
    ("now", "wait", "checks", "next_wait"),
    [(996.0, 5.0, 0, 5.0), (1000.0, 5.0, 1, 10.0), (1000.0, 20.0, 1, 40.0), (1001, 40.0, 1, 40.0)],
)
def test_a_check_runs_when_due_and_a_failed_one_doubles_the_wait(
    clock, monkeypatch, now, wait, checks, next_wait
):
    calls = []

    def still_down() -> None:
        calls.append(clock.now)
        raise DatabaseUnavailable(UNREACHABLE)

    monkeypatch.setattr(database, "check_database", still_down)
    clock.now = now
    at = AppTest.from_function(check_page)
    at.session_state["test.wait"] = wait
    at.run()
    assert not at.exception
    assert len(calls) == checks
    assert at.session_state["retry.wait"] == next_wait
    if checks:
        assert at.session_state["retry.due"] == now + next_wait


def test_a_fault_only_an_operator_can_fix_is_shown_without_a_retry():
    def page() -> None:
        from {{ cookiecutter.package_name }}.components.outage import outage_message
        from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable

        with outage_message():
            raise DatabaseUnavailable("The data file x.duckdb is gone.", retry=False)

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["The data file x.duckdb is gone."]


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch):
    """Every piece of database work fails as an unreachable server's would; every cache and
    resource starts empty, so nothing is served from before."""

    def unreachable(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailable(UNREACHABLE)

    monkeypatch.setattr(database, "_within", unreachable)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("script", [page.script for page in PAGES])
def test_every_page_says_the_database_is_down_instead_of_failing(database_down, script):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.switch_page(script).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    # A page that reads nothing from the database (it never asks for it) has nothing to warn
    # about: About, and a page of yours without a table.
    reads = "require_database()" in (Path(ENTRYPOINT).parent / script).read_text()
    assert warnings == ([f"{UNREACHABLE} Checking again in 5 s."] if reads else [])
