"""Tables kept as Parquet files, queried with SQL by DuckDB in memory: no database to run.

Each table is a folder of Parquet files named after it (``data/flights/``, ...). Every write
adds one file, written aside and then renamed into place, so a query never sees half of it;
``_schema.parquet``, with no rows, gives a table its columns before any write. Every
connection of the engine declares one view per table over its folder, and DuckDB lists the
files again on each query, so a write is seen by the next query. The SQLAlchemy Core queries
run here unchanged, and DuckDB reads only the columns and row groups a query needs.

Limits: a load of several tables is several files, not one transaction (the ``loads`` table
still records a load only once it is complete), and primary keys are checked by one process
at a time, so run one server process per data folder. No Streamlit here.
"""

import threading
from pathlib import Path
from uuid import uuid4

import duckdb
import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    cast,
    column,
    create_engine,
    event,
    func,
    null,
    select,
    tuple_,
)
from sqlalchemy import table as sql_table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateTable

SCHEMA_FILE = "_schema.parquet"
"""In every table's folder: no rows, the table's columns and types."""

_write_lock = threading.Lock()  # a key check and its write, one at a time


def _literal(path: Path) -> str:
    # A path as a SQL string literal: DuckDB takes no bound parameter for a file name.
    return "'" + str(path).replace("'", "''") + "'"


def parquet_engine(folder: Path, metadata: MetaData) -> Engine:
    """An engine whose tables, those of ``metadata``, are Parquet files under ``folder``.

    Creates ``folder`` and a subfolder per table where missing, and writes each table's
    ``SCHEMA_FILE`` from ``metadata`` (so a column added there reads as NULL in older files).
    The tables' other files are kept, so an engine on the same folder sees every earlier
    write. Each engine has its own in-memory DuckDB database, shared by its pooled
    connections.

    Raises:
        ValueError: a table declares an index; Parquet files have none (DuckDB skips row
            groups by their min/max statistics instead).
    """
    indexed = sorted(table.name for table in metadata.sorted_tables if table.indexes)
    if indexed:
        raise ValueError(f"Parquet tables cannot have indexes; remove those of {indexed}")
    engine = create_engine(
        f"duckdb:///:memory:{uuid4().hex}", execution_options={"parquet_folder": folder}
    )
    with duckdb.connect() as scratch:
        for table in metadata.sorted_tables:
            schema_file = folder / table.name / SCHEMA_FILE
            schema_file.parent.mkdir(parents=True, exist_ok=True)
            scratch.execute(str(CreateTable(table).compile(engine)))
            aside = schema_file.with_suffix(f".{uuid4().hex}.tmp")
            scratch.execute(f"COPY {table.name} TO {_literal(aside)} (FORMAT parquet)")
            aside.replace(schema_file)
    views = [
        f"CREATE TEMP VIEW {table.name} AS FROM read_parquet("
        f"{_literal(folder / table.name / '*.parquet')}, union_by_name = true)"
        for table in metadata.sorted_tables
    ]  # union_by_name: files written before a column was added read it as NULL

    @event.listens_for(engine, "connect")
    def declare_views(dbapi_connection, connection_record) -> None:
        for view in views:
            dbapi_connection.execute(view)

    return engine


def append(con: Connection, table: Table, rows: pd.DataFrame, name: str | None = None) -> None:
    """Write ``rows`` to ``table`` as one Parquet file, cast to the table's column types.

    The file is there at once: the connection's transaction neither delays nor undoes it.
    ``rows`` has some or all of the table's columns (a missing one is NULL). ``name`` is
    the file's stem: a write under a name used before replaces that file whole and is not
    key-checked (a load names its file after the dataset, so loading again does not double
    its rows). Without one, each write is a new file.

    Raises:
        ValueError: ``rows`` has a column the table lacks, or lacks one it may not leave NULL.
        IntegrityError: without ``name``, a row's primary key is in ``table`` already, or
            twice in ``rows``.
        Nothing is written when either is raised.
    """
    unknown = set(rows.columns) - set(table.columns.keys())
    required = {c.name for c in table.columns if not c.nullable}
    if unknown or not required <= set(rows.columns) or rows[list(required)].isna().any(axis=None):
        raise ValueError(
            f"{table.name}: rows need every one of {sorted(required)}, with values, and no"
            f" other column than the table's; got {list(rows.columns)}"
        )
    folder = Path(con.get_execution_options()["parquet_folder"]) / table.name
    target = folder / f"{name or uuid4().hex}.parquet"
    aside = folder / f".{uuid4().hex}.tmp"  # outside the views' *.parquet until renamed
    raw = con.connection.driver_connection  # the duckdb connection under SQLAlchemy
    with _write_lock:
        key = list(table.primary_key.columns)
        if name is None and key:
            key_rows = rows[[c.name for c in key]]
            keys = list(key_rows.itertuples(index=False))
            clash = select(func.count()).select_from(table).where(tuple_(*key).in_(keys))
            if key_rows.duplicated().any() or con.execute(clash).scalar_one():
                raise IntegrityError(
                    f"append to {table.name}", None, ValueError("primary key exists already")
                )
        raw.register("incoming", rows)
        try:  # the values travel in the frame, never in the SQL
            raw.execute(f"COPY ({_cast(con, table, rows)}) TO {_literal(aside)} (FORMAT parquet)")
        except Exception:
            aside.unlink(missing_ok=True)
            raise
        finally:
            raw.unregister("incoming")
        aside.replace(target)


def _cast(con: Connection, table: Table, rows: pd.DataFrame) -> str:
    # SELECT every column of ``table`` from the registered frame, cast to the column's type.
    incoming = sql_table("incoming", *(column(name) for name in rows.columns))
    values = (
        cast(incoming.c[c.name] if c.name in rows.columns else null(), c.type).label(c.name)
        for c in table.columns
    )
    return str(select(*values).compile(con))
