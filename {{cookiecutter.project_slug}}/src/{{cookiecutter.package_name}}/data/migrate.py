"""The schema's changes, applied with Alembic: the app brings its database to the newest
migration itself, at its first use in a process, under a lock; so a deploy needs no extra step
and a database is never used behind its code.

The migrations live in ``migrations/versions/`` inside the package (so they ship with it, in
the image too). By hand, from the project's folder (settings in ``pyproject.toml``):

    uv run alembic upgrade head                        # what the app does at its start
    uv run alembic revision --autogenerate -m "..."    # a new migration from schema.py's change
    uv run alembic check                               # schema.py and the migrations agree

No Streamlit here.
"""

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

MIGRATIONS = Path(__file__).parents[1] / "migrations"
"""Alembic's script folder: ``env.py``, and the migrations in ``versions/``."""

LOCK_KEY = 1_2013_0001
"""PostgreSQL's advisory lock that lets one process at a time migrate (any number fits)."""


def alembic_config(con: Connection | None = None) -> Config:
    """Alembic's settings for ``MIGRATIONS``; with ``con``, ``env.py`` migrates on it (inside
    its transaction) instead of opening its own connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if con is not None:
        config.attributes["connection"] = con
    return config


@functools.cache
def head() -> tuple[str, ...]:
    """The newest migration's revision (one; a tuple in case branches are merged later)."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_current(con: Connection) -> bool:
    """Whether ``con``'s database has every migration: one quick query of ``alembic_version``."""
    return tuple(MigrationContext.configure(con).get_current_heads()) == head()


def upgrade(con: Connection) -> None:
    """Apply the migrations that ``con``'s database lacks, in ``con``'s transaction: the caller
    commits, and a failure rolls every step back. A database made before migrations existed
    adopts the first one, whose tables are created only where missing.

    Call it once per process, from one thread (the app does: in ``st.cache_resource`` or under
    the load's lock). Processes may call it at once: on PostgreSQL an advisory lock, held to
    the transaction's end, lets one migrate while the others wait and then find nothing to do;
    an embedded file has one process.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: a migration failed; nothing of it is kept.
    """
    if con.dialect.name == "postgresql":
        con.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    if not is_current(con):
        command.upgrade(alembic_config(con), "head")
