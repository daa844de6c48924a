"""The database's tables, created on first use."""

import streamlit as st
from sqlalchemy import Connection

from ..data.schema import metadata
from ..resources.database import run_in_database


@st.cache_resource(max_entries=1, show_spinner=False)
def require_database() -> None:
    """Create the tables that do not exist yet; once per process (``st.cache_resource``
    runs it for the first caller while the others wait), then one cache lookup.

    Call it at the top of every page that queries the database.

    Raises:
        DatabaseUnavailable: the database can't answer; nothing is cached, so the next call
            tries again.
    """
    run_in_database(_create_tables)


def _create_tables(con: Connection) -> None:
    metadata.create_all(con)  # only what is missing: safe on every start
    con.commit()
