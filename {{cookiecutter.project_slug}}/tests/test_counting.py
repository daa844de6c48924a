"""The caches and fragments' promises, pinned by counting: queries run, modules loaded on a
page's first visit, and rows sent to the browser. Nothing here is timed."""

from collections.abc import Callable

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import cached, queries
from {{ cookiecutter.package_name }}.data.queries import PAGE_SIZE
from {{ cookiecutter.package_name }}.data.source import load_database
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources.database import database

from .conftest import ENTRYPOINT, SIGNED_IN
from .test_architecture import has_loaded, modules_after

PAGE_ONLY = {
    "app_pages/explore.py": "{{ cookiecutter.package_name }}.components.results",
    "app_pages/live.py": "{{ cookiecutter.package_name }}.components.live",
    "app_pages/wizard.py": "{{ cookiecutter.package_name }}.components.wizard",
{%- if cookiecutter.ml_model %}
    "app_pages/predict.py": "sklearn",
{%- endif %}
}
"""Page -> a module that only it imports."""

CHART_ROWS_CAP = 365
"""The most points a chart gets: one per day of 2013."""


def test_a_page_only_module_loads_on_that_pages_first_visit(fresh_python):
    loaded = modules_after(fresh_python, *PAGE_ONLY)  # after the first run, then each visit
    for (page, name), before, after in zip(PAGE_ONLY.items(), loaded[:-1], loaded[1:], strict=True):
        assert not has_loaded(before, name) and has_loaded(after, name), page


def _session() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()
    return at.switch_page("app_pages/explore.py").run()


def test_a_cached_query_runs_once_per_distinct_key_across_reruns_and_sessions(monkeypatch):
    runs: list[tuple[str, ...]] = []
    query = queries.daily_delays

    def counted(con, filters):
        runs.append(filters.carriers)
        return query(con, filters)

    monkeypatch.setattr(queries, "daily_delays", counted)
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

    def counting(name: str) -> Callable[..., object]:
        """``queries.<name>``, recording each call in ``runs``."""
        query = getattr(queries, name)

        def counted(*args: object) -> object:
            runs.append(name)
            return query(*args)

        return counted

    for name in ("kpi", "monthly_flights"):
        monkeypatch.setattr(queries, name, counting(name))
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()  # the landing page: Overview
    assert not at.exception
    assert at.metric and runs == []


def _rows_sent(at: AppTest) -> tuple[list[int], list[int]]:
    """Rows of every table, and of every chart's data (its ``data`` and named datasets), on
    the page ``at`` shows."""
    tables = [len(frame.value) for frame in at.dataframe]
    charts = [
        sum(
            pa.ipc.open_stream(buffer).read_all().num_rows
            for buffer in (chart.proto.data.data, *(d.data.data for d in chart.proto.datasets))
            if buffer
        )
        for chart in at.get("vega_lite_chart")
    ]
    return tables, charts


@pytest.mark.parametrize("page", [page.script for page in PAGES])
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
