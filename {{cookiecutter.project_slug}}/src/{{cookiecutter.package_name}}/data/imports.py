"""Your own data files, each loaded once per database into its table of ``schema.py``: the
sources that ``uv run python tools/new.py table FILE`` registers in ``IMPORTS``. No Streamlit
here.

The files live in ``IMPORTS_DIR``: ``imports/`` in the project, which the image ships (see
``config.py`` to read them from elsewhere). DuckDB reads each one (``read_csv``, which sniffs
the delimiter and quoting, or ``read_parquet``), casts its columns, by position, to the types
of its table, and streams it to the database's bulk path:

- DuckDB: ``INSERT INTO ... SELECT ... FROM read_csv(...)``, inside the database itself;
- PostgreSQL: ``COPY ... FROM STDIN`` in PostgreSQL's binary format, which pgpq encodes from
  DuckDB's Arrow batches, ``BATCH_ROWS`` rows a time (so the server parses no text);
- SQLite: the driver's ``executemany``, ``BATCH_ROWS`` rows a time.
{%- if cookiecutter.__db_parquet %}

A Parquet file is not copied at all: its table becomes a view that reads the file where it
lies (``IN_PLACE``, ``read_in_place``).
{%- endif %}

So a load's memory stays bounded whatever the file's size, and no query limit applies to it
(it runs in the first load's thread, with its progress shown). Each load is recorded in
``loads`` in the same transaction as its rows: a failed load leaves neither, and the next
start tries again. To load a changed file, run the Import again job (Jobs page, ``reload.py``){% if cookiecutter.__db_parquet %}
(a Parquet file read in place needs none: its view reads the file as it is){% endif %}.
"""
{% if cookiecutter.__db_server %}
import io
{%- endif %}
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
{%- if cookiecutter.__db_server %}
from pgpq import ArrowToPostgresBinaryEncoder
from pyarrow import csv
{%- endif %}
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
{%- if cookiecutter.__db_server %}
    String,
{%- endif %}
    Table,
    Time,
    delete,
    insert,
{%- if cookiecutter.__db_parquet %}
    inspect,
{%- endif %}
    select,
)
from sqlalchemy.types import TypeEngine

from ..config import IMPORTS_DIR
from .schema import loads, metadata

READERS = {".csv": "read_csv", ".tsv": "read_csv", ".parquet": "read_parquet"}
"""DuckDB's reader for each kind of data file, by suffix: the files ``tools/new.py table``
takes, the load reads and the profile job (``profile.py``) offers."""

BATCH_ROWS = 100_000
"""Rows per batch on the paths that leave DuckDB (PostgreSQL, SQLite): bounds the memory."""

{%- if cookiecutter.__db_server %}

WITHOUT_HEADER = csv.WriteOptions(include_header=False)
{%- endif %}

ProgressCallback = Callable[[float, str], None]
"""Called with the fraction done (0.0..1.0) and what is being done."""


class ImportFileError(ValueError):
    """A registered file is missing, or no longer has its table's columns."""


@dataclass(frozen=True)
class Import:
    """A data file loaded into a table of ``schema.py``."""

    table: str
    """The table's name in ``schema.metadata``."""
    file: str
    """The file's name in ``IMPORTS_DIR``: ``*.csv`` (any delimiter) or ``*.parquet``."""

    @property
    def path(self) -> Path:
        return IMPORTS_DIR / self.file

    @property
    def dataset(self) -> str:
        """Its key in ``loads``."""
        return f"import:{self.table}"


IMPORTS: tuple[Import, ...] = ({% if cookiecutter.sample_data == "none" %}Import("penguins", "penguins.csv"),{% endif %})
"""Every file to load, in load order; ``tools/new.py table`` adds a row."""
{%- if cookiecutter.__db_parquet %}

IN_PLACE = frozenset(item.table for item in IMPORTS if item.file.lower().endswith(".parquet"))
"""The tables that a Parquet file fills where it lies: views, which the migrations leave be."""

COPIED = tuple(item for item in IMPORTS if item.table not in IN_PLACE)
{%- else %}

COPIED = IMPORTS
{%- endif %}
"""The files whose rows are copied into their tables: those that a job may import again{% if cookiecutter.__db_parquet %} (a
file read in place shows its changes by itself){% endif %}."""


