"""Rejected answers stop the bake with a clear message and leave nothing on disk."""

import subprocess
import sys

import pytest

from .conftest import TEMPLATE


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
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path)]
    run = subprocess.run([*command, str(TEMPLATE), *answers], capture_output=True, text=True)
    assert run.returncode != 0
    assert message in run.stderr
    assert list(tmp_path.iterdir()) == []
