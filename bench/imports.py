"""Import speed: a bake's ``tools/new.py table`` on a generated CSV, then its first load, against
DuckDB's own ``CREATE TABLE ... AS SELECT * FROM read_csv(...)`` on the same file.

    uv run --frozen python bench/imports.py                          # 10,000,000 rows
    uv run --frozen python bench/imports.py --rows 200000 --repetitions 1   # CI's smoke run

Bakes the skeleton on DuckDB and on PostgreSQL (``TEMPLATE_POSTGRES_URL``, a role that may
create databases; ``.ci/run`` sets one up) into ``bench/.work/imports/``. Each repetition, in
fresh interpreters of this (the template's locked) environment, times:

- DuckDB's CTAS of the file into a new database file: the floor;
- PostgreSQL's own text ``COPY`` of the file's bytes into a new table, for context only (no
  target; the import sends binary ``COPY``, which the server parses faster);
- each bake's import: ``tools/new.py table FILE`` on a new database (infer, copy, write the
  code, migrate, then stream the file into its table), then the app's first
  ``load_database`` there (which finds the file loaded, and loads the skeleton's example),
  with the peak RSS of each process.

Before each timed step, ``os.sync()`` writes out what the step before left in the page cache
(a PostgreSQL load leaves about 2 GiB), so no step pays for another's writeback: without it,
the DuckDB import took 3.5 to 4.7 s from one repetition to the next; with it, 3.3 to 3.4 s.

Prints each run, the medians, the ratios and the peak RSS. Targets: DuckDB's import at most
1.5x the CTAS, PostgreSQL's at most 3x, peak RSS under 1 GiB.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a file: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.bakes import bake_into
from tests.support.postgres import scratch_database

WORK = Path(__file__).resolve().parent / ".work" / "imports"
TARGETS = {"DuckDB": 1.5, "PostgreSQL": 3.0}
"""Each bake's import may take at most this many times DuckDB's CTAS."""
RSS_TARGET_MIB = 1024

# Each runs in a fresh interpreter and prints its seconds and its peak RSS (MiB) last.
TIME_CTAS = """
import resource, sys, time
import duckdb
started = time.perf_counter()
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[2]])
con.close()
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
TIME_PG_COPY = """
import resource, sys, time
import psycopg
from sqlalchemy import make_url
started = time.perf_counter()
url = make_url(sys.argv[1]).set(drivername="postgresql")
with psycopg.connect(url.render_as_string(hide_password=False)) as con, con.cursor() as cursor:
    cursor.execute("CREATE TABLE t (id bigint, count bigint, value double precision,"
                   " category varchar, day date, at timestamp)")
    copy_in = "COPY t FROM STDIN (FORMAT csv, HEADER)"
    with open(sys.argv[2], "rb") as file, cursor.copy(copy_in) as copy:
        while chunk := file.read(1 << 20):
            copy.write(chunk)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
TIME_LOAD = """
import importlib, resource, sys, time
from sqlalchemy import create_engine
load_database = importlib.import_module(f"{sys.argv[2]}.data.source").load_database
engine = create_engine(sys.argv[1])
started = time.perf_counter()
assert load_database(engine)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def write_csv(path: Path, rows: int) -> None:
    """``rows`` rows of an id, an integer, a double, a category, a date and a timestamp, with
    a NULL in every 100th double."""
    import duckdb

    target = str(path).replace("'", "''")
    duckdb.sql(f"""COPY (
        SELECT i AS id, i % 1000 AS "Count", CASE WHEN i % 100 = 0 THEN NULL ELSE i / 7 END
            AS "Value (units)", 'category ' || (i % 12) AS category,
            DATE '2020-01-01' + (i % 1500)::INTEGER AS day,
            TIMESTAMP '2020-01-01' + INTERVAL (i) SECOND AS at
        FROM range({rows}) AS t(i)
    ) TO '{target}' (HEADER)""")


