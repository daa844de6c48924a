"""The database connection: one SQLAlchemy engine per process, shared by every session.

``st.connection`` builds it once per process (it is ``st.cache_resource`` underneath) and
keeps it for the life of the process. The engine hands each query its own pooled
connection, so the sessions' threads never share one; ``pool_pre_ping`` checks a pooled
connection before use.
"""

import streamlit as st
from sqlalchemy import Engine
from streamlit.connections import SQLConnection

from ..config import DATA_DIR, DATABASE_URL


def database() -> Engine:
    """The app's database engine: ``DATABASE_URL`` when set, otherwise the
    ``[connections.db]`` section of ``st.secrets``.

    Raises:
        StreamlitAPIException: neither says where the database is.
    """
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # an embedded database's file lives here
    if DATABASE_URL:  # the environment overrides the secrets
        connection = st.connection("db", type=SQLConnection, url=DATABASE_URL, pool_pre_ping=True)
    else:
        connection = st.connection("db", type=SQLConnection, pool_pre_ping=True)
    return connection.engine
