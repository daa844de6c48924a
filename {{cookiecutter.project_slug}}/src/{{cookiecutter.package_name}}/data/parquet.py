"""The loaded tables as Parquet files, read in place by DuckDB: the ``parquet`` backend.

A load fills the database as on DuckDB, then moves each bulk table out into one Parquet file
beside the database file and leaves a view of the same name over it, so every query runs
unchanged. What the app writes itself (saved views, the load record) stays in ordinary tables
of the small database file, where DuckDB keeps their keys and transactions. Parquet is an open
format: pandas, Polars, Spark or another DuckDB read the files as they are. No Streamlit here.
"""

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection


def parquet_folder(con: Connection) -> Path:
    """Where the Parquet files of ``con``'s database live: ``parquet/`` beside its file."""
    return Path(str(con.engine.url.database)).parent / "parquet"


def move_to_parquet(con: Connection, tables: Iterable[str]) -> None:
    """Write each table in ``tables`` to ``<table>.parquet`` and put a view over the file in
    its place, within ``con``'s transaction: other connections see the tables until it commits.

    A file left by a load that failed later is overwritten by the next load.
    """
    folder = parquet_folder(con)
    folder.mkdir(parents=True, exist_ok=True)
    for table in tables:  # names from our own schema; DuckDB binds no parameter for a path
        path = "'" + str(folder / f"{table}.parquet").replace("'", "''") + "'"
        con.exec_driver_sql(f"COPY {table} TO {path} (FORMAT parquet)")
        con.exec_driver_sql(f"DROP TABLE {table}")
        con.exec_driver_sql(f"CREATE VIEW {table} AS FROM read_parquet({path})")
