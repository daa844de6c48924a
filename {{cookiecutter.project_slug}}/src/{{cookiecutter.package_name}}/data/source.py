"""Prepare the database, once, in one transaction: bring its schema up to date, then load
what it lacks of the app's data, each source in turn (your own files, ``imports.py``, last).
No Streamlit here.
"""

import threading

from sqlalchemy import Connection, Engine, text

from . import imports{% if cookiecutter.sample_data == "nycflights13" %}, nycflights13{% endif %}
from .imports import ProgressCallback
from .migrate import is_current, upgrade

_load_lock = threading.Lock()  # one load per process; the migrations' lock spans processes


def is_ready(con: Connection) -> bool:
    """Whether the schema is current and all the data loaded: nothing to migrate, nothing to
    load (a quick query each)."""
    return is_current(con) and {% if cookiecutter.sample_data == "nycflights13" %}nycflights13.is_loaded(con) and {% endif %}imports.is_loaded(con)


def load_database(engine: Engine, on_progress: ProgressCallback | None = None) -> bool:
    """Migrate the schema (``migrate.upgrade``), then load each source of data that this
    database lacks.

    Safe to call from many sessions and processes at once: one prepares, under the
    migrations' lock, the others wait, then find nothing left to do.

    Returns:
        True if this call loaded any data, False if all of it was there already.
    """
    with _load_lock, engine.begin() as con:
        if con.dialect.name == "postgresql":
            # The app's statement_timeout is for pages; a file's load (and the wait for
            # another process's) may take longer.
            con.execute(text("SET LOCAL statement_timeout = '30min'"))
        if on_progress:
            on_progress(0.0, "Bringing the schema up to date")
        upgrade(con)  # takes the lock that keeps other processes waiting until this commits
        wrote = False
{%- if cookiecutter.sample_data == "nycflights13" %}
        if not nycflights13.is_loaded(con):
            nycflights13.load(con, on_progress)
            wrote = True
{%- endif %}
        if not imports.is_loaded(con):
            imports.load_imports(con, on_progress)
            wrote = True
    if on_progress:
        on_progress(1.0, "Data ready")
    return wrote
