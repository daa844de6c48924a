"""Every .py in the template parses as Python after a plain render of any answers (and every
.toml and .yml as TOML and YAML).

A plain render runs no hooks, so it holds every file of every value, each rendered for the
answers: a Jinja branch that leaves broken code behind for some answer fails here within a
second, by the file's name, before any bake installs, lints or imports it.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.answers import ANSWER_SETS
from tests.support.bakes import render_template
from tests.support.files import unparsable_files
from tests.support.template import OPTIONS, TEMPLATE, label


def test_the_answer_sets_hold_every_value_of_every_option():
    for option, values in OPTIONS.items():
        assert {answers[option] for answers in ANSWER_SETS} == set(values), option


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=label)
def test_every_python_toml_and_yaml_file_parses(tmp_path, answers):
    broken = unparsable_files(render_template(answers, tmp_path))
    assert broken == {}, "\n".join(f"{name}: {why}" for name, why in broken.items())


# --- Type check: the template's own code ----------------------------------------------------
# mypy over the template's own code, with the [tool.mypy] settings of the root pyproject.toml.
# The `typecheck` marker selects (-m typecheck) or skips (-m "not typecheck") this one test;
# change TYPECHECKED when the folders it covers change. The cache lives in the temp folder, out
# of the work tree: a cold run takes about 20 s (pandas-stubs, streamlit), a warm one seconds.
TYPECHECKED = ["hooks", "tests", "bench", "local_extensions.py"]


@pytest.mark.typecheck
def test_mypy_is_clean_on_the_template_code():
    cache = Path(tempfile.gettempdir()) / "template-mypy-cache"
    run = subprocess.run(
        [sys.executable, "-m", "mypy", *TYPECHECKED],
        cwd=TEMPLATE,
        env={**os.environ, "MYPY_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