def registered(dataset: str) -> Import:
    """The file of ``COPIED`` whose ``dataset`` is ``dataset``.

    Raises:
        KeyError: no such file is registered.
    """
    found = [item for item in COPIED if item.dataset == dataset]
    if not found:
        raise KeyError(f"no data file of imports.py is loaded as {dataset!r}")
    return found[0]


def is_loaded(con: Connection) -> bool:
    """Whether every file of ``IMPORTS`` is loaded into this database (one quick query)."""
    return not _pending(con)


def load_imports(con: Connection, on_progress: ProgressCallback | None = None) -> None:
    """Load each file of ``IMPORTS`` that this database lacks, in ``con``'s transaction (the
    caller commits, after taking whatever lock keeps other processes from loading at once).

    Raises:
        ImportFileError: a file is missing, or its number of columns is not its table's.
        duckdb.Error: a value does not convert to its column's type.
    """
    pending = _pending(con)
    for done, item in enumerate(pending):
        if on_progress:
            on_progress(done / len(pending), f"Loading {item.file}")
        load_one(con, item)


def load_one(con: Connection, item: Import, table: Table | None = None) -> int:
    """Load ``item``'s file into its table, and record it in ``loads``, in ``con``'s
    transaction{% if cookiecutter.__db_parquet %} (a Parquet file: ``read_in_place``){% endif %}.

    Args:
        table: the table, when this process's ``schema.metadata`` lacks it: ``tools/new.py``
            loads the file of a table it has just written.

    Returns:
        The number of rows loaded.

    Raises:
        ImportFileError, duckdb.Error: as ``load_file``.
    """
    if table is None:
        table = metadata.tables[item.table]
{%- if cookiecutter.__db_parquet %}
    if item.file.lower().endswith(".parquet"):
        rows = read_in_place(con, table, item.path)
    else:
        rows = load_file(con, table, item.path)
{%- else %}
    rows = load_file(con, table, item.path)
{%- endif %}
    _record(con, item)
    return rows


def load_again(con: Connection, item: Import, path: Path | None = None) -> int:
    """Load ``item``'s file again in place of its table's rows, in ``con``'s transaction: from
    ``path`` if given (the same rows, read and cast by a job: ``stage_file``), else from the
    file. Other connections read the old rows until the caller commits.

    Returns:
        The number of rows loaded.

    Raises:
        ImportFileError, duckdb.Error: as ``load_file``; nothing is changed.
    """
    table = metadata.tables[item.table]
    con.execute(table.delete())
    con.execute(delete(loads).where(loads.c.dataset == item.dataset))
    rows = load_file(con, table, path or item.path)
    _record(con, item)
    return rows


def stage_file(item: Import, folder: Path) -> int:
    """Read ``item``'s file as ``load_file`` does (each column cast to its table's type) and
    write the rows to ``folder / <table>.parquet``: the reading done by a job, for the process
    that holds the database to load (``reload.py``). DuckDB in memory, on one core.

    Returns:
        The number of rows written.

    Raises:
        ImportFileError, duckdb.Error: as ``load_file``.
    """
    if not item.path.is_file():
        raise ImportFileError(f"{item.path} is missing: the table {item.table} loads from it")
    target = _literal(str(folder / f"{item.table}.parquet"))
    with duckdb.connect(config={"threads": 1}) as reader:
        query = file_query(reader, metadata.tables[item.table], item.path)
        ((rows,),) = reader.execute(f"COPY ({query}) TO {target} (FORMAT parquet)").fetchall()
    return int(rows)


def _record(con: Connection, item: Import) -> None:
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(insert(loads).values(dataset=item.dataset, loaded_at=loaded_at))


{%- if cookiecutter.__db_parquet %}


def read_in_place(con: Connection, table: Table, path: Path) -> int:
    """Put a view that reads the Parquet file ``path`` where it lies, as ``table``'s columns
    (``file_query``), in the place of the empty ``table`` (or of its earlier view), in
    ``con``'s transaction.

    Returns:
        The number of rows in the file (from its metadata: nothing else is read).

    Raises:
        ImportFileError: ``path`` is missing, or has another number of columns than ``table``.
    """
    if not path.is_file():
        raise ImportFileError(f"{path} is missing: the table {table.name} reads it")
    query = file_query(driver_connection(con), table, path)
    if table.name not in inspect(con).get_view_names():  # the migration's empty table
        con.exec_driver_sql(f"DROP TABLE {_quote(table.name)}")
    con.exec_driver_sql(f"CREATE OR REPLACE VIEW {_quote(table.name)} AS {query}")
    return int(con.exec_driver_sql(f"SELECT count(*) FROM {_quote(table.name)}").scalar_one())
{%- endif %}


