"""The ``parquet`` backend: a load leaves the bulk tables as Parquet files, and what the app
writes itself in ordinary tables of the database file."""

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Connection, Engine, text

from {{ cookiecutter.package_name }}.data import nycflights13, queries, source, views
from {{ cookiecutter.package_name }}.data.filters import FlightFilters
from {{ cookiecutter.package_name }}.data.parquet import move_to_parquet, parquet_folder

BULK = (*nycflights13.TABLES, "daily_flights")


def test_a_load_moves_the_bulk_tables_to_parquet_and_keeps_the_rest(scratch_engine: Engine):
    assert source.load_database(scratch_engine)

    with scratch_engine.connect() as con:
        folder = parquet_folder(con)
        tables = text("SELECT table_name, table_type FROM information_schema.tables")
        kinds: dict[str, str] = dict(con.execute(tables).all())
        assert queries.kpi(con, "flights") == 336_776  # the queries read the views unchanged
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{t}.parquet" for t in BULK)
    assert {kinds[table] for table in BULK} == {"VIEW"}
    assert kinds["saved_views"] == kinds["loads"] == "BASE TABLE"
    # Any DuckDB (or pandas, Polars, Spark) reads the files without the app.
    flights = duckdb.execute(f"SELECT count(*) FROM '{folder / 'flights.parquet'}'").fetchone()
    assert flights == (336_776,)
    database_file = Path(str(scratch_engine.url.database))
    scratch_engine.dispose()  # DuckDB shrinks the file to the blocks in use as it closes
    assert database_file.stat().st_size < 5 * 2**20  # the flights are not in it


def test_saved_views_are_written_to_a_table_that_keeps_its_key(scratch_engine: Engine):
    source.load_database(scratch_engine)
    with scratch_engine.connect() as con:
        views.save_view(con, "JFK only", FlightFilters(origins=("JFK",)))
        with pytest.raises(views.ViewNameError, match="exists already"):
            views.save_view(con, "JFK only", FlightFilters())
        assert views.view_names(con) == ["JFK only"]


def test_a_load_that_fails_half_way_is_redone_whole(scratch_engine: Engine, monkeypatch):
    def move_some_then_fail(con: Connection, tables: Iterable[str]) -> None:
        move_to_parquet(con, list(tables)[:2])  # two files written, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(nycflights13, "move_to_parquet", move_some_then_fail)
    with pytest.raises(OSError, match="disk full"):
        source.load_database(scratch_engine)
    with scratch_engine.connect() as con:
        assert not nycflights13.is_loaded(con)  # rolled back: no record, the tables as before

    monkeypatch.undo()
    assert source.load_database(scratch_engine)
    with scratch_engine.connect() as con:
        assert queries.kpi(con, "flights") == 336_776
        assert len(queries.filter_options(con).carriers) == 16
