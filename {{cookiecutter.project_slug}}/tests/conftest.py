"""Shared test set-up: a temporary data folder, and scratch databases for the data layer.

Set ``{{ cookiecutter.package_name | upper }}_DATA_DIR`` yourself to reuse data loaded once;
otherwise the page tests load the full database on first use, in a folder removed when the
run ends.
{%- if cookiecutter.database == "postgresql" %} ``{{ cookiecutter.package_name | upper }}_DATABASE_URL`` must name a PostgreSQL
database the tests may create schemas in (the page tests load the flights into it).
{%- endif %}
"""

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
{%- if cookiecutter.database == "postgresql" %}
from uuid import uuid4
{%- endif %}

import pytest
{%- if cookiecutter.database == "none" %}
from sqlalchemy import Engine

from {{ cookiecutter.package_name }}.data.parquet import parquet_engine
from {{ cookiecutter.package_name }}.data.schema import metadata
{%- else %}
from sqlalchemy import Engine, create_engine{% if cookiecutter.database == "postgresql" %}, text{% endif %}
{%- endif %}

DATA_DIR_VARIABLE = "{{ cookiecutter.package_name | upper }}_DATA_DIR"
DATABASE_URL_VARIABLE = "{{ cookiecutter.package_name | upper }}_DATABASE_URL"
_made: list[str] = []


def pytest_configure(config):
    if DATA_DIR_VARIABLE not in os.environ:
        _made.append(tempfile.mkdtemp(prefix="tests-"))
        os.environ[DATA_DIR_VARIABLE] = _made[0]


def pytest_unconfigure(config):
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scratch_engine(tmp_path) -> Iterator[Engine]:
    """An engine on an empty {% if cookiecutter.database == "none" %}set of Parquet tables{% else %}database of the project's kind{% endif %}, dropped after the test."""
{%- if cookiecutter.database == "postgresql" %}
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if not url:
        pytest.fail(f"set {DATABASE_URL_VARIABLE} to a PostgreSQL database for the tests")
    schema = f"scratch_{uuid4().hex[:12]}"
    server = create_engine(url)
    with server.begin() as con:
        con.execute(text(f"CREATE SCHEMA {schema}"))
    yield server.execution_options(schema_translate_map={None: schema})
    with server.begin() as con:
        con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    server.dispose()
{%- elif cookiecutter.database == "none" %}
    engine = parquet_engine(tmp_path, metadata)
    yield engine
    engine.dispose()
{%- else %}
    engine = create_engine(f"{{ cookiecutter.database }}:///{tmp_path / 'scratch.{{ cookiecutter.database }}'}")
    yield engine
    engine.dispose()
{%- endif %}


@pytest.fixture
def other_process_may_open_the_database() -> None:
    """Close this process's database connections, for a test that starts another process:
    an embedded DuckDB file takes one process at a time. The next query here reconnects."""
    from {{ cookiecutter.package_name }}.resources.database import database

    database().dispose()
    gc.collect()  # a closed connection left in a reference cycle still holds the file


@pytest.fixture
def fresh_python(other_process_may_open_the_database) -> Callable[..., object]:
    """A runner of Python code in a new interpreter that imports what pytest imports, with
    extra environment variables; it returns the code's last line of output, parsed as JSON.

    For what only a fresh process shows, such as which modules a run imports.
    """

    def run(code: str, *args: str, **env: str) -> object:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env}
        command = [sys.executable, "-c", code, *args]
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.splitlines()[-1])

    return run
