"""The charts, each drawn from a small aggregated frame (12 or 365 rows)."""

import pandas as pd
import streamlit as st


def monthly_flights_chart(summary: pd.DataFrame) -> None:
    """Bars of flights per month; ``summary`` as from ``queries.monthly_summary``."""
    st.bar_chart(
        summary,
        x="month",
        y="flights",
        x_label="Month",
        y_label="Flights",
        height=280,
        alt="Bar chart of flights per month in 2013",
    )


def daily_delay_chart(daily: pd.DataFrame) -> None:
    """Lines of mean departure and arrival delay per day; ``daily`` as from
    ``queries.daily_delays``."""
    st.line_chart(
        daily.rename(columns={"mean_dep_delay": "Departure", "mean_arr_delay": "Arrival"}),
        x="date",
        y=["Departure", "Arrival"],
        x_label="Day",
        y_label="Mean delay (min)",
        height=280,
        alt="Line chart of mean departure and arrival delay per day",
    )
