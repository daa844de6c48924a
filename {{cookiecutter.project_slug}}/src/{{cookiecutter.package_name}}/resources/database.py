{% if cookiecutter.database == "none" -%}
"""The tables' engine: one per process, shared by every session.

The tables are Parquet files under ``DATA_DIR``, which DuckDB queries in memory (see
``data/parquet.py``). ``st.cache_resource`` builds the engine once per process; each query
borrows one of its pooled connections, so the sessions' threads never share one.
"""

import streamlit as st
from sqlalchemy import Engine

from ..config import DATA_DIR
from ..data.parquet import parquet_engine
from ..data.schema import metadata


def _folder_exists(engine: Engine) -> bool:
    return DATA_DIR.is_dir()


@st.cache_resource(show_spinner=False, validate=_folder_exists, on_release=Engine.dispose)
def database() -> Engine:
    """The engine over the Parquet tables in ``DATA_DIR``, which it creates where missing.

    Invalidation: built again, with empty tables, if ``DATA_DIR`` disappears while the app
    runs; restart the server to load the data again.
    """
    return parquet_engine(DATA_DIR, metadata)
{%- else -%}
"""The database connection: one SQLAlchemy engine per process, shared by every session.

``st.connection`` builds it once per process (it is ``st.cache_resource`` underneath) and
keeps it for the life of the process. The engine hands each query its own pooled
connection, so the sessions' threads never share one; ``pool_pre_ping`` checks a pooled
connection before use.
"""

import streamlit as st
from sqlalchemy import Engine

from ..config import DATA_DIR, DATABASE_URL


def database() -> Engine:
    """The app's database engine: ``DATABASE_URL`` when set, otherwise the
    ``[connections.db]`` section of ``st.secrets``.

    Raises:
        StreamlitAPIException: neither says where the database is.
    """
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # an embedded database's file lives here
    url = {"url": DATABASE_URL} if DATABASE_URL else {}
    return st.connection("db", type="sql", pool_pre_ping=True, **url).engine
{%- endif %}
