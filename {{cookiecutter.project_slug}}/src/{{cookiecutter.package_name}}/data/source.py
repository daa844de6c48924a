"""Prepare the database, once, in one transaction: bring its schema up to date, then load
what it lacks of the app's data, each source in turn (your own files, ``imports.py``, last).
Jobs load data again (``reload.py``): {% if cookiecutter.__db_server %}a worker runs ``reload_database``{% else %}the next preparation puts the rows they read in
place{% endif %}. No Streamlit here.
"""

import threading

from sqlalchemy import Connection, Engine, Table, text

from . import imports{% if cookiecutter.sample_data == "nycflights13" %}, nycflights13{% endif %}, reload
from .imports import ProgressCallback
from .migrate import is_current, upgrade

_load_lock = threading.Lock()  # one load per process; the migrations' lock spans processes


def is_ready(con: Connection) -> bool:
    """Whether the schema is current and all the data loaded: nothing to migrate, nothing to
    load (a quick query each{% if not cookiecutter.__db_server %}, and a look for rows that jobs read{% endif %})."""
{%- if not cookiecutter.__db_server %}
    if reload.staged():
        return False
{%- endif %}
    return is_current(con) and {% if cookiecutter.sample_data == "nycflights13" %}nycflights13.is_loaded(con) and {% endif %}imports.is_loaded(con)


def _begin_load(con: Connection, on_progress: ProgressCallback | None) -> None:
    # The first steps of a load, in its transaction: lift the pages' time limit (a file's load,
    # and the wait for another process's, may take longer), then migrate, which takes the lock
    # that keeps other processes waiting until this transaction commits.
    if con.dialect.name == "postgresql":
        con.execute(text("SET LOCAL statement_timeout = '30min'"))
    if on_progress:
        on_progress(0.0, "Bringing the schema up to date")
    upgrade(con)


def load_database(engine: Engine, on_progress: ProgressCallback | None = None) -> bool:
    """Migrate the schema (``migrate.upgrade``),{% if not cookiecutter.__db_server %} put the rows that jobs read in place of the
    loaded ones,{% endif %} then load each source of data that this
    database lacks.

    Safe to call from many sessions and processes at once: one prepares, under the
    migrations' lock, the others wait, then find nothing left to do.

    Returns:
        True if this call loaded any data, False if all of it was there already.
    """
    with _load_lock, engine.begin() as con:
        _begin_load(con, on_progress)
{%- if cookiecutter.__db_server %}
        wrote = False
{%- else %}
        staged = reload.staged()
        for folder in staged:
            reload.load_again(con, reload.dataset_of(folder), folder, on_progress)
        wrote = bool(staged)
{%- endif %}
{%- if cookiecutter.sample_data == "nycflights13" %}
        if not nycflights13.is_loaded(con):
            nycflights13.load(con, on_progress)
            wrote = True
{%- endif %}
        if not imports.is_loaded(con):
            imports.load_imports(con, on_progress)
            wrote = True
{%- if not cookiecutter.__db_server %}
    for folder in staged:
        reload.discard(folder)  # in place: the transaction committed
{%- endif %}
    if on_progress:
        on_progress(1.0, "Data ready")
    return wrote


def load_new(engine: Engine, item: imports.Import, table: Table) -> int:
    """Migrate the schema, then load ``item``'s file into ``table``, in one transaction under
    the migrations' lock: what ``tools/new.py table`` does right after it writes ``table``,
    its migration and ``item`` (which this process's modules lack). The other sources wait
    for the app's next load.

    Returns:
        The rows loaded.

    Raises:
        ImportFileError, duckdb.Error: as ``imports.load_file``; nothing is changed.
    """
    with _load_lock, engine.begin() as con:
        _begin_load(con, None)
        return imports.load_one(con, item, table)
{%- if cookiecutter.__db_server %}


def reload_database(
    engine: Engine, dataset: str, on_progress: ProgressCallback | None = None
) -> int:
    """Load ``dataset`` again in place of its loaded rows (``reload.load_again``), in one
    transaction under the migrations' lock: the pages read the old rows until it commits. A
    job runs it in a worker (``reload.py``).

    Returns:
        The rows loaded.
    """
    with _load_lock, engine.begin() as con:
        _begin_load(con, on_progress)
        return reload.load_again(con, dataset, on_progress=on_progress)
{%- endif %}
