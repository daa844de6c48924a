"""The charts, each drawn from a small aggregated frame (12 or 365 rows).

Plain Vega-Lite specs: ``st.line_chart`` and friends build and validate an Altair chart on
every rerun (about 40 ms for the daily chart); a fixed spec costs nothing to build, and the
frame goes to the browser as Arrow.
"""

import pandas as pd
import streamlit as st

MONTHLY_FLIGHTS = {
    "mark": {"type": "bar", "tooltip": True},
    "encoding": {
        "x": {"field": "month", "type": "ordinal", "title": "Month", "axis": {"labelAngle": 0}},
        "y": {"field": "flights", "type": "quantitative", "title": "Flights"},
    },
    "height": 260,
}

DAILY_DELAYS = {
    "transform": [
        {"fold": ["mean_dep_delay", "mean_arr_delay"], "as": ["delay", "minutes"]},
        {
            "calculate": "datum.delay == 'mean_dep_delay' ? 'Departure' : 'Arrival'",
            "as": "delay",
        },
    ],
    "mark": {"type": "line", "tooltip": True},
    "encoding": {
        "x": {"field": "date", "type": "temporal", "title": "Day"},
        "y": {"field": "minutes", "type": "quantitative", "title": "Mean delay (min)"},
        "color": {"field": "delay", "type": "nominal", "title": None},
    },
    "height": 260,
}


def monthly_flights_chart(monthly: pd.DataFrame) -> None:
    """Bars of flights per month; ``monthly`` as from ``queries.monthly_flights``."""
    st.vega_lite_chart(monthly, MONTHLY_FLIGHTS, alt="Bar chart of flights per month in 2013")


def daily_delay_chart(daily: pd.DataFrame) -> None:
    """Lines of mean departure and arrival delay per day; ``daily`` as from
    ``queries.daily_delays``."""
    st.vega_lite_chart(
        daily, DAILY_DELAYS, alt="Line chart of mean departure and arrival delay per day"
    )
