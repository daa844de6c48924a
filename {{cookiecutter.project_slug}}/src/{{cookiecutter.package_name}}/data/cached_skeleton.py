"""The only module that knows about ``st.cache_data``: one thin wrapper per query.

Each wrapper states its bounds and its invalidation rule, and borrows a pooled connection
from the shared engine for its query.
"""

import pandas as pd
import streamlit as st

from ..resources.database import database
from . import queries


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def recent_notes(search: str) -> pd.DataFrame:
    """The newest notes matching ``search`` (see ``queries.recent_notes``); one entry per
    search. Invalidation: ``add_note`` clears it; the ``ttl`` picks up other writers."""
    with database().connect() as con:
        return queries.recent_notes(con, search)


def add_note(body: str) -> None:
    """Store a note (see ``queries.add_note``, which raises ``NoteError``), then drop the
    cached lists so every session sees it on its next rerun."""
    with database().connect() as con:
        queries.add_note(con, body)
    recent_notes.clear()
