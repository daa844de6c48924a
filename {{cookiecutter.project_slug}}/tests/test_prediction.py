"""The Predict page's form on its own, through AppTest: what a submit hands the page (no
database: the carriers and origins are given)."""

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import cached
from {{ cookiecutter.package_name }}.data.queries import FilterOptions

OPTIONS = FilterOptions(carriers={"AA": "American", "UA": "United"}, origins=("EWR", "JFK"))


def _page() -> None:
    import streamlit as st

    from {{ cookiecutter.package_name }}.components.prediction import flight_form

    st.session_state.flight = flight_form()


@pytest.fixture
def form(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(cached, "filter_options", lambda: OPTIONS)
    at = AppTest.from_function(_page).run()
    assert not at.exception
    return at


def test_nothing_is_handed_over_before_a_submit(form):
    assert form.session_state.flight is None
    form.number_input(key="predict_distance").set_value(2475).run()  # staged, not submitted
    assert form.session_state.flight is None


def test_a_submit_hands_over_the_flight_as_entered_once(form):
    form.selectbox(key="predict_carrier").select("UA")
    form.segmented_control(key="predict_origin").set_value("JFK")
    form.select_slider(key="predict_month").set_value(12)
    form.slider(key="predict_hour").set_value(6)
    form.number_input(key="predict_distance").set_value(2475)
    form.number_input(key="predict_dep_delay").set_value(-5)
    form.button(key="predict_submit").click().run()
    assert not form.exception
    assert form.session_state.flight == {
        "carrier": "UA",
        "origin": "JFK",
        "month": 12,
        "hour": 6,
        "distance": 2475,
        "dep_delay": -5,
    }
    form.run()  # a rerun that no submit started
    assert form.session_state.flight is None
