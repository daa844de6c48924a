"""Rejected answers stop the bake with a clear message and leave nothing on disk."""

import subprocess
import sys

import pytest

from .conftest import TEMPLATE


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("package_name=class", "package_name 'class': must not be a Python keyword"),
        ("package_name=os", "package_name 'os': must not shadow the standard library"),
        ("project_slug=Not A Slug", "project_slug 'Not A Slug': must be a distribution name"),
        ("author_email=nobody", "author_email 'nobody': must be an address"),
        # cookiecutter checks a choice itself, naming the field, the value and the choices
        ("python_version=3.9", "3.9 provided for choice variable python_version"),
    ],
)
def test_bad_answer_is_refused_and_nothing_is_written(tmp_path, answer, message):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "-o",
            str(tmp_path),
            str(TEMPLATE),
            answer,
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert message in run.stderr
    assert list(tmp_path.iterdir()) == []
