"""JSON log lines under ``streamlit run``, which has no startup hook: set up by the first
script run of the server process, when ``config.LOG_JSON`` asks for them (the image does)."""

import streamlit as st

from .. import logs
from ..config import DATABASE_URL, LOG_JSON


@st.cache_resource(max_entries=1, show_spinner=False)
def json_logs() -> bool:
    """Under ``config.LOG_JSON``, every log line from here on one JSON object (``logs.py``),
    with the secrets' values and the database's password left out; once per process.
    Returns whether it set them up. Streamlit's own startup lines, printed before the first
    run, stay text."""
    if LOG_JSON:
        logs.configure_json(logs.secret_strings(st.secrets, [DATABASE_URL]))
    return LOG_JSON
