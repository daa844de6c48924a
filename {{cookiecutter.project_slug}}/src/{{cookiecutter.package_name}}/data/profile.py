"""A data file's profile: its rows, and each column's missing values. The example
job (``jobs/catalog.py``): it reads a file of ``imports/`` with an in-memory DuckDB, never the
app's database, so a worker runs it beside a server that holds an embedded database open."""

from collections.abc import Callable

import duckdb

from ..config import IMPORTS_DIR
from .imports import READERS


def data_files() -> list[str]:
    """The names of the data files in ``IMPORTS_DIR`` (``imports.READERS``), sorted."""
    if not IMPORTS_DIR.is_dir():
        return []
    return sorted(p.name for p in IMPORTS_DIR.iterdir() if p.suffix.lower() in READERS)


def profile_file(file: str, progress: Callable[[float, str], None]) -> str:
    """Count the rows of ``IMPORTS_DIR / file``, then each column's missing (NULL) values, one
    column a step.

    Returns:
        One line: the rows and columns, and the column with the most missing values.

    Raises:
        FileNotFoundError: no such CSV or Parquet file in ``IMPORTS_DIR``.
        duckdb.Error: DuckDB can't read the file.
        JobCancelled: from ``progress``, once the job is cancelled.
    """
    path = IMPORTS_DIR / file
    if file not in data_files():
        raise FileNotFoundError(f"{file} is not a CSV or Parquet file in {IMPORTS_DIR}")
    source = f"{READERS[path.suffix.lower()]}(?)"
    # In memory: it only reads the file. On one core: the workers are the parallelism, and
    # the server keeps the other cores for the pages.
    with duckdb.connect(config={"threads": 1}) as con:
        progress(0.0, "Counting rows")
        described = con.execute(f"DESCRIBE SELECT * FROM {source}", [str(path)]).fetchall()
        columns = [str(row[0]) for row in described]
        ((rows,),) = con.execute(f"SELECT count(*) FROM {source}", [str(path)]).fetchall()
        missing = {}
        for done, column in enumerate(columns, start=1):
            progress(done / (len(columns) + 1), f"Column {done} of {len(columns)}: {column}")
            quoted = '"' + column.replace('"', '""') + '"'
            query = f"SELECT count(*) - count({quoted}) FROM {source}"
            ((nulls,),) = con.execute(query, [str(path)]).fetchall()
            missing[column] = int(nulls)
    worst = max(missing, key=missing.__getitem__, default=None)
    most = f"; most missing: {worst} ({missing[worst]:,})" if worst and missing[worst] else ""
    return f"{rows:,} rows, {len(columns)} columns{most}"
