"""The default bake: the files it holds, rendered, with the answers where they belong.

Its ruff, mypy and import checks are the first all-pairs bake's (``test_options.py``), and its
own tests the first of ``OWN_TESTS`` there."""

import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.support.bakes import TOOL_TEMPLATES, files, with_template_text
from tests.support.hooks import expected_files
from tests.support.template import TEMPLATE

SNAPSHOT = Path(__file__).parent / "snapshots" / "default-bake-files.txt"
"""The files of the default bake, one per line: a record kept in the repository, so that a
change to what a bake holds shows in review. When it goes stale, the failing test prints the
new list to paste."""


def test_default_bake_has_the_files_of_the_snapshot(default_project):
    assert default_project.name == "flight-delays"
    baked = "\n".join(sorted(files(default_project))) + "\n"
    assert baked == SNAPSHOT.read_text(), f"{SNAPSHOT} is stale; paste:\n{baked}"


def test_the_snapshot_is_what_the_hook_tables_say(tmp_path):
    assert expected_files(tmp_path) == set(SNAPSHOT.read_text().splitlines())


def test_no_jinja_left_in_any_file(default_project):
    assert with_template_text(default_project) == []


def test_the_tool_s_templates_are_copied_as_they_are(default_project):
    source = TEMPLATE / "{{cookiecutter.project_slug}}" / TOOL_TEMPLATES
    copies = sorted((default_project / TOOL_TEMPLATES).iterdir())
    assert [copy.name for copy in copies] == sorted(path.name for path in source.iterdir())
    for copy in copies:
        assert copy.read_bytes() == (source / copy.name).read_bytes(), copy.name


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


@pytest.mark.parametrize(
    ("license", "first_line", "spdx"),
    [
        ("MIT", "MIT License", "MIT"),
        ("BSD-3-Clause", "BSD 3-Clause License", "BSD-3-Clause"),
        ("Apache-2.0", "Apache License", "Apache-2.0"),
        ("Proprietary", "Copyright (c)", "LicenseRef-Proprietary"),
    ],
)
def test_each_license_renders(bake, license, first_line, spdx):
    project = bake(license=license)
    text = (project / "LICENSE").read_text()
    assert text.strip().startswith(first_line)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == spdx


def test_derived_names_follow_the_project_name(bake):
    project = bake(project_name="Airport Ops 2")
    assert project.name == "airport-ops-2"
    assert (project / "src/airport_ops_2/data/queries.py").is_file()
    app = (project / "streamlit_app.py").read_text()
    assert "from airport_ops_2.state.session import init_session_state" in app


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


def test_the_template_s_code_is_type_checked_with_the_bake_s_global_settings(default_project):
    # One mypy cache serves both (tests/support/checks.py) only while no global option differs:
    # one that does invalidates every module's entry, and the libraries are analysed again.
    bake = tomllib.loads((default_project / "pyproject.toml").read_text())["tool"]["mypy"]
    template = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())["tool"]["mypy"]
    where = {"files", "mypy_path", "explicit_package_bases", "overrides"}  # not analysis
    assert {key: template.get(key) for key in bake.keys() - where} == {
        key: bake[key] for key in bake.keys() - where
    }
