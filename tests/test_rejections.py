"""Rejected answers stop the bake with a clear message and leave nothing on disk."""

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from .conftest import TEMPLATE
from .test_hooks import hook_context


def bake(
    tmp_path: Path, options: list[str], answers: Sequence[str] = ()
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``cookiecutter <options> TEMPLATE <answers>`` into ``tmp_path/out``, with a config of its
    own so no replay file lands in the home folder; the run, and the output folder."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"replay_dir: {json.dumps(str(tmp_path / 'replay'))}\n"
        f"cookiecutters_dir: {json.dumps(str(tmp_path / 'cookiecutters'))}\n"
    )
    output = tmp_path / "out"
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--config-file", str(config)]
    command = [*cookiecutter, "-o", str(output), *options, str(TEMPLATE), *answers]
    run = subprocess.run(command, capture_output=True, text=True)
    return run, output


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["package_name=class"], "package_name 'class': must not be a Python keyword"),
        (["package_name=os"], "package_name 'os': must not shadow the standard library"),
        (["project_slug=Not A Slug"], "project_slug 'Not A Slug': must be a distribution name"),
        (["author_email=nobody"], "author_email 'nobody': must be an address"),
        # cookiecutter checks a choice itself, naming the field, the value and the choices
        (["python_version=3.9"], "3.9 provided for choice variable python_version"),
        (
            ["ml_model=yes", "sample_data=none"],
            "ml_model True with sample_data 'none': the delay model learns from",
        ),
    ],
)
def test_bad_answer_is_refused_and_nothing_is_written(tmp_path, answers, message):
    run, output = bake(tmp_path, ["--no-input"], answers)
    assert run.returncode != 0
    assert message in run.stderr
    assert list(output.glob("*")) == []


def replay_file(tmp_path: Path, **answers: object) -> Path:
    """A replay file of the default answers with ``answers`` written over them by hand."""
    context = hook_context(tmp_path)
    context["cookiecutter"].update(answers)
    path = tmp_path / "replayed.json"
    path.write_text(json.dumps(context))
    return path


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"package_name": "class"}, "package_name 'class': must not be a Python keyword"),
        (
            {"ml_model": True, "sample_data": "none"},
            "ml_model True with sample_data 'none': the delay model learns from",
        ),
    ],
)
def test_bad_replayed_answer_is_refused_and_nothing_is_written(tmp_path, answers, message):
    run, output = bake(tmp_path, ["--replay-file", str(replay_file(tmp_path, **answers))])
    assert run.returncode != 0
    assert message in run.stderr
    assert list(output.glob("*")) == []


def test_bad_replayed_choice_is_refused(tmp_path):
    # under --replay, cookiecutter checks no choice: the hook reads the lists from the
    # template's cookiecutter.json
    run, output = bake(tmp_path, ["--replay-file", str(replay_file(tmp_path, database="mysql"))])
    assert run.returncode != 0
    assert "database 'mysql': must be one of duckdb, sqlite, postgresql, none" in run.stderr
    assert "Traceback" not in run.stderr  # the hook decided: its one line, and no traceback
    assert list(output.glob("*")) == []
