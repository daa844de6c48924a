"""Prepare the database, once: its migrations, then the first load of your own files
(``imports.py``), in one transaction. No Streamlit here.
"""

import threading

from sqlalchemy import Connection, Engine, text

from . import imports
from .imports import ProgressCallback
from .migrate import is_current, upgrade

_load_lock = threading.Lock()  # one load per process; the migrations' lock spans processes


def is_ready(con: Connection) -> bool:
    """Whether the schema is current and every file of ``imports.IMPORTS`` loaded: nothing to
    migrate, nothing to load (two quick queries)."""
    return is_current(con) and imports.is_loaded(con)


def load_database(engine: Engine, on_progress: ProgressCallback | None = None) -> bool:
    """Migrate the schema (``migrate.upgrade``) and load the files of ``imports.IMPORTS``
    that this database lacks, unless that was done already.

    Safe to call from many sessions and processes at once: one prepares, under the
    migrations' lock, the others wait, then find nothing left to do.

    Returns:
        True if this call loaded any file, False if there was nothing to load.
    """
    with _load_lock, engine.begin() as con:
        if con.dialect.name == "postgresql":
            # The app's statement_timeout is for pages; a file's load (and the wait for
            # another process's) may take longer.
            con.execute(text("SET LOCAL statement_timeout = '30min'"))
        if on_progress:
            on_progress(0.0, "Bringing the schema up to date")
        upgrade(con)  # takes the lock that keeps other processes waiting
        wrote = not imports.is_loaded(con)
        imports.load_imports(con, on_progress)
    if on_progress:
        on_progress(1.0, "Data ready")
    return wrote
