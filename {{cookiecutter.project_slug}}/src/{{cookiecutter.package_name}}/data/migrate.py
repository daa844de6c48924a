"""The schema's changes, applied with Alembic: the app brings its database to the newest
migration itself, at its first use in a process, before any query; so a deploy needs no extra
step and a database is never used behind its code.

The migrations live in ``migrations/versions/`` inside the package (so they ship with it, in
the image too). By hand, from the project's folder (settings in ``pyproject.toml``):

    uv run alembic upgrade head                        # what the app does at its start
    uv run alembic revision --autogenerate -m "..."    # a new migration from schema.py's change
    uv run alembic check                               # schema.py and the migrations agree

No Streamlit here.
"""

import functools
from pathlib import Path

{% if cookiecutter.__db_dialect == "duckdb" -%}
# Registers Alembic's operations for DuckDB, whichever of the two is imported first.
import duckdb_sqlalchemy.alembic_impl  # noqa: F401
{% endif -%}
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from ..errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).parents[1] / "migrations"
"""Alembic's script folder: ``env.py``, and the migrations in ``versions/``."""

LOCK_KEY = 1_2013_0001
"""PostgreSQL's advisory lock that lets one process at a time migrate (any number fits)."""


def alembic_config(con: Connection | None = None) -> Config:
    """Alembic's settings for ``MIGRATIONS``; with ``con``, ``env.py`` migrates on it (inside
    its transaction) instead of opening its own connection."""
    config = Config()
    # Alembic reads % in its options as interpolation: a folder's name may hold one.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if con is not None:
        config.attributes["connection"] = con
    return config


def _scripts() -> ScriptDirectory:
    # Read once, and again after a migration is added to the folder (tools/new.py writes one,
    # then migrates, in one process): a new file changes the folder's modification time.
    return _read_scripts((MIGRATIONS / "versions").stat().st_mtime_ns)


@functools.cache
def _read_scripts(stamp: int) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _current(con: Connection) -> set[str]:
    return set(MigrationContext.configure(con).get_current_heads())


def is_current(con: Connection) -> bool:
    """Whether ``con``'s database has every migration: one quick query of ``alembic_version``."""
    return _current(con) == set(_scripts().get_heads())


def lock(con: Connection) -> None:
    """Make ``con``'s transaction the only one that migrates until it ends: PostgreSQL's
    advisory lock; on SQLite its write lock, taken now, which also keeps DDL from committing
    at once as the driver would (DuckDB's file has one process). Call it before any other
    statement of the transaction."""
    if con.dialect.name == "postgresql":
        con.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif con.dialect.name == "sqlite":
        con.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(con: Connection) -> None:
    """Apply the migrations that ``con``'s database lacks, in ``con``'s transaction, under
    ``lock``: the caller commits, and a failure rolls every step back.

    Call it first on a new connection (or transaction), once per process, from one thread
    (the app does: in ``st.cache_resource`` or under the load's lock). Processes may call it at
    once: the first migrates and commits; the others wait on the lock, then find nothing to do.

    Raises:
        DatabaseUnavailable: the database holds a migration this code does not know (a newer
            version of the app migrated it): an operator must deploy that version again.
        sqlalchemy.exc.SQLAlchemyError: a migration failed; nothing of it is kept.
    """
    lock(con)
    current = _current(con)
    if current == set(_scripts().get_heads()):
        return
    if unknown := current - {script.revision for script in _scripts().walk_revisions()}:
        raise DatabaseUnavailable(
            f"The database's schema is at migration {', '.join(sorted(unknown))}, newer than"
            " this version of the app knows: deploy the version that made it.",
            retry=False,
        )
    command.upgrade(alembic_config(con), "heads")
