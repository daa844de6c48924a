"""About: what the data caches hold, and a button to clear them."""

import streamlit as st

from {{ cookiecutter.package_name }}.data import cached
from {{ cookiecutter.package_name }}.data.cache_status import cache_report

st.title("About this app", anchor=False)
st.markdown(
    "Each query runs on {{ cookiecutter.__db }} and its result is cached with `st.cache_data`. "
    "The table below counts, per cached function, the entries held now and the hits and "
    "misses since the server started."
)
st.button(
    "Clear data cache",
    icon=":material/delete_sweep:",
    on_click=cached.clear_all,  # a callback, so the table below already shows the cleared cache
    help="Every cached query recomputes on its next call.",
)
st.dataframe(
    cache_report(cached.CACHED),
    hide_index=True,
    column_config={"kib": st.column_config.NumberColumn("Size (KiB)", format="%.1f")},
    alt="Table of entries, size, hits and misses per cached function",
)
