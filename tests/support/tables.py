"""Awkward data files, and a bake's ``tools/new.py`` run on them (a table for each, then pages):
what the tool tests and the own-test bakes share."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

AWKWARD_CSV = """\
Name,Bill Length (mm),Species,select,Name,Öl,when,ok,day,Mixed,from,Ünïcode café,2nd,keys,\
"2024 revenue forecast for the northern region, in thousands of euros, first quarter"
Adelie One,39.1,Adelie,1,a,2,2024-01-01 10:00:00,true,2024-01-02,1,x,ü,1.5,k,""
"Biscoe, Two",,Gentoo,2,,3,2024-01-01 11:30:00,false,2024-01-03,two,,,,,
Dream Three,46.5,,3,c,,,,,3,z,é,2.5,,7
"""
"""Spaces, accents and other non-ASCII, keywords (select, when, from, keys), a repeated name,
one starting with a digit and one longer than a line in the header; NULLs, an empty string, a
quoted comma, dates, timestamps, booleans, and a column of mixed numbers and text."""

LATE_MISFIT_CSV = "k,v\n" + "".join(f"{n},{n}\n" for n in range(30_000)) + "30000,n/a\n"
"""A column of integers for longer than DuckDB's sample of rows, then a word."""

WIDE_PARQUET_ROWS = 12
WIDE_PARQUET_COLUMNS = 200
"""The Parquet file's columns: integers, doubles, text, dates, zoned timestamps, booleans and
decimals in turn."""

_KINDS = (
    "i::INTEGER",
    "i * 1.5",
    "'text ' || i",
    "DATE '2024-01-01' + i::INTEGER",
    "TIMESTAMPTZ '2024-01-01 12:00:00+02' + INTERVAL (i) HOUR",
    "i % 2 = 0",
    "(i / 3)::DECIMAL(10, 2)",
)


def write_files(folder: Path) -> dict[str, Path]:
    """Write the awkward files into ``folder``: ``awkward.csv``, ``header_only.csv`` and
    ``wide.parquet`` (``WIDE_PARQUET_ROWS`` rows, ``WIDE_PARQUET_COLUMNS`` columns, one NULL
    in each)."""
    import duckdb

    files = {
        "awkward": folder / "awkward.csv",
        "header_only": folder / "header only.csv",
        "wide": folder / "wide.parquet",
    }
    files["awkward"].write_text(AWKWARD_CSV, encoding="utf-8")
    files["header_only"].write_text("id;label;value\n", encoding="utf-8")
    rows, kinds = WIDE_PARQUET_ROWS, len(_KINDS)
    columns = ", ".join(
        f'CASE WHEN i = {n % rows} THEN NULL ELSE {_KINDS[n % kinds]} END AS "col {n}"'
        for n in range(WIDE_PARQUET_COLUMNS)
    )
    target = str(files["wide"]).replace("'", "''")
    duckdb.sql(f"COPY (SELECT {columns} FROM range({rows}) AS t(i)) TO '{target}' (FORMAT parquet)")
    return files


LONGEST_COLUMN = "c_2024_revenue_forecast_for_the_northern_region_in_thousands"
"""The awkward file's last column, as the tool names it: 60 characters, the most it makes."""

PAGES = {
    "Awkward rows (#1) - *mixed*": ("--table", "awkward", "--filter", LONGEST_COLUMN),
    "Header only": ("--table", "header_only"),
    "À propos & more: links, notes & credits": (),
}
"""The pages ``with_tables`` adds, by title: over a table of awkward names and values filtered
on its longest column (its values: an empty string, a NULL and a number), over one with no row
and the page's own name, and one without a table; the titles hold Markdown's marks and
accents."""


DEMO_PAGES = {"Planes by maker": ("--table", "planes", "--filter", "manufacturer")}
"""A page over a table of the demo's own schema: 3,322 planes, more than a page of rows, which
the page's served test pages through."""


def new_table(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tools/new.py table *args`` in ``project`` (see ``run_new``)."""
    return run_new(project, ["table", *args])[0]


def new_page(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tools/new.py page *args`` in ``project`` (see ``run_new``)."""
    return run_new(project, ["page", *args])[0]


_RUN_EACH = """
import contextlib, io, json, runpy, sys
main = runpy.run_path("tools/new.py")["main"]
outcomes = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit:  # argparse's refusal
            status = exit.code
    outcomes.append([status, out.getvalue(), err.getvalue()])
print(json.dumps(outcomes))
"""
"""Calls the tool's ``main`` once per command line, in one interpreter: the tool's imports
(SQLAlchemy, DuckDB, Alembic, Streamlit) cost about a second, its work on a small file less."""


def run_new(project: Path, *argvs: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run ``tools/new.py`` with each of ``argvs`` in turn, in ``project``, with this
    environment's interpreter and the bake's ``src`` on the path (as its own environment
    would have it installed); one outcome each: exit status, stdout and stderr.

    All in one process, for speed: each command reads the files it changes afresh, but the
    schema the tool imported is the one of the first, so a ``page --table`` must not follow
    the ``table`` that makes its table in the same call.

    Raises:
        AssertionError: the process failed outside the tool's ``main``.
    """
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _RUN_EACH, json.dumps(argvs)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout.splitlines()[-1])
    return [
        subprocess.CompletedProcess(["tools/new.py", *argv], status, out, err)
        for argv, (status, out, err) in zip(argvs, outcomes, strict=True)
    ]


def with_tables(bake: Path, into: Path) -> Path:
    """A copy of ``bake`` in ``into`` with a table for each awkward file, the ``PAGES`` and, in
    the demo, the ``DEMO_PAGES``, written by its own ``tools/new.py``; the bake itself is left
    as it was (the registry's bakes are shared).

    Raises:
        AssertionError: the tool refused a file or a page.
    """
    project = into / bake.name
    shutil.copytree(bake, project)
    tables = [["table", str(file)] for file in write_files(into).values()]
    demo = (project / "app_pages/explore.py").exists()
    titles = {**PAGES, **(DEMO_PAGES if demo else {})}
    pages = [["page", title, *table] for title, table in titles.items()]
    for commands in (tables, pages):  # the pages' process imports the tables' schema
        for done in run_new(project, *commands):
            assert done.returncode == 0, done.stderr
    return project
