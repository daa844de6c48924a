"""Shared fixtures: the default bake, made once per test session."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def default_project(cookies_session) -> Path:
    """The project baked from the default answers (shared: treat it as read-only)."""
    result = cookies_session.bake()
    assert result.exit_code == 0, result.exception
    return result.project_path


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


def assert_own_tests_pass(project: Path, data_dir: Path) -> None:
    """The bake's own pytest passes, on the shared data folder, writing no bytecode."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env[f"{project.name.replace('-', '_').upper()}_DATA_DIR"] = str(data_dir)
    run = run_in(project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