def _pending(con: Connection) -> list[Import]:
    if not IMPORTS:
        return []
    done = set(con.execute(select(loads.c.dataset)).scalars())
    return [item for item in IMPORTS if item.dataset not in done]


def load_file(con: Connection, table: Table, path: Path) -> int:
    """Append the rows of ``path`` (CSV or Parquet) to ``table``, column by column in order,
    each cast to its column's type, through the backend's bulk path.

    Returns:
        The number of rows read.

    Raises:
        ImportFileError: ``path`` is missing, or has another number of columns than ``table``.
        duckdb.Error: a value does not convert to its column's type.
    """
    if not path.is_file():
        raise ImportFileError(f"{path} is missing: the table {table.name} loads from it")
    if con.dialect.name == "duckdb":  # the database reads the file itself
        database = driver_connection(con)
        columns = ", ".join(_quote(column.name) for column in table.columns)
        into = f"INSERT INTO {_quote(table.name)} ({columns})"
        ((inserted,),) = database.execute(f"{into} {file_query(database, table, path)}").fetchall()
        return int(inserted)
    with duckdb.connect() as reader:  # in memory: it only reads the file
{%- if cookiecutter.__db_server %}
        if con.dialect.name == "postgresql":
            rows = reader.sql(file_query(reader, table, path))
            if rows is None:  # a SELECT always gives a relation
                raise RuntimeError("DuckDB gave no relation for a SELECT")
            return _copy(con, table, rows.to_arrow_reader(BATCH_ROWS))
{%- endif %}
        as_sqlite = file_query(reader, table, path, for_sqlite=True)
        return _insert_batches(con, table, reader.execute(as_sqlite))


def file_query(reader: Any, table: Table, path: Path, for_sqlite: bool = False) -> str:
    """DuckDB's query of the rows of ``path`` as ``table``'s: the file's columns by position,
    each read as its column's type (not as a sample of the file suggests: the schema's type
    holds for every row, or the read fails) and named as its column. A quoted empty field of a
    CSV file is an empty string, an unquoted one NULL.

    Args:
        reader: the DuckDB connection that runs it.
        for_sqlite: dates, times and booleans as the text and numbers SQLAlchemy stores in
            SQLite.

    Raises:
        ImportFileError: the file has another number of columns than ``table``.
    """
    read = READERS.get(path.suffix.lower(), "read_csv")
    parquet = read == "read_parquet"
    source = f"{read}({_literal(str(path))}"
    described = reader.execute(f"DESCRIBE SELECT * FROM {source})").fetchall()
    if len(described) != len(table.columns):
        raise ImportFileError(
            f"{path.name} has {len(described)} columns, the table {table.name} has"
            f" {len(table.columns)}: make a new table for the new shape"
        )
    pairs = list(zip([row[0] for row in described], table.columns, strict=True))
    if not parquet:  # the schema's types, so no sample decides them
        types = ", ".join(
            f"{_literal(name)}: {_literal(_READ_AS[column.type.__visit_name__])}"
            for name, column in pairs
            if column.type.__visit_name__ in _READ_AS
        )
        source += ", allow_quoted_nulls = false" + (", types = {" + types + "}" if types else "")
    casts = []
    for (name, kind, *_), (_, column) in zip(described, pairs, strict=True):
        # A time with a zone is stored as UTC without one (schema.py's rule).
        value = f"timezone('UTC', {_quote(name)})" if "TIME ZONE" in kind else _quote(name)
        casts.append(f"{_cast(value, column.type, for_sqlite)} AS {_quote(column.name)}")
    return f"SELECT {', '.join(casts)} FROM {source})"


_READ_AS = {
    "string": "VARCHAR",
    "integer": "INTEGER",
    "big_integer": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
}
"""How a CSV file's column is read, by the schema's type (``__visit_name__``); dates and times
are left to the reader, which also finds their format."""


