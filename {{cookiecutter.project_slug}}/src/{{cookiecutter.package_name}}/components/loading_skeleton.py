"""The database's tables, created on first use."""

import streamlit as st

from ..data.schema import metadata
from ..resources.database import database


@st.cache_resource(max_entries=1, show_spinner=False)
def require_database() -> None:
    """Create the tables that do not exist yet; once per process (``st.cache_resource``
    runs it for the first caller while the others wait), then one cache lookup.

    Call it at the top of every page that queries the database.
    """
    metadata.create_all(database())  # only what is missing: safe on every start
