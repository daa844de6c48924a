"""Predict: a flight's arrival delay from its carrier, airport, time and departure delay."""

import calendar

import streamlit as st

from {{ cookiecutter.package_name }}.components.loading import require_flight_data
from {{ cookiecutter.package_name }}.data import cached
from {{ cookiecutter.package_name }}.model.delay import predict
from {{ cookiecutter.package_name }}.resources.model import delay_model

st.title("Predict an arrival delay", anchor=False)
require_flight_data()

options = cached.filter_options()
with st.form("predict_form"):  # one rerun per prediction, not one per widget change
    carrier = st.selectbox(
        "Carrier",
        list(options.carriers),
        format_func=lambda code: f"{options.carriers[code]} ({code})",
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

if submitted:
    model = delay_model()  # trained on the first prediction in this process, then shared
    minutes = predict(
        model,
        carrier=carrier,
        origin=origin,
        month=month,
        hour=hour,
        distance=distance,
        dep_delay=dep_delay,
    )
    st.metric(
        "Predicted arrival delay",
        f"{minutes:.0f} min",
        delta=round(minutes - dep_delay),  # a number, so no change shows grey
        delta_color="inverse",  # time made up in the air is good news
        delta_description="min vs. departure delay",
        border=True,
        width="content",
    )
    st.caption(
        f"Fitted on {model.trained_rows:,} flights of 2013. On {model.tested_rows:,} other "
        f"flights it never saw, its predictions were off by {model.mae_minutes:.1f} minutes "
        "on average."
    )
