"""Shared fixtures: the default bake, made once per test session."""

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
