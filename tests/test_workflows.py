"""The bake's CI, GitHub's workflow or GitLab's pipeline: a pinned uv, the locked environment,
the same checks as the README's, and a database for the PostgreSQL bake's tests."""

import re

import pytest
import yaml

from tests.support.template import DECLARED

pytestmark = pytest.mark.xdist_group("deploy")  # one test process makes each bake once


def test_ci_installs_a_pinned_uv_and_the_locked_environment(deployed):
    version = DECLARED["__uv_version"]
    if deployed.ci == "github":
        workflow = yaml.safe_load((deployed.project / ".github/workflows/ci.yml").read_text())
        (job,) = workflow["jobs"].values()
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
