"""Tables as Parquet files: what a write leaves on disk, and what the next query sees."""

from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, select
from sqlalchemy.exc import IntegrityError

from {{ cookiecutter.package_name }}.data.parquet import SCHEMA_FILE, append, parquet_engine

metadata = MetaData()
events = Table(
    "events",
    metadata,
    Column("id", String(8), primary_key=True),
    Column("count", Integer),
    Column("seen_at", DateTime),
)


def _rows(con) -> list[tuple]:
    return [tuple(row) for row in con.execute(select(events).order_by(events.c.id))]


def _files(folder) -> list[str]:
    return sorted(path.name for path in (folder / "events").iterdir())


def test_a_new_table_has_its_columns_and_no_rows(tmp_path):
    engine = parquet_engine(tmp_path, metadata)
    with engine.connect() as con:
        assert con.execute(select(func.count()).select_from(events)).scalar_one() == 0
        assert list(pd.read_sql(select(events), con).columns) == ["id", "count", "seen_at"]
    assert _files(tmp_path) == [SCHEMA_FILE]
    engine.dispose()


def test_writes_are_cast_to_the_table_types_and_outlive_the_engine(tmp_path):
    engine = parquet_engine(tmp_path, metadata)
    with engine.connect() as con:
        append(con, events, pd.DataFrame({"id": ["b"], "count": [2.0]}))  # a float for an int
        append(con, events, pd.DataFrame({"id": ["a"], "seen_at": [datetime(2013, 1, 1, 5)]}))
    engine.dispose()
    reopened = parquet_engine(tmp_path, metadata)  # as after a restart
    with reopened.connect() as con:
        assert _rows(con) == [("a", None, datetime(2013, 1, 1, 5)), ("b", 2, None)]
    assert len(_files(tmp_path)) == 3  # the schema file and one file per write
    reopened.dispose()


def test_a_taken_key_is_refused_and_nothing_is_written(tmp_path):
    engine = parquet_engine(tmp_path, metadata)
    with engine.connect() as con:
        append(con, events, pd.DataFrame({"id": ["a"], "count": [1]}))
        before = _files(tmp_path)
        with pytest.raises(IntegrityError):
            append(con, events, pd.DataFrame({"id": ["z", "a"], "count": [9, 9]}))
        with pytest.raises(IntegrityError):  # twice in one write
            append(con, events, pd.DataFrame({"id": ["y", "y"], "count": [1, 2]}))
        assert _files(tmp_path) == before
        assert _rows(con) == [("a", 1, None)]
    engine.dispose()


@pytest.mark.parametrize(
    "rows",
    [{"id": ["a"], "colour": ["red"]}, {"count": [1]}, {"id": [None], "count": [1]}],
    ids=["unknown column", "no key column", "null key"],
)
def test_rows_that_do_not_fit_the_table_are_refused(tmp_path, rows):
    engine = parquet_engine(tmp_path, metadata)
    with engine.connect() as con, pytest.raises(ValueError, match="events: rows need"):
        append(con, events, pd.DataFrame(rows))
    assert _files(tmp_path) == [SCHEMA_FILE]
    engine.dispose()


def test_a_named_write_replaces_its_file_instead_of_doubling_rows(tmp_path):
    engine = parquet_engine(tmp_path, metadata)
    batch = pd.DataFrame({"id": ["a", "b"], "count": [1, 2]})
    with engine.connect() as con:
        append(con, events, batch, name="load")
        append(con, events, batch.assign(count=[10, 20]), name="load")
        assert _rows(con) == [("a", 10, None), ("b", 20, None)]
    assert _files(tmp_path) == [SCHEMA_FILE, "load.parquet"]
    engine.dispose()
