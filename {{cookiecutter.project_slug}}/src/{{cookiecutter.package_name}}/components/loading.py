"""The one-time build of the flights database, with progress shown on the page."""

import streamlit as st

from ..config import DATABASE_PATH
from ..data.source import build_database


def require_flight_data() -> None:
    """Build the flights database on first use, showing progress; after that, a file check.

    Call it at the top of a page that queries flights, before any cached query: those would
    build the database too, but silently.
    """
    if DATABASE_PATH.exists():
        return
    with st.status("Preparing the flight data (first run only)", expanded=True) as status:
        bar = st.progress(0.0)
        build_database(DATABASE_PATH, on_progress=lambda done, what: bar.progress(done, what))
        status.update(label="Flight data ready", state="complete", expanded=False)
