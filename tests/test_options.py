"""Every value of every option, and an all-pairs cover of the options, baked and checked.

Each bake must render completely, hold exactly the files of the chosen values, pass ruff,
import cleanly and carry configs that parse. The project's own tests run once per value of
``server`` and ``database`` (the default bake, in test_bake.py, covers asgi and duckdb);
PostgreSQL's against a real server (``TEMPLATE_POSTGRES_URL``, which ``.ci/run`` sets).
"""

import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml
from allpairspy import AllPairs

from .conftest import TEMPLATE, assert_mypy_clean, assert_own_tests_pass, assert_ruff_clean
from .test_bake import EXPECTED_FILES, files
from .test_hooks import render_hook

CONTEXT = json.loads((TEMPLATE / "cookiecutter.json").read_text())
OPTIONS = {
    name: [CONTEXT[name], not CONTEXT[name]] if isinstance(CONTEXT[name], bool) else CONTEXT[name]
    for name in (
        "sample_data",
        "database",
        "auth",
        "ml_model",
        "server",
        "deployment",
        "ci",
        "pre_commit",
        "license",
        "python_version",
    )
}


def _impossible() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        pre_gen = render_hook("pre_gen_project", Path(folder))
    return [
        {field: value, other: other_value}
        for field, value, other, other_value in pre_gen.IMPOSSIBLE
    ]


IMPOSSIBLE = _impossible()
"""Answers that pre_gen refuses together (test_rejections checks it), so no bake has them."""


def _possible(answers: dict) -> bool:
    return not any(all(answers.get(k) == v for k, v in bad.items()) for bad in IMPOSSIBLE)


TEMPLATE_FILES = {
    path.relative_to(TEMPLATE / "{{cookiecutter.project_slug}}")
    .as_posix()
    .replace("{{cookiecutter.package_name}}", "flight_delays")
    for path in (TEMPLATE / "{{cookiecutter.project_slug}}").rglob("*")
    if path.is_file()
}
"""Every file of the template, named as a bake with the default names has it."""


def expected_files(answers: dict, tmp_path: Path) -> set[str]:
    """The files a bake of ``answers`` must hold, by the post-gen hook's tables: the template's,
    less the paths the answers do not keep, with each chosen version under its new name."""
    hook = render_hook("post_gen_project", tmp_path, **answers)
    chosen, left_out = hook.chosen_versions(hook.CONTEXT, hook.CHOOSE)
    removed = [*hook.unselected_paths(hook.CONTEXT, hook.ONLY_FOR), *left_out, *chosen]
    kept = {f for f in TEMPLATE_FILES if not any(f == p or f.startswith(f"{p}/") for p in removed)}
    return kept | set(chosen.values())


def _pairs() -> list[dict]:
    names = list(OPTIONS)
    # AllPairs asks about partial rows too: zip stops at the row's end
    rows = AllPairs(
        list(OPTIONS.values()),
        filter_func=lambda row: _possible(dict(zip(names, row, strict=False))),
    )
    pairs = [dict(zip(names, row, strict=True)) for row in rows]
    # With a filter, AllPairs can leave a possible pair out: add a default bake for each.
    defaults = {name: values[0] for name, values in OPTIONS.items()}
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for x in OPTIONS[first]:
                for y in OPTIONS[second]:
                    wanted = {first: x, second: y}
                    if _possible(wanted) and not any(
                        a[first] == x and a[second] == y for a in pairs
                    ):
                        pairs.append({**defaults, **wanted})
    return pairs


ALL_PAIRS = _pairs()


def test_the_pairs_cover_every_value_and_every_possible_pair():
    assert all(_possible(answers) for answers in ALL_PAIRS)
    for name, values in OPTIONS.items():
        assert {answers[name] for answers in ALL_PAIRS} == set(values), name
    names = list(OPTIONS)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            seen = {(a[first], a[second]) for a in ALL_PAIRS}
            wanted = {
                (x, y)
                for x in OPTIONS[first]
                for y in OPTIONS[second]
                if _possible({first: x, second: y})
            }
            assert seen == wanted, (first, second)


def _label(answers: dict) -> str:
    return "-".join(str(value) for value in answers.values())


def test_the_default_bake_is_what_the_hook_tables_say(tmp_path):
    # EXPECTED_FILES is written out by hand: the tables must agree with it.
    assert expected_files({}, tmp_path) == EXPECTED_FILES


