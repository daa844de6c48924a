"""A schema change in a bake, made as its README says, on every backend: edit ``schema.py``,
let Alembic write the migration, apply it to a database that holds rows, and lose none.

The bake's own tests check the shipped migrations (they build what ``schema.py`` declares, and
adopt a database made before them); these run the user's commands, ``alembic revision
--autogenerate`` and ``alembic upgrade head``, with the template environment's Alembic.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.checks import assert_ruff_clean

pytestmark = pytest.mark.slow  # runs Alembic in a bake, on a real database

NOTES = ("first", "second", "third")

NEW_COLUMN = '    Column("pinned", Boolean, doc="shown first when true"),\n'

NEW_TABLE = """
tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False),
)
"""
"""A table with an Integer key, numbered by the database: the schema module says it works."""


def alembic(project: Path, env: dict[str, str], *args: str) -> str:
    """``alembic <args>`` in ``project`` (as ``uv run alembic``); returns what it printed."""
    run = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


def database_url(project: Path, env: dict[str, str]) -> str:
    """The URL the bake's app would use with ``env``."""
    show = "from flight_delays.config import DATABASE_URL; print(DATABASE_URL)"
    run = subprocess.run(
        [sys.executable, "-c", show], cwd=project / "src", env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize("database", ["duckdb", "sqlite", "parquet", "postgresql"])
def test_a_column_added_through_a_migration_keeps_every_row(bake, tmp_path, request, database):
    project = tmp_path / "project"
    shutil.copytree(bake(sample_data="none", database=database), project)
    env = {**os.environ, "FLIGHT_DELAYS_DATA_DIR": str(tmp_path / "data")}
    if database == "postgresql":
        env["FLIGHT_DELAYS_DATABASE_URL"] = request.getfixturevalue("postgres_database")
    alembic(project, env, "upgrade", "head")
    engine = create_engine(database_url(project, env))
    with engine.begin() as con:
        for number, body in enumerate(NOTES):
            con.execute(
                text("INSERT INTO notes (id, body, created_at) VALUES (:id, :body, :at)"),
                {"id": f"{number:032d}", "body": body, "at": f"2025-07-0{number + 1} 12:00:00"},
            )
    engine.dispose()  # an embedded file has one process at a time

    schema = project / "src/flight_delays/data/schema.py"
    source = schema.read_text()
    imported = "    Column,\n    DateTime,\n    Double,\n"
    assert imported in source
    source = source.replace(imported, f"    Boolean,\n{imported}    Integer,\n")
    anchor = '    Column("created_at",'
    assert anchor in source
    schema.write_text(source.replace(anchor, NEW_COLUMN + anchor) + NEW_TABLE)
    alembic(project, env, "revision", "--autogenerate", "-m", "pin notes")
    (written,) = (project / "src/flight_delays/migrations/versions").glob("0003_*.py")
    assert written.name == "0003_pin_notes.py"  # after the example table's 0002
    migration = written.read_text()
    assert "add_column" in migration and "pinned" in migration and "create_table" in migration
    assert_ruff_clean(project)  # Alembic's post-write hooks ran ruff over it

    alembic(project, env, "upgrade", "head")
    assert "No new upgrade operations detected" in alembic(project, env, "check")
    engine = create_engine(database_url(project, env))
    with engine.begin() as con:
        rows = con.execute(text("SELECT body, pinned FROM notes ORDER BY id")).all()
        con.execute(text("INSERT INTO tags (name) VALUES ('home'), ('work')"))
        tags = con.execute(text("SELECT id, name FROM tags ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(body, None) for body in NOTES]
    assert [tuple(row) for row in tags] == [(1, "home"), (2, "work")]
