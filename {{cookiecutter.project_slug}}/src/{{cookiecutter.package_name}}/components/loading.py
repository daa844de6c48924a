"""The database's one-time preparation (``data/source.py``: its migrations, then its data's
first load{% if not cookiecutter.__db_server %}, and later the rows that jobs loaded again{% endif %}), with progress shown on the page{% if cookiecutter.__db_server %}; and the
cached reads dropped once a job has loaded data again{% endif %}.

The load runs in a worker thread, not in the visitor's script run: Streamlit stops a script
whose visitor leaves, and a load stopped half-way would roll back and start over on the next
visit. ``st.cache_resource`` keeps one load per process, shared by every session; the
visitor's page only watches it.
"""

import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
{%- if cookiecutter.__db_server %}
from datetime import datetime
{%- endif %}

import streamlit as st
from sqlalchemy import Engine

from .. import metrics
from ..data import reload
from ..data.source import is_ready, load_database
from ..errors import DatabaseUnavailable
from ..resources.database import database, run_in_database, unavailable_as_message


@dataclass
class Progress:
    """How far the load got: a fraction 0.0..1.0 and what it is doing; the load's callback."""

    done: float = 0.0
    what: str = "Starting"

    def __call__(self, done: float, what: str) -> None:
        self.done, self.what = done, what


@dataclass(frozen=True)
class Load:
    """The process's preparation of the database: the result of ``load_database`` to come (True
    when this load wrote the data), and its progress."""

    result: Future[bool]
    progress: Progress


def _still_current(load: Load) -> bool:
    # A failed load is dropped from the cache, so the next visit starts another{% if not cookiecutter.__db_server %}; so is one
    # that ended before a job left rows it read, so the next visit puts them in place{% endif %}.
    if not load.result.done():
        return True
    return load.result.exception() is None{% if not cookiecutter.__db_server %} and not reload.staged(){% endif %}


def _load(engine: Engine, progress: Progress) -> bool:
    # Its statements are the app's own, tested: a driver error here is the database's.
    started = time.perf_counter()
    with unavailable_as_message(engine, connecting=True):
        wrote = load_database(engine, progress)
    metrics.LOAD_SECONDS.set(time.perf_counter() - started)
    if wrote:
        st.cache_data.clear()  # no page may show what was read before
    return wrote


@st.cache_resource(max_entries=1, show_spinner=False, validate=_still_current)
def database_load() -> Load:
    """The database's preparation (``source.load_database``: the migrations the schema lacks,
    then the data's first load): started on the first call in this process, or done already
    when the data is there and the schema current. Every later call returns the same
    ``Load``, until one fails{% if not cookiecutter.__db_server %} or a job leaves rows it read{% endif %}: the next call after that
    starts another.

    Raises:
        DatabaseUnavailable: the database can't say whether the data is there; nothing is
            cached, so the next call asks again.
    """
    progress = Progress()
    if run_in_database(is_ready):
        result: Future[bool] = Future()
        result.set_result(False)
        return Load(result, progress)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database-load")
    load = Load(worker.submit(_load, database(), progress), progress)
    worker.shutdown(wait=False)  # the thread ends with the load
    return load


def require_database() -> None:
    """Prepare the database on first use (``database_load``), showing progress; after that,
    one cache lookup{% if cookiecutter.__db_server %} and a check for a job's new load{% else %} and a look for rows that a job read{% endif %}.

    Call it at the top of every page that queries the database, before any cached query.

    Raises:
        DatabaseUnavailable: the database can't be reached, now or during the load; the next
            visit tries again.
        RuntimeError: the load failed otherwise (its error is the cause); the next visit
            tries again.
    """
    load = database_load()
    if not load.result.done():
        with st.status("Preparing the data", expanded=True) as status:
            bar = st.progress(0.0)
            while wait([load.result], timeout=0.2).not_done:
                bar.progress(load.progress.done, load.progress.what)
            status.update(label="Data ready", state="complete", expanded=False)
    if isinstance(error := load.result.exception(), DatabaseUnavailable):
        raise error
    if error:
        raise RuntimeError("Preparing the data failed") from error
{%- if cookiecutter.__db_server %}
    _drop_cached_reads_after_a_reload()
{%- endif %}
{%- if cookiecutter.__db_server %}


RELOAD_CHECK_SECONDS = 5
"""How long a process's cached reads may outlive a load that a job's worker commits
(``data/reload.py``): the newest load's time is read again this often."""


@st.cache_data(ttl=RELOAD_CHECK_SECONDS, max_entries=1, show_spinner=False)
def _newest_load() -> datetime | None:
    return run_in_database(reload.newest_load)


@st.cache_resource(max_entries=1, show_spinner=False)
def _loads_seen() -> set[datetime | None]:
    return set()  # the newest load this process's cached reads came from, once one is known


def _drop_cached_reads_after_a_reload() -> None:
    # A cache lookup on most calls; a query at most every RELOAD_CHECK_SECONDS.
    newest, seen = _newest_load(), _loads_seen()
    if newest not in seen:
        if seen:
            st.cache_data.clear()
        seen.clear()
        seen.add(newest)
{%- endif %}
