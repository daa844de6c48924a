"""Shared fixtures: the default bake, made once per test session."""

import contextlib
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from bench import cluster, pg_server

TEMPLATE = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def default_project(cookies_session) -> Path:
    """The project baked from the default answers (shared: treat it as read-only)."""
    result = cookies_session.bake()
    assert result.exit_code == 0, result.exception
    return result.project_path


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server of ``TEMPLATE_POSTGRES_URL``
    (a role that may create databases), dropped on exit.

    Skips the test when the variable is unset, except under CI (``CI`` set), where it fails:
    ``.ci/run`` installs and starts the server, so a missing one is a broken run.
    """
    server_url = os.environ.get("TEMPLATE_POSTGRES_URL")
    if not server_url:
        if os.environ.get("CI"):
            pytest.fail("TEMPLATE_POSTGRES_URL is not set: .ci/run should have set it")
        pytest.skip("no PostgreSQL server: set TEMPLATE_POSTGRES_URL (see .ci/run)")
    with cluster.scratch_database(server_url) as url:
        yield url


def require_private_postgres() -> None:
    """Skip when this machine can't run a private PostgreSQL (``bench/pg_server.py``), except
    under CI (``CI`` set), where it fails: ``.ci/run`` installs Debian's postgresql, so a
    missing one is a broken run."""
    reason = pg_server.unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: .ci/run should have installed postgresql")
        pytest.skip(reason)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (see ``scratch_postgres``)."""
    with scratch_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """One data folder for the baked projects' own test runs, so the database builds once."""
    return tmp_path_factory.mktemp("flights-data")


def run_in(project: Path, *args: str, env: dict[str, str] | None = None):
    """Run ``python -m <args>`` in ``project`` with this environment's interpreter."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=project, env=env, capture_output=True, text=True
    )


def assert_ruff_clean(project: Path) -> None:
    """``ruff check`` and ``ruff format --check`` pass in ``project``."""
    for command in (["check"], ["format", "--check"]):
        ruff = run_in(project, "ruff", *command, "--no-cache", ".")
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def assert_mypy_clean(project: Path) -> None:
    """``mypy``, as the project configures it, passes in ``project``. Each test worker keeps a
    cache of its own: the bakes share most modules, so the later checks are quick."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    env = {**os.environ, "MYPY_CACHE_DIR": str(Path(tempfile.gettempdir()) / f"bake-mypy-{worker}")}
    mypy = run_in(project, "mypy", env=env)
    assert mypy.returncode == 0, mypy.stdout[-4000:] + mypy.stderr[-2000:]


def import_file(path: Path, name: str) -> ModuleType:
    """The Python file at ``path`` imported as module ``name`` (a bake's, or a rendered hook)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_bench = cluster.project_client
"""The bake's ``tools/bench.py``: the one client that serves an app and polls it."""


def assert_own_tests_pass(project: Path, data_dir: Path, database_url: str = "") -> None:
    """The bake's own pytest passes, on ``data_dir`` (and ``database_url`` if given),
    writing no bytecode."""
    prefix = project.name.replace("-", "_").upper()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", f"{prefix}_DATA_DIR": str(data_dir)}
    env["PYTHONPATH"] = str(project / "src")  # as installed, for the servers its tests start
    if database_url:
        env[f"{prefix}_DATABASE_URL"] = database_url
    run = run_in(project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