@pytest.mark.parametrize("answers", ALL_PAIRS, ids=_label)
def test_bake(cookies, tmp_path, answers):
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    project = result.project_path
    baked = files(project)

    assert not [n for n in baked if any(t in (project / n).read_text() for t in ("{{", "{%"))]
    assert baked == expected_files(answers, tmp_path)
    assert not [p for p in project.rglob("*") if p.is_dir() and not any(p.iterdir())]

    assert_ruff_clean(project)
    assert_mypy_clean(project)
    _imports_cleanly(project)
    _configs_parse(project, answers)


def _imports_cleanly(project: Path) -> None:
    modules = [
        ".".join(p.relative_to(project / "src").with_suffix("").parts).removesuffix(".__init__")
        for p in (project / "src").rglob("*.py")
    ]
    if (project / "app.py").exists():
        modules.append("app")
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project / "src"), str(project)])}
    run = subprocess.run(
        [sys.executable, "-c", code, *modules], cwd=project, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]


def _configs_parse(project: Path, answers: dict) -> None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={answers['python_version']}"
    dependencies = {d.split(">")[0].split("[")[0] for d in pyproject["project"]["dependencies"]}
    assert ("uvicorn" in dependencies) == (answers["server"] == "asgi")
    assert ("duckdb-engine" in dependencies) == (answers["database"] in ("duckdb", "none"))
    assert ("psycopg" in dependencies) == (answers["database"] == "postgresql")
    assert ("scikit-learn" in dependencies) == answers["ml_model"]
    streamlit = next(d for d in pyproject["project"]["dependencies"] if d.startswith("streamlit"))
    assert streamlit.startswith("streamlit[auth]") == (answers["auth"] == "oidc")
    dev = pyproject["dependency-groups"]["dev"]
    assert any(d.startswith("pre-commit") for d in dev) == answers["pre_commit"]
    config = tomllib.loads((project / ".streamlit" / "config.toml").read_text())
    gc_after_runs = config.get("runner", {}).get("postScriptGC", True)
    assert gc_after_runs == (answers["server"] == "asgi")  # asgi freezes in its lifespan
    for path in project.rglob("*.y*ml"):
        assert list(yaml.safe_load_all(path.read_text())), path

    serve = next(
        line.split("#")[0].split()
        for line in (project / "README.md").read_text().splitlines()
        if line.endswith("# serve on http://127.0.0.1:8501")
    )
    assert serve[:3] == (
        ["uv", "run", "uvicorn"] if answers["server"] == "asgi" else ["uv", "run", "streamlit"]
    )
    if answers["deployment"] != "none":  # test_deploy_files checks these files in depth
        dockerfile = (project / "Dockerfile").read_text()
        assert f"FROM python:{answers['python_version']}." in dockerfile
        assert "\nUSER 10001:10001\n" in dockerfile
        cmd = json.loads(dockerfile.split("\nCMD ", 1)[1].splitlines()[0])
        assert cmd[: len(serve) - 2] == [
            "0.0.0.0" if part == "127.0.0.1" else part for part in serve[2:]
        ]
    if answers["deployment"] == "kubernetes":
        kinds = {
            d["kind"]
            for path in (project / "deploy/k8s").glob("*.yaml")
            for d in yaml.safe_load_all(path.read_text())
        }
        scaling = (
            {"HorizontalPodAutoscaler", "PodDisruptionBudget"}
            if answers["database"] == "postgresql"
            else {"PersistentVolumeClaim"}
        )
        assert kinds == {"Kustomization", "Deployment", "Service", "Ingress", *scaling}


OWN_TESTS: list[dict[str, object]] = [
    {"database": "sqlite", "auth": "oidc", "server": "streamlit"},
    {"database": "postgresql", "ml_model": True},
    {"sample_data": "none", "database": "none", "auth": "oidc"},
    {"database": "none", "ml_model": True, "server": "streamlit"},
]
"""With the default bake (duckdb, no auth, no model, asgi), every value of database, auth,
ml_model and server runs its project's own tests."""


def test_own_test_bakes_cover_every_value():
    for name in ("sample_data", "database", "auth", "ml_model", "server"):
        default = OPTIONS[name][0]
        covered = {default} | {answers.get(name, default) for answers in OWN_TESTS}
        assert covered == set(OPTIONS[name]), name


@pytest.mark.parametrize("answers", OWN_TESTS, ids=_label)
def test_bake_passes_its_own_tests(cookies, tmp_path, request, answers):
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    url = ""
    if answers.get("database") == "postgresql":
        url = request.getfixturevalue("postgres_database")
    assert_own_tests_pass(result.project_path, tmp_path, database_url=url)
