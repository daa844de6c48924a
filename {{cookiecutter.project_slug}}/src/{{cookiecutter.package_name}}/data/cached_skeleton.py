"""The only module that knows about ``st.cache_data``: one thin wrapper per query.

Each wrapper states its bounds and its invalidation rule, and runs its query through
``run_in_database``: on a pooled connection, within ``QUERY_TIMEOUT_SECONDS``. A database
that can't answer raises ``DatabaseUnavailable``, which nothing caches.
"""

import pandas as pd
import streamlit as st

from ..resources.database import run_in_database
from . import queries


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def recent_notes(search: str) -> pd.DataFrame:
    """The newest notes matching ``search`` (see ``queries.recent_notes``); one entry per
    search. Invalidation: ``add_note`` clears it; the ``ttl`` picks up other writers."""
    return run_in_database(queries.recent_notes, search)


def add_note(body: str) -> None:
    """Store a note (see ``queries.add_note``, which raises ``NoteError``), then drop the
    cached lists so every session sees it on its next rerun."""
    run_in_database(queries.add_note, body)
    recent_notes.clear()
{% with page = cookiecutter.__example_page %}{% include "tools/templates/cached.py.jinja" %}{% endwith %}