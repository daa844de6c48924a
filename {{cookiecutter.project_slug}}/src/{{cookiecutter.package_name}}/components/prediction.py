"""The Predict page's form, a flight's details in, and its answer, a predicted arrival delay."""

import calendar
from typing import TypedDict

import streamlit as st

from ..data import cached
from ..data.filters import carrier_label
from ..model.delay import DelayModel
from ..model.versions import ModelVersion


class Flight(TypedDict):
    """One flight, as ``delay.predict`` takes it: carrier and origin codes, month (1..12),
    scheduled departure hour (0..23, New York time), distance in miles and departure delay in
    minutes (negative: early)."""

    carrier: str
    origin: str
    month: int
    hour: int
    distance: int
    dep_delay: int


def flight_form() -> Flight | None:
    """Draw a form for one flight's details, offering the carriers and origins of the
    flights database (``cached.filter_options``). Returns the flight as entered on the run
    that its submit button started, and None on every other run.

    A form: its widgets (keys ``predict_<field>`` and ``predict_submit``) rerun the page only
    on a submit, so there is one prediction per submit, not one per widget change.

    Raises:
        DatabaseUnavailable: the database could not list the carriers and origins.
    """
    options = cached.filter_options()
    with st.form("predict_form"):
        carrier = st.selectbox(
            "Carrier",
            list(options.carriers),
            format_func=lambda code: carrier_label(code, options.carriers[code]),
            key="predict_carrier",
        )
        origin = st.segmented_control(
            "Origin",
            options.origins,
            default=options.origins[0],
            required=True,
            help="New York airport the flight leaves from.",
            key="predict_origin",
        )
        month = st.select_slider(
            "Month",
            list(range(1, 13)),
            value=7,
            format_func=lambda number: calendar.month_abbr[number],
            key="predict_month",
        )
        hour = st.slider(
            "Scheduled departure hour",
            0,
            23,
            value=17,
            format="%d:00",
            help="Local New York time.",
            key="predict_hour",
        )
        with st.container(horizontal=True):
            distance = st.number_input(
                "Distance (miles)",
                min_value=10,
                max_value=5000,
                value=1000,
                step=50,
                help="From New York: Boston is about 190 miles, Los Angeles about 2,450.",
                key="predict_distance",
            )
            dep_delay = st.number_input(
                "Departure delay (min)",
                min_value=-60,
                max_value=1440,
                value=0,
                step=5,
                help="Negative when the flight left early.",
                key="predict_dep_delay",
            )
        submitted = st.form_submit_button(
            "Predict", icon=":material/online_prediction:", type="primary", key="predict_submit"
        )
    if not submitted:
        return None
    return Flight(
        carrier=carrier,
        origin=origin,
        month=month,
        hour=hour,
        distance=distance,
        dep_delay=dep_delay,
    )


def delay_metric(
    minutes: float, flight: Flight, model: DelayModel, version: ModelVersion | None
) -> None:
    """``minutes``, the arrival delay that ``model`` predicts for ``flight``, as a metric set
    against its departure delay; which model it is (``version``, or None for the one trained
    in this process), and how far off it was on flights it never saw."""
    st.metric(
        "Predicted arrival delay",
        f"{minutes:.0f} min",
        delta=round(minutes - flight["dep_delay"]),  # a number, so no change shows grey
        delta_color="inverse",  # time made up in the air is good news
        delta_description="min vs. departure delay",
        border=True,
        width="content",
    )
    which = (
        f"Model version {version.number}, trained {version.trained_at:%b %d, %H:%M} UTC."
        if version
        else "Model trained by this server (no Train job has saved a version yet)."
    )
    st.caption(
        f"{which} Fitted on {model.trained_rows:,} flights of 2013. On {model.tested_rows:,} "
        f"other flights it never saw, its predictions were off by {model.mae_minutes:.1f} "
        "minutes on average."
    )