def run(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) that ``code`` printed last, run with ``args``; after
    ``os.sync()``, as every timed step (see the module's docstring)."""
    os.sync()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
        timeout=1800, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
    seconds, rss = done.stdout.split()[-2:]
    return float(seconds), float(rss)


def time_import(bake: Path, csv: Path, url: str) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of ``tools/new.py table`` on ``csv`` in a copy of ``bake``,
    which loads it into the empty database at ``url``, then of the app's first
    ``load_database`` there; after ``os.sync()``, as every timed step."""
    os.sync()
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        project = Path(shutil.copytree(bake, Path(folder) / bake.name))
        prefix = bake.name.replace("-", "_").upper()
        env = {
            **os.environ,
            "PYTHONPATH": str(project / "src"),
            f"{prefix}_DATABASE_URL": url,  # the tool loads the file here
            f"{prefix}_IMPORTS_DIR": str(project / "imports"),
        }
        tool = [sys.executable, "-c", TIME_TOOL, "tools/new.py", "table", str(csv)]
        done = subprocess.run(tool, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode != 0 or "Loaded" not in done.stdout:
            raise RuntimeError(f"tools/new.py did not load:\n{done.stdout}{done.stderr[-3000:]}")
        tool_seconds, tool_rss = map(float, done.stdout.split()[-2:])
        load_seconds, load_rss = run(TIME_LOAD, url, bake.name.replace("-", "_"), env=env)
    print(f"  {bake.name}: tools/new.py {tool_seconds:.2f} s, first load {load_seconds:.2f} s")
    return tool_seconds + load_seconds, max(tool_rss, load_rss)


# The tool as a script, timed around its run (its imports included).
TIME_TOOL = """
import resource, runpy, sys, time
started = time.perf_counter()
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in the CSV")
    parser.add_argument("--repetitions", type=int, default=3, help="imports into each")
    args = parser.parse_args()
    server_url = os.environ.get("TEMPLATE_POSTGRES_URL")
    if not server_url:
        sys.exit("bench/imports.py: set TEMPLATE_POSTGRES_URL (see .ci/run)")

    bakes = {
        name: bake_into(WORK / database, {"sample_data": "none", "database": database})
        for name, database in (("DuckDB", "duckdb"), ("PostgreSQL", "postgresql"))
    }
    csv = WORK / "measurements.csv"
    write_csv(csv, args.rows)
    print(f"{args.rows:,} rows, {csv.stat().st_size / 2**20:,.0f} MiB of CSV")
    names = ("CTAS", "PG COPY", "DuckDB", "PostgreSQL")
    runs: dict[str, list[float]] = {name: [] for name in names}
    peak: dict[str, float] = dict.fromkeys(names, 0.0)
    for _ in range(args.repetitions):  # interleaved, so a busy spell costs each alike
        with tempfile.TemporaryDirectory(prefix="ctas-") as folder:
            seconds, rss = run(TIME_CTAS, f"{folder}/ctas.duckdb", str(csv))
        runs["CTAS"].append(seconds)
        peak["CTAS"] = max(peak["CTAS"], rss)
        with scratch_database(server_url) as url:
            seconds, rss = run(TIME_PG_COPY, url, str(csv))
        runs["PG COPY"].append(seconds)
        peak["PG COPY"] = max(peak["PG COPY"], rss)
        with tempfile.TemporaryDirectory(prefix="import-") as folder:
            seconds, rss = time_import(bakes["DuckDB"], csv, f"duckdb:///{folder}/app.duckdb")
        runs["DuckDB"].append(seconds)
        peak["DuckDB"] = max(peak["DuckDB"], rss)
        with scratch_database(server_url) as url:
            seconds, rss = time_import(bakes["PostgreSQL"], csv, url)
        runs["PostgreSQL"].append(seconds)
        peak["PostgreSQL"] = max(peak["PostgreSQL"], rss)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    for name, times in runs.items():
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:<10} {each} s (median {medians[name]:.2f} s, peak RSS {peak[name]:.0f} MiB)")
    ratios = {name: medians[name] / medians["CTAS"] for name in (*TARGETS, "PG COPY")}
    print(f"PostgreSQL's own text COPY / DuckDB CTAS: {ratios['PG COPY']:.2f} (context)")
    for name, target in TARGETS.items():
        print(f"{name} import / DuckDB CTAS: {ratios[name]:.2f} (target <= {target:g})")
    print(f"peak RSS of an import: {max(peak['DuckDB'], peak['PostgreSQL']):.0f} MiB"
          f" (target < {RSS_TARGET_MIB})")  # fmt: skip
    print(json.dumps({"runs": runs, "ratios": ratios, "peak_rss_mib": peak}))


if __name__ == "__main__":
    main()
