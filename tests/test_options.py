"""Every value of every option, and an all-pairs cover of the options, baked and checked.

Each bake must render completely, hold exactly the files the post-gen hook's tables choose,
pass ruff and carry configs that parse (quick); and pass mypy and import cleanly (slow: once per
distinct set of Python files, which the bakes share far more often than not). The bakes come
from the registry in ``conftest.py``; the all-pairs checks share one xdist group, so one test
process bakes each once and keeps one mypy cache.

The project's own tests run once per bake of ``OWN_TESTS``: every value of sample_data,
database, auth, ml_model and server, the demo on every database; PostgreSQL's against a real
server (``TEMPLATE_POSTGRES_URL``, which ``.ci/run`` sets). Those of ``WITH_TABLES`` first get
the awkward files' tables from their own ``tools/new.py``, so those tables' loads and queries
run on every dialect, through the app's first load too.
"""

import json
import tomllib
from pathlib import Path

import duckdb
import pytest

from tests.support.answers import ALL_PAIRS, OWN_TESTS, WITH_TABLES, possible
from tests.support.bakes import files, with_template_text
from tests.support.checks import (
    assert_imports_cleanly,
    assert_mypy_clean,
    assert_own_tests_pass,
    assert_ruff_clean,
)
from tests.support.files import yaml_documents
from tests.support.hooks import expected_files
from tests.support.tables import WIDE_PARQUET_ROWS, with_tables
from tests.support.template import DATABASES, DEFAULTS, OPTIONS, database, label

BAKES = pytest.mark.xdist_group("bakes")
"""The all-pairs bakes' group: one test process bakes them, and type-checks each distinct one
with one mypy cache."""


def test_the_pairs_cover_every_value_and_every_possible_pair():
    assert ALL_PAIRS[0] == DEFAULTS
    assert all(possible(answers) for answers in ALL_PAIRS)
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
                if possible({first: x, second: y})
            }
            assert seen == wanted, (first, second)


@BAKES
@pytest.mark.parametrize("answers", ALL_PAIRS, ids=label)
def test_bake(bake, tmp_path, answers):
    project = bake(**answers)
    assert with_template_text(project) == []
    assert files(project) == expected_files(tmp_path, **answers)
    assert not [p for p in project.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert_ruff_clean(project)
    _configs_parse(project, answers)


@BAKES
@pytest.mark.slow
@pytest.mark.parametrize("answers", ALL_PAIRS, ids=label)
def test_bake_type_checks_and_imports(bake, answers):
    project = bake(**answers)
    assert_mypy_clean(project)
    assert_imports_cleanly(project)


def _configs_parse(project: Path, answers: dict) -> None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={answers['python_version']}"
    dependencies = {d.split(">")[0].split("[")[0] for d in pyproject["project"]["dependencies"]}
    assert ("uvicorn" in dependencies) == (answers["server"] == "asgi")
    # the database's own requirements, from its row in cookiecutter.json, and no other's
    required = set(pyproject["project"]["dependencies"])
    own = set(database(answers)["requires"])
    others = {r for row in DATABASES.values() for r in row["requires"]} - own
    assert own <= required and not others & required, (own, others & required)
    assert ("scikit-learn" in dependencies) == answers["ml_model"]
    streamlit = next(d for d in pyproject["project"]["dependencies"] if d.startswith("streamlit"))
    assert streamlit.startswith("streamlit[auth]") == (answers["auth"] == "oidc")
    dev = pyproject["dependency-groups"]["dev"]
    assert any(d.startswith("pre-commit") for d in dev) == answers["pre_commit"]
    config = tomllib.loads((project / ".streamlit" / "config.toml").read_text())
    gc_after_runs = config.get("runner", {}).get("postScriptGC", True)
    assert gc_after_runs == (answers["server"] == "asgi")  # asgi freezes in its lifespan
    for path in project.rglob("*.y*ml"):
        assert yaml_documents(path.read_text()), path

    serve = next(
        line.split("#")[0].split()
        for line in (project / "README.md").read_text().splitlines()
        if line.endswith("# serve on http://127.0.0.1:8501")
    )
    assert serve[:3] == (
        ["uv", "run", "uvicorn"] if answers["server"] == "asgi" else ["uv", "run", "streamlit"]
    )
    if answers["deployment"] != "none":  # test_image.py and its kin check these in depth
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
            for d in yaml_documents(path.read_text())
        }
        scaling = (
            {"HorizontalPodAutoscaler", "PodDisruptionBudget"}
            if database(answers)["server"]
            else {"PersistentVolumeClaim"}
        )
        assert kinds == {"Kustomization", "Deployment", "Service", "Ingress", *scaling}


def test_own_test_bakes_cover_every_value():
    for name in ("sample_data", "database", "auth", "ml_model", "server"):
        covered = {answers.get(name, DEFAULTS[name]) for answers in OWN_TESTS}
        assert covered == set(OPTIONS[name]), name
    demos = [answers for answers in OWN_TESTS if answers.get("sample_data") != "none"]
    assert {answers.get("database", DEFAULTS["database"]) for answers in demos} == set(
        OPTIONS["database"]
    )


def own_label(answers: dict) -> str:
    """A test id for an own-test bake: its options' values (``defaults`` for none)."""
    return label({name: answers[name] for name in OPTIONS if name in answers}) or "defaults"


@pytest.mark.slow
@pytest.mark.parametrize("answers", OWN_TESTS, ids=own_label)
def test_bake_passes_its_own_tests(bake, tmp_path, request, answers):
    url = ""
    if answers.get("database") == "postgresql":
        url = request.getfixturevalue("postgres_database")
    if answers not in WITH_TABLES:  # the default's database is shared (data_dir): as baked
        data = request.getfixturevalue("data_dir") if answers == {} else tmp_path
        assert_own_tests_pass(bake(**answers), data, database_url=url)
        return
    # With tables of tools/new.py: their loads and queries on this backend, in the app too.
    project = with_tables(bake(**answers), tmp_path / "with-tables")
    assert_own_tests_pass(project, tmp_path / "data", database_url=url)
    if database(answers)["parquet"]:  # the Parquet file of imports/ is read where it lies
        (file,) = (tmp_path / "data").glob("*.duckdb")
        with duckdb.connect(str(file), read_only=True) as con:
            tables = "SELECT table_name, table_type FROM information_schema.tables"
            kinds = dict(con.execute(tables).fetchall())
            assert kinds["wide"] == "VIEW" and kinds["awkward"] == "BASE TABLE"
            assert con.execute("SELECT count(*) FROM wide").fetchone() == (WIDE_PARQUET_ROWS,)


def test_the_tables_of_tools_new_load_on_every_dialect():
    dialects = {database(answers)["dialect"] for answers in WITH_TABLES}
    assert dialects == {DATABASES[name]["dialect"] for name in DATABASES}
    assert {answers.get("sample_data", DEFAULTS["sample_data"]) for answers in WITH_TABLES} == set(
        OPTIONS["sample_data"]
    )
