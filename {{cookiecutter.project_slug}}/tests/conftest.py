"""Shared test set-up: a temporary data folder, scratch databases for the data layer, a fresh
interpreter and a served app for what only a new process shows.

Set ``{{ cookiecutter.package_name | upper }}_DATA_DIR`` yourself to reuse data loaded once;
otherwise the page tests load the full database on first use, in a folder removed when the
run ends. ``{{ cookiecutter.package_name | upper }}_DATABASE_URL`` points the app (and so the
tests) at another database; a PostgreSQL one must let the tests create schemas.
"""

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
{%- if cookiecutter.auth == "oidc" %}
from streamlit import config as streamlit_config
{%- endif %}
from streamlit.testing.v1 import AppTest

ENTRYPOINT = str(Path(__file__).parents[1] / "streamlit_app.py")
SIGNED_IN = {
    "is_logged_in": True,
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "email_verified": True,
}
"""``AppTest.user`` for a signed-in visitor; apps without sign-in ignore it."""
{%- if cookiecutter.auth == "oidc" %}
TEST_SECRETS = """\
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "tests-only-tests-only-tests-only-tests-only"
[access]
admin_emails = ["ada@example.com"]
"""
"""The secrets the tests' apps read, never your ``.streamlit/secrets.toml``: sign-in set up
safely, and SIGNED_IN let in, as an admin. A test can set others in ``AppTest.secrets``."""
{%- endif %}

DATA_DIR_VARIABLE = "{{ cookiecutter.package_name | upper }}_DATA_DIR"
IMPORTS_DIR_VARIABLE = "{{ cookiecutter.package_name | upper }}_IMPORTS_DIR"
JOB_WORKERS_VARIABLE = "{{ cookiecutter.package_name | upper }}_JOB_WORKERS"
_made: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if DATA_DIR_VARIABLE not in os.environ:
        _made.append(tempfile.mkdtemp(prefix="tests-"))
        os.environ[DATA_DIR_VARIABLE] = _made[0]
    # No job worker beside the apps the tests run or serve: a test of jobs starts its own.
    os.environ[JOB_WORKERS_VARIABLE] = "0"
{%- if cookiecutter.auth == "oidc" %}
    _made.append(tempfile.mkdtemp(prefix="secrets-"))
    secrets = Path(_made[-1]) / "secrets.toml"
    secrets.write_text(TEST_SECRETS)
    streamlit_config.set_option("secrets.files", [str(secrets)])
{%- endif %}


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of the app's kind, dropped after the test: a schema of
    its own on a PostgreSQL server, a new file in ``tmp_path`` for an embedded database."""
    from {{ cookiecutter.package_name }}.config import DATABASE_URL

    if not DATABASE_URL:
        pytest.fail("set {{ cookiecutter.package_name | upper }}_DATABASE_URL for the tests")
    url = make_url(DATABASE_URL)
    if url.get_backend_name() != "postgresql":
        engine = create_engine(url.set(database=str(tmp_path / Path(str(url.database)).name)))
        yield engine
        engine.dispose()
        return
    schema = f"scratch_{uuid4().hex[:12]}"
    server = create_engine(url)
    with server.begin() as con:
        con.execute(text(f"CREATE SCHEMA {schema}"))
    # Unqualified names resolve in the scratch schema first: the app's tables, and Alembic's.
    scratch = create_engine(url, connect_args={"options": f"-c search_path={schema}"})
    yield scratch
    scratch.dispose()
    with server.begin() as con:
        con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    server.dispose()


def close_database_connections() -> None:
    """Close this process's database connections, for a test that starts another process:
    an embedded DuckDB file takes one process at a time. The next query here reconnects."""
    from {{ cookiecutter.package_name }}.resources.database import database

    database().dispose()
    gc.collect()  # a closed connection left in a reference cycle still holds the file


@pytest.fixture
def other_process_may_open_the_database() -> None:
    """``close_database_connections`` before the test."""
    close_database_connections()


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The app served by its production command (``tools/client.py``) on a free loopback
    port, with Streamlit's agent API on and this run's data folder; its base URL, for the
    module's tests. For what only a served app shows, such as what a request reran
    (``tools/reruns.py``): AppTest reruns the whole script for any widget.
{%- if cookiecutter.auth == "oidc" %}

    Skipped here: with sign-in on, the served app lets in no visitor the tests can make.
{%- endif %}
    """
{%- if cookiecutter.auth == "oidc" %}
    pytest.skip("sign-in is on: the served app lets in no visitor the tests can make")
{%- endif %}
    from tools.client import agent_api_home, free_port, production_command, serving

    close_database_connections()  # the server opens the same database (an embedded file)
    with agent_api_home() as home:
        port = free_port()
        env = {**os.environ, "HOME": home}
        with serving(production_command(port), Path(ENTRYPOINT).parent, port, env=env) as server:
            yield server.url


@pytest.fixture
def fresh_python(other_process_may_open_the_database: None) -> Callable[..., Any]:
    """A runner of Python code in a new interpreter that imports what pytest imports, with
    extra environment variables; it returns the code's last line of output, parsed as JSON.

    For what only a fresh process shows, such as which modules a run imports.
    """

    def run(code: str, *args: str, **env: str) -> Any:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env}
{%- if cookiecutter.auth == "oidc" %}
        # The apps it runs read the secrets this process's apps read (pytest_configure).
        files = streamlit_config.get_option("secrets.files")
        code = f"import streamlit\nstreamlit.config.set_option('secrets.files', {files!r})\n{code}"
{%- endif %}
        command = [sys.executable, "-c", code, *args]
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.splitlines()[-1])

    return run


@pytest.fixture
def app() -> AppTest:
    """The app through AppTest, run once on its default page as a signed-in visitor
    (``SIGNED_IN``; an app without sign-in ignores it), with no exception."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()
    assert not at.exception
    return at
