"""The Predict page through AppTest, with the model trained on the real flights."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.resources.model import TRAINING_ROWS

ENTRYPOINT = str(Path(__file__).parents[1] / "streamlit_app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.user = {
        "is_logged_in": True,
        "name": "Ada",
        "email": "ada@example.com",
        "email_verified": True,
    }
    at.run()
    at.switch_page("app_pages/predict.py").run()
    assert not at.exception
    return at


def _predict(at: AppTest, dep_delay: int) -> float:
    """Fill the form with one United flight from JFK, submit it, return the minutes shown."""
    at.selectbox(key="predict_carrier").select("UA")
    at.segmented_control(key="predict_origin").set_value("JFK")
    at.select_slider(key="predict_month").set_value(7)
    at.slider(key="predict_hour").set_value(18)
    at.number_input(key="predict_distance").set_value(2475)
    at.number_input(key="predict_dep_delay").set_value(dep_delay)
    at.button(key="predict_submit").click().run()
    assert not at.exception
    (metric,) = at.main.metric
    assert metric.label == "Predicted arrival delay"
    return float(metric.value.removesuffix(" min"))


def test_nothing_is_predicted_before_submitting(app):
    assert app.title[0].value == "Predict an arrival delay"
    assert not app.metric


def test_a_submitted_flight_gets_a_prediction_and_the_model_error(app):
    on_time, late = _predict(app, dep_delay=0), _predict(app, dep_delay=120)
    assert late - on_time > 60
    caption = app.main.caption[-1].value  # the sidebar may hold the sign-in caption
    fitted = re.search(r"Fitted on ([\d,]+) flights", caption)
    assert fitted, caption
    trained = int(fitted[1].replace(",", ""))
    assert 0.9 * 0.8 * TRAINING_ROWS <= trained <= 0.8 * TRAINING_ROWS  # a fifth is held out
    assert "minutes on average" in caption
