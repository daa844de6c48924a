"""Shared test set-up: the app's data folder is a temporary one, unless the caller set it.

Set the variable yourself to reuse a database built once; otherwise the page tests build the
full one (about 1 s) on first use, in a folder removed when the run ends.
"""

import os
import shutil
import tempfile

DATA_DIR_VARIABLE = "{{ cookiecutter.package_name | upper }}_DATA_DIR"
_made: list[str] = []


def pytest_configure(config):
    if DATA_DIR_VARIABLE not in os.environ:
        _made.append(tempfile.mkdtemp(prefix="tests-"))
        os.environ[DATA_DIR_VARIABLE] = _made[0]


def pytest_unconfigure(config):
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)
