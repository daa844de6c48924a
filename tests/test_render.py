"""Every .py in the template parses as Python after a plain render of any answers (and every
.toml and .yml as TOML and YAML).

A plain render runs no hooks, so it holds every file of every value, each rendered for the
answers: a Jinja branch that leaves broken code behind for some answer fails here within a
second, by the file's name, before any bake installs, lints or imports it.
"""

import ast
import itertools
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cookiecutter.main import cookiecutter

from .conftest import TEMPLATE
from .test_hooks import hook_context, load, render

DECLARED = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
OPTIONS: dict[str, list[object]] = {
    name: [values, not values] if isinstance(values, bool) else values
    for name, values in DECLARED.items()
    if isinstance(values, (list, bool)) and not name.startswith("_")
}
"""Option -> every value it can take, from cookiecutter.json (a yes/no answer: both)."""


def _answer_sets() -> list[dict[str, object]]:
    """The default answers, then a few answer sets that hold every value of every option and
    every pair of a sample_data and a database value, none of them a combination pre_gen
    refuses."""
    with tempfile.TemporaryDirectory() as folder:
        source = render("pre_gen_project", hook_context(Path(folder)))
        impossible = load("pre_gen_project", source, Path(folder)).IMPOSSIBLE

    def possible(answers: dict[str, object]) -> bool:
        return not any(
            answers[field] == value and answers[other] == other_value
            for field, value, other, other_value in impossible
        )

    defaults = {name: values[0] for name, values in OPTIONS.items()}
    # set i gives the k-th option its (i + k)-th value: as many sets as the longest list has
    # values hold every value, each in other company
    shifted = [
        {name: values[(i + k) % len(values)] for k, (name, values) in enumerate(OPTIONS.items())}
        for i in range(max(len(values) for values in OPTIONS.values()))
    ]
    sets = [defaults, *filter(possible, shifted)]
    for name, values in OPTIONS.items():  # what a refused set dropped, on top of the defaults
        sets += [{**defaults, name: v} for v in values if all(s[name] != v for s in sets)]
    # these two pick the data layer, and the most files branch on both
    for data, database in itertools.product(OPTIONS["sample_data"], OPTIONS["database"]):
        pair = {"sample_data": data, "database": database}
        if all(s["sample_data"] != data or s["database"] != database for s in sets):
            sets.append({**defaults, **pair})
    return [answers for answers in sets if possible(answers)]


ANSWER_SETS = _answer_sets()


def test_the_answer_sets_hold_every_value_of_every_option():
    for option, values in OPTIONS.items():
        assert {answers[option] for answers in ANSWER_SETS} == set(values), option


def render_template(answers: dict[str, object], tmp_path: Path) -> Path:
    """The template rendered for ``answers`` without its hooks; the project folder."""
    config = tmp_path / "config.yaml"  # keeps the replay file out of the home folder
    config.write_text(f"replay_dir: {json.dumps(str(tmp_path / 'replay'))}\n")
    project = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        extra_context=answers,
        accept_hooks=False,
        output_dir=str(tmp_path / "out"),
        config_file=str(config),
    )
    return Path(project)


PARSERS: dict[str, Callable[[str], object]] = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": lambda text: list(yaml.safe_load_all(text)),
    ".yaml": lambda text: list(yaml.safe_load_all(text)),
}
"""File suffix -> what parses such a file; it raises on text that is not valid."""


def unparsable(path: Path) -> str | None:
    """Why ``path`` does not parse in the language its suffix names, or None."""
    try:
        PARSERS[path.suffix](path.read_text(encoding="utf-8"))
    except (SyntaxError, tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def _label(answers: dict[str, object]) -> str:
    return "-".join(str(value) for value in answers.values())


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=_label)
def test_every_python_toml_and_yaml_file_parses(tmp_path, answers):
    project = render_template(answers, tmp_path)
    checked = [path for path in sorted(project.rglob("*")) if path.suffix in PARSERS]
    broken = {
        str(path.relative_to(project)): why
        for path in checked
        if (why := unparsable(path)) is not None
    }
    assert broken == {}, "\n".join(f"{name}: {why}" for name, why in broken.items())
    assert any(path.suffix == ".py" for path in checked)  # the render did happen


# --- Type check (issue 8): the other engineer wires this in ---------------------------------
# mypy over the template's own code, with the [tool.mypy] settings of the root pyproject.toml.
# The `typecheck` marker selects (-m typecheck) or skips (-m "not typecheck") this one test;
# change TYPECHECKED when the folders it covers change. The cache lives in the temp folder, out
# of the work tree: a cold run takes about a minute (pandas-stubs, streamlit), a warm one seconds.
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
