"""Shared test set-up: the app's data folder is a temporary one, unless the caller set it.

Set the variable yourself to reuse a database built once; otherwise the page tests build the
full one (about 2 s) on first use.
"""

import os
import tempfile

DATA_DIR_VARIABLE = "{{ cookiecutter.package_name | upper }}_DATA_DIR"

os.environ.setdefault(DATA_DIR_VARIABLE, tempfile.mkdtemp(prefix="tests-"))
