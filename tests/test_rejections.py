"""Rejected answers stop the bake with a clear message and leave nothing on disk."""

import pytest

from tests.support.bakes import cookiecutter_cli as bake
from tests.support.hooks import replay_file


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
    assert message in run.stderr + run.stdout  # a pair refused while prompting: on stdout
    assert list(output.glob("*")) == []


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
    assert "database 'mysql': must be one of duckdb, sqlite, postgresql, parquet" in run.stderr
    assert "Traceback" not in run.stderr  # the hook decided: its one line, and no traceback
    assert list(output.glob("*")) == []
