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
import tomllib
from pathlib import Path

import pytest
import yaml
from allpairspy import AllPairs

from .conftest import TEMPLATE, assert_own_tests_pass, assert_ruff_clean
from .test_bake import EXPECTED_FILES, files

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

OPTIONAL_FILES = {
    "src/flight_delays/data/parquet.py": lambda a: a["database"] == "none",
    "tests/test_parquet.py": lambda a: a["database"] == "none",
    "app.py": lambda a: a["server"] == "asgi",
    "tests/test_server.py": lambda a: a["server"] == "asgi",
    "Dockerfile": lambda a: a["deployment"] != "none",
    ".dockerignore": lambda a: a["deployment"] != "none",
    "compose.yaml": lambda a: a["deployment"] == "compose",
    "deploy/k8s/deployment.yaml": lambda a: a["deployment"] == "kubernetes",
    ".github/workflows/ci.yml": lambda a: a["ci"] == "github",
    ".gitlab-ci.yml": lambda a: a["ci"] == "gitlab",
    ".pre-commit-config.yaml": lambda a: a["pre_commit"],
    "app_pages/sign_in.py": lambda a: a["auth"] == "oidc",
    "tests/test_auth.py": lambda a: a["auth"] == "oidc",
    "app_pages/predict.py": lambda a: a["ml_model"],
    "src/flight_delays/model/__init__.py": lambda a: a["ml_model"],
    "src/flight_delays/model/delay.py": lambda a: a["ml_model"],
    "src/flight_delays/resources/model.py": lambda a: a["ml_model"],
    "tests/test_model.py": lambda a: a["ml_model"],
    "tests/test_predict.py": lambda a: a["ml_model"],
    **dict.fromkeys(
        [
            *(
                f"app_pages/{page}.py"
                for page in ("overview", "explore", "live", "wizard", "about")
            ),
            *(
                f"src/flight_delays/components/{name}.py"
                for name in ("charts", "filters", "kpi", "live", "results", "saved_views", "wizard")
            ),
            *(f"src/flight_delays/data/{name}.py" for name in ("filters", "views", "source")),
            "src/flight_delays/data/cache_status.py",
            "tests/test_pages.py",
            "tests/test_queries.py",
        ],
        lambda a: a["sample_data"] == "nycflights13",
    ),
    **dict.fromkeys(
        [
            "app_pages/home.py",
            "src/flight_delays/components/notes.py",
            "tests/test_home.py",
            "tests/test_notes.py",
        ],
        lambda a: a["sample_data"] == "none",
    ),
}
"""File -> when a bake must have it (and must not otherwise)."""

IMPOSSIBLE = [{"ml_model": True, "sample_data": "none"}]
"""Answers that pre_gen refuses together (test_rejections checks it), so no bake has them."""


def _possible(answers: dict) -> bool:
    return not any(all(answers.get(k) == v for k, v in bad.items()) for bad in IMPOSSIBLE)


CORE_FILES = EXPECTED_FILES - set(OPTIONAL_FILES)


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


@pytest.mark.parametrize("answers", ALL_PAIRS, ids=_label)
def test_bake(cookies, answers):
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    project = result.project_path
    baked = files(project)

    assert not [n for n in baked if any(t in (project / n).read_text() for t in ("{{", "{%"))]
    assert baked >= CORE_FILES
    assert {f for f in OPTIONAL_FILES if f in baked} == {
        f for f, wanted in OPTIONAL_FILES.items() if wanted(answers)
    }
    assert not [p for p in project.rglob("*") if p.is_dir() and not any(p.iterdir())]

    assert_ruff_clean(project)
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
    if answers["deployment"] != "none":
        dockerfile = (project / "Dockerfile").read_text()
        assert f"FROM python:{answers['python_version']}-slim" in dockerfile
        assert "\nUSER app\n" in dockerfile
        cmd = json.loads(dockerfile.split("\nCMD ", 1)[1].splitlines()[0])
        assert cmd[0] == f".venv/bin/{serve[2]}" and cmd[1:] == [
            "0.0.0.0" if part == "127.0.0.1" else part for part in serve[3:]
        ]
    if answers["deployment"] == "kubernetes":
        kinds = [
            d["kind"]
            for d in yaml.safe_load_all((project / "deploy/k8s/deployment.yaml").read_text())
        ]
        volume = ["PersistentVolumeClaim"] if answers["database"] != "postgresql" else []
        assert kinds == ["Deployment", *volume, "Service"]


OWN_TESTS = [
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