def _cast(value: str, type_: TypeEngine[Any], for_sqlite: bool) -> str:
    # DuckDB's type for the column; for SQLite, the text or number SQLAlchemy stores there.
    if isinstance(type_, DateTime):
        cast = f"CAST({value} AS TIMESTAMP)"
        return f"strftime({cast}, '%Y-%m-%d %H:%M:%S.%f')" if for_sqlite else cast
    if isinstance(type_, Date | Time):
        cast = f"CAST({value} AS {'DATE' if isinstance(type_, Date) else 'TIME'})"
        return f"CAST({cast} AS VARCHAR)" if for_sqlite else cast
    if isinstance(type_, Boolean):
        cast = f"CAST({value} AS BOOLEAN)"
        return f"CAST({cast} AS INTEGER)" if for_sqlite else cast
    return f"CAST({value} AS {_DUCKDB_TYPES.get(type_.__visit_name__, 'VARCHAR')})"


_DUCKDB_TYPES = {"integer": "INTEGER", "big_integer": "BIGINT", "double": "DOUBLE"}
"""DuckDB's type for each of the schema's plain types (``__visit_name__``); VARCHAR else."""


{%- if cookiecutter.__db_server %}


def _copy(con: Connection, table: Table, batches: Any) -> int:
    # PostgreSQL: COPY ... FROM STDIN (psycopg's copy) in the binary format, which pgpq encodes
    # from the Arrow batches: half the time of CSV, whose text the server must parse. A binary
    # value must be of its column's own type, which file_query's casts give for the schema's
    # plain types; a table with any other (Numeric, JSON, ...) goes as CSV, which the server
    # parses into whatever type the column has.
    prepare = con.dialect.identifier_preparer
    columns = ", ".join(prepare.quote(column.name) for column in table.columns)
    plain = all(_is_plain(column.type) for column in table.columns)
    encoder = ArrowToPostgresBinaryEncoder(batches.schema) if plain else None
    copy_in = f"COPY {prepare.quote(table.name)} ({columns}) FROM STDIN"
    copy_in += f" (FORMAT {'binary' if encoder else 'csv'})"
    rows = 0
    with driver_connection(con).cursor() as cursor, cursor.copy(copy_in) as copy:
        if encoder:
            copy.write(encoder.write_header())
        for batch in batches:
            copy.write(encoder.write_batch(batch) if encoder else _as_csv(batch))
            rows += batch.num_rows
        if encoder:
            copy.write(encoder.finish())
    return rows


def _as_csv(batch: Any) -> memoryview:
    # An empty string goes out as "", a missing value as nothing, which COPY reads as NULL.
    chunk = io.BytesIO()
    csv.write_csv(batch, chunk, WITHOUT_HEADER)
    return chunk.getbuffer()


def _is_plain(type_: TypeEngine[Any]) -> bool:
    # Whether file_query reads the column as a DuckDB type whose binary form is the column's.
    return isinstance(type_, String | DateTime | Date | Time | Boolean) or (
        type_.__visit_name__ in _DUCKDB_TYPES
    )
{%- endif %}


def _insert_batches(con: Connection, table: Table, result: Any) -> int:
    # SQLite: the driver's own executemany, BATCH_ROWS rows a time, in con's transaction.
    prepare = con.dialect.identifier_preparer
    columns = ", ".join(prepare.quote(column.name) for column in table.columns)
    values = ", ".join("?" * len(table.columns))
    insert_row = f"INSERT INTO {prepare.quote(table.name)} ({columns}) VALUES ({values})"
    raw, rows = driver_connection(con), 0
    while batch := result.fetchmany(BATCH_ROWS):
        raw.executemany(insert_row, batch)
        rows += len(batch)
    return rows


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def driver_connection(con: Connection) -> Any:
    """The driver's connection under SQLAlchemy's ``con`` (psycopg's, DuckDB's or sqlite3's),
    for its bulk paths.

    Raises:
        RuntimeError: the pool has invalidated the connection.
    """
    raw = con.connection.driver_connection
    if raw is None:  # typed as optional: None only once the pool has invalidated it
        raise RuntimeError(f"the {con.dialect.name} connection was invalidated")
    return raw
