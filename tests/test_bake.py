"""The default bake: complete, rendered, lint-clean, and passing its own tests."""

import subprocess
import tomllib
from pathlib import Path

import pytest

from .conftest import assert_mypy_clean, assert_own_tests_pass, assert_ruff_clean

EXPECTED_FILES = {
    ".cookiecutter-answers.json",
    ".github/workflows/ci.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".streamlit/config.toml",
    ".streamlit/secrets.toml.example",
    "LICENSE",
    "README.md",
    "app.py",
    "app_pages/about.py",
    "app_pages/explore.py",
    "app_pages/live.py",
    "app_pages/overview.py",
    "app_pages/wizard.py",
    "pyproject.toml",
    "src/flight_delays/__init__.py",
    "src/flight_delays/components/__init__.py",
    "src/flight_delays/components/charts.py",
    "src/flight_delays/components/filters.py",
    "src/flight_delays/components/kpi.py",
    "src/flight_delays/components/live.py",
    "src/flight_delays/components/loading.py",
    "src/flight_delays/components/outage.py",
    "src/flight_delays/components/results.py",
    "src/flight_delays/components/saved_views.py",
    "src/flight_delays/components/wizard.py",
    "src/flight_delays/config.py",
    "src/flight_delays/data/__init__.py",
    "src/flight_delays/data/cached.py",
    "src/flight_delays/data/filters.py",
    "src/flight_delays/data/queries.py",
    "src/flight_delays/data/schema.py",
    "src/flight_delays/data/source.py",
    "src/flight_delays/data/views.py",
    "src/flight_delays/errors.py",
    "src/flight_delays/favicon.svg",
    "src/flight_delays/health.py",
    "src/flight_delays/navigation.py",
    "src/flight_delays/resources/__init__.py",
    "src/flight_delays/resources/data_file.py",
    "src/flight_delays/resources/database.py",
    "src/flight_delays/security.py",
    "src/flight_delays/state/__init__.py",
    "src/flight_delays/state/pages.py",
    "src/flight_delays/state/store.py",
    "streamlit_app.py",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/test_architecture.py",
    "tests/test_bench.py",
    "tests/test_counting.py",
    "tests/test_health.py",
    "tests/test_loading.py",
    "tests/test_navigation.py",
    "tests/test_outage.py",
    "tests/test_pages.py",
    "tests/test_queries.py",
    "tests/test_saved_views.py",
    "tests/test_server.py",
    "tests/test_state.py",
    "tests/test_views.py",
    "tools/bench.py",
}
"""The default bake: server asgi, deployment none, ci github, pre_commit true."""


def files(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}


def test_default_bake_has_the_expected_files(default_project):
    assert default_project.name == "flight-delays"
    assert files(default_project) == EXPECTED_FILES


def test_no_jinja_left_in_any_file(default_project):
    leftovers = [
        name
        for name in files(default_project)
        if any(tag in (default_project / name).read_text() for tag in ("{{", "{%", "{#"))
    ]
    assert leftovers == []


def test_pyproject_carries_the_answers(default_project):
    project = tomllib.loads((default_project / "pyproject.toml").read_text())["project"]
    assert project["name"] == "flight-delays"
    assert project["requires-python"] == ">=3.11"
    assert project["license"] == "MIT"
    assert project["authors"] == [{"name": "Your Name", "email": "you@example.com"}]


def test_agent_api_stays_off_in_the_project_config(default_project):
    config = tomllib.loads((default_project / ".streamlit/config.toml").read_text())
    assert "enableAgentApi" not in config.get("server", {})
    assert config["server"]["runOnSave"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"


def test_bake_is_ruff_and_mypy_clean(default_project):
    assert_ruff_clean(default_project)
    assert_mypy_clean(default_project)


def test_bake_passes_its_own_tests(default_project, data_dir):
    assert_own_tests_pass(default_project, data_dir)


@pytest.mark.parametrize(
    ("license", "first_line", "spdx"),
    [
        ("MIT", "MIT License", "MIT"),
        ("BSD-3-Clause", "BSD 3-Clause License", "BSD-3-Clause"),
        ("Apache-2.0", "Apache License", "Apache-2.0"),
        ("Proprietary", "Copyright (c)", "LicenseRef-Proprietary"),
    ],
)
def test_each_license_renders(cookies, license, first_line, spdx):
    result = cookies.bake(extra_context={"license": license})
    assert result.exit_code == 0, result.exception
    text = (result.project_path / "LICENSE").read_text()
    assert text.strip().startswith(first_line)
    pyproject = tomllib.loads((result.project_path / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == spdx


def test_derived_names_follow_the_project_name(cookies):
    result = cookies.bake(extra_context={"project_name": "Airport Ops 2"})
    assert result.exit_code == 0, result.exception
    assert result.project_path.name == "airport-ops-2"
    assert (result.project_path / "src/airport_ops_2/data/queries.py").is_file()
    app = (result.project_path / "streamlit_app.py").read_text()
    assert "from airport_ops_2.state.pages import init_session_state" in app


def test_git_never_stages_a_secret(cookies, tmp_path):
    """``git add -A`` in a bake, after an operator left secrets around, stages none of them and
    still stages the examples."""
    project = cookies.bake(extra_context={"deployment": "compose"}).project_path
    secrets = [
        ".streamlit/secrets.toml",
        ".streamlit/secrets.prod.toml",
        "deploy/.streamlit/secrets.toml",
        ".env",
        ".env.production",
    ]
    for relative in secrets:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text('password = "hunter2"\n')
    git = ["git", "-c", "init.defaultBranch=main", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    staged = subprocess.run(
        [*git, "add", "-A", "--dry-run"], check=True, capture_output=True, text=True
    ).stdout
    added = {line.removeprefix("add '").removesuffix("'") for line in staged.splitlines()}
    assert not added & set(secrets), added & set(secrets)
    assert {".streamlit/secrets.toml.example", ".env.example"} <= added
