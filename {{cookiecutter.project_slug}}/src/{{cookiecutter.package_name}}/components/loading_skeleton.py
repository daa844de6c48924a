"""The database's schema, brought to the newest migration on first use."""

import streamlit as st
from sqlalchemy import Connection

from ..data.migrate import upgrade
from ..resources.database import run_in_database


@st.cache_resource(max_entries=1, show_spinner=False)
def require_database() -> None:
    """Apply the migrations the database lacks (``data/migrate.py``); once per process
    (``st.cache_resource`` runs it for the first caller while the others wait), then one
    cache lookup.

    Call it at the top of every page that queries the database. The migrations run within
    the per-query time limit: run a long one before the deploy, with
    ``uv run alembic upgrade head``, and the app finds nothing left to do.

    Raises:
        DatabaseUnavailable: the database can't answer; nothing is cached, so the next call
            tries again.
    """
    run_in_database(_migrate)


def _migrate(con: Connection) -> None:
    upgrade(con)
    con.commit()
