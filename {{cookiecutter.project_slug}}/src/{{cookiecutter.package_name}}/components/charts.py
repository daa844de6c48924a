"""The charts, each drawn from a small aggregated frame (12 or 365 rows).

Plain Vega-Lite specs: ``st.line_chart`` and friends build and validate an Altair chart on
every rerun (about 40 ms for the daily chart); a fixed spec costs nothing to build, and the
frame goes to the browser as Arrow.

Each frame goes as a named dataset, which the browser gives Vega-Lite as it builds the chart.
A frame passed as ``data`` arrives only after the chart's first render, from no rows, and Vega
warns of an "infinite extent" for every scale it sized from them.

Colours come from the theme (``chartCategoricalColors`` in ``.streamlit/config.toml``, the
Okabe-Ito palette); a spec fixes only the order of its series, so each keeps its colour.
"""

from typing import Any

import pandas as pd
import streamlit as st

MONTHLY_FLIGHTS: dict[str, Any] = {
    "data": {"name": "monthly"},
    "transform": [{"calculate": "monthFormat(datum.month - 1)", "as": "month_name"}],
    "mark": "bar",
    "encoding": {
        "x": {
            "field": "month",
            "type": "ordinal",
            "title": None,
            "scale": {"domain": list(range(1, 13))},  # a month without flights stays a gap
            "axis": {"labelAngle": 0, "labelExpr": "monthAbbrevFormat(datum.value - 1)"},
        },
        "y": {"field": "flights", "type": "quantitative", "title": "Flights"},
        "tooltip": [
            {"field": "month_name", "title": "Month"},
            {"field": "flights", "type": "quantitative", "title": "Flights", "format": ","},
        ],
    },
    "height": 260,
}

DELAY_SERIES = ("Arrival", "Departure")
"""The daily chart's series, in colour order: arrival takes the theme's first colour."""

DAILY_DELAYS: dict[str, Any] = {
    "data": {"name": "daily"},
    "transform": [
        {"fold": ["mean_dep_delay", "mean_arr_delay"], "as": ["delay", "minutes"]},
        {
            "calculate": "datum.delay == 'mean_dep_delay' ? 'Departure' : 'Arrival'",
            "as": "delay",
        },
    ],
    "mark": {"type": "line", "strokeWidth": 1.5},
    "encoding": {
        "x": {
            "field": "date",
            "type": "temporal",
            "title": None,
            "axis": {"format": "%b %-d"},  # one format, for a week's ticks as for a year's
        },
        "y": {"field": "minutes", "type": "quantitative", "title": "Mean delay (min)"},
        "color": {
            "field": "delay",
            "type": "nominal",
            "title": None,
            "scale": {"domain": list(DELAY_SERIES)},
            "legend": {"orient": "top"},  # a side legend squeezes the lines on a phone
        },
    },
    "height": 260,
}


def monthly_flights_chart(monthly: pd.DataFrame) -> None:
    """Bars of flights per month, January to December; ``monthly`` as from
    ``queries.monthly_flights`` (``month`` 1..12, ``flights``)."""
    st.vega_lite_chart(
        spec={**MONTHLY_FLIGHTS, "datasets": {"monthly": monthly}},
        alt="Bar chart of flights per month in 2013",
    )


def daily_delay_chart(daily: pd.DataFrame) -> None:
    """Lines of mean departure and arrival delay per day, in minutes; ``daily`` as from
    ``queries.daily_delays``, with at least one row (an empty frame draws empty axes)."""
    st.vega_lite_chart(
        spec={**DAILY_DELAYS, "datasets": {"daily": daily}},
        alt="Line chart of mean departure and arrival delay per day",
    )
