"""Every .py in the template parses as Python after a plain render of any answers (and every
.toml and .yml as TOML and YAML).

A plain render runs no hooks, so it holds every file of every value, each rendered for the
answers: a Jinja branch that leaves broken code behind for some answer fails here within a
second, by the file's name, before any bake installs, lints or imports it.
"""

import os

import pytest

from tests.support.answers import ANSWER_SETS
from tests.support.bakes import render_template
from tests.support.checks import mypy_cache, run_in
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


@pytest.mark.typecheck  # select it with -m typecheck, or leave it out with -m "not typecheck"
@pytest.mark.xdist_group("bakes")  # with the bakes' type checks: one mypy cache, made once
def test_mypy_is_clean_on_the_template_code():
    # the root pyproject.toml's [tool.mypy] names the folders; a cold cache takes about 20 s
    run = run_in(TEMPLATE, "mypy", env={**os.environ, "MYPY_CACHE_DIR": str(mypy_cache())})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
