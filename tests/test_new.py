"""A bake's ``tools/new.py table``: tables for awkward files whose code passes the bake's own
ruff and mypy unchanged, and refusals that leave the project byte for byte as it was.

The tables' loads and queries run on every backend in the own-test bakes (``test_options.py``),
which add them before running their tests.
"""

import ast
import asyncio
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.support.checks import assert_mypy_clean, assert_ruff_clean
from tests.support.tables import (
    LATE_MISFIT_CSV,
    WIDE_PARQUET_COLUMNS,
    new_table,
    with_tables,
    write_files,
)

BAKES = pytest.mark.xdist_group("bakes")  # mypy's cache of the all-pairs bakes


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of ``project``, by path, with its bytes."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def declared_columns(schema: str, table: str) -> list[tuple[str, str, str]]:
    """The name, type and label of each ``Column`` of ``table`` in a ``schema.py``'s source."""
    for node in ast.parse(schema).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == table:
            assert isinstance(node.value, ast.Call)
            return [
                (
                    ast.literal_eval(column.args[0]),
                    ast.unparse(column.args[1]),
                    ast.literal_eval(column.keywords[0].value)["label"],
                )
                for column in node.value.args[2:]
                if isinstance(column, ast.Call)
            ]
    raise AssertionError(f"no table {table} in schema.py")


@pytest.fixture
def skeleton(bake, tmp_path) -> Path:
    """A copy of the skeleton bake, free to change."""
    return Path(shutil.copytree(bake(sample_data="none"), tmp_path / "project"))


def test_refusals_name_the_field_and_write_nothing(skeleton, tmp_path):
    files = write_files(tmp_path)
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    before = snapshot(skeleton)
    refusals = {
        ("empty.csv",): "FILE: empty.csv is empty",
        ("missing.csv",): "is not a file",
        ("notes.xlsx",): "is not a .csv, .tsv, .parquet file",
        ("broken.parquet",): "FILE: DuckDB can't read broken.parquet",
        ("awkward.csv", "--name", "notes"): "table name 'notes': data/schema.py has it",
        ("awkward.csv", "--name", "select"): "table name 'select': a Python or SQL keyword",
        ("awkward.csv", "--name", "Penguins 2"): "table name 'Penguins 2': use lower-case",
        ("awkward.csv", "--name", "recent_notes"): "data/queries.py has recent_notes",
        ("awkward.csv", "--name", "list"): "'list': Python, a database or the written code",
        ("awkward.csv", "--name", "alembic_version"): "'alembic_version': Python, a database",
        ("awkward.csv", "--name", "sqlite_stat"): "'sqlite_stat': Python, a database",
        ("awkward.csv", "--name", "a" * 41): "at most 40 characters",
    }
    for (file, *name), message in refusals.items():
        done = new_table(skeleton, str(tmp_path / file), *name)
        assert done.returncode == 2, (file, done.stderr)
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
        assert done.stdout == ""
    assert snapshot(skeleton) == before
    # and the first table makes its name taken for the next
    assert new_table(skeleton, str(files["awkward"])).returncode == 0
    again = new_table(skeleton, str(files["awkward"]))
    assert again.returncode == 2 and "'awkward': data/schema.py has it" in again.stderr


def test_a_value_past_the_sample_makes_its_column_text(skeleton, tmp_path):
    late = tmp_path / "late.csv"
    late.write_text(LATE_MISFIT_CSV, encoding="utf-8")
    done = new_table(skeleton, str(late))
    assert done.returncode == 0, done.stderr
    schema = (next((skeleton / "src").iterdir()) / "data/schema.py").read_text(encoding="utf-8")
    assert 'Column("k", BigInteger, info={"label": "k"}),' in schema
    assert 'Column("v", String, info={"label": "v"}),' in schema  # not BigInteger


@pytest.mark.slow  # mypy
@BAKES
@pytest.mark.parametrize("answers", [{"sample_data": "none"}, {}], ids=["skeleton", "demo"])
def test_tables_for_awkward_files_pass_ruff_and_mypy(bake, tmp_path, answers):
    project = with_tables(bake(**answers), tmp_path)
    assert_ruff_clean(project)
    assert_mypy_clean(project)
    package = next((project / "src").iterdir())
    schema = (package / "data/schema.py").read_text(encoding="utf-8")
    columns = declared_columns(schema, "awkward")
    assert [(name, label) for name, _, label in columns] == [
        ("name", "Name"),
        ("bill_length_mm", "Bill Length (mm)"),
        ("species", "Species"),
        ("select_", "select"),
        ("name_1", "Name_1"),  # DuckDB's reader tells the second Name apart
        ("ol", "Öl"),
        ("when_", "when"),
        ("ok", "ok"),
        ("day", "day"),
        ("mixed", "Mixed"),
        ("from_", "from"),
        ("unicode_cafe", "Ünïcode café"),
        ("c_2nd", "2nd"),
        ("keys_", "keys"),  # table.c.keys is a method
        (
            "c_2024_revenue_forecast_for_the_northern_region_in_thousands",  # cut to 60
            "2024 revenue forecast for the northern region, in thousands of euros, first quarter",
        ),
    ]
    kinds = {name: kind for name, kind, _ in columns}
    assert [kinds[name] for name in ("bill_length_mm", "when_", "ok", "day")] == [
        "Double",
        "DateTime",
        "Boolean",
        "Date",
    ]
    assert [kinds[name] for name in ("mixed", "select_")] == ["String", "BigInteger"]
    assert len(declared_columns(schema, "wide")) == WIDE_PARQUET_COLUMNS
    versions = sorted(path.name for path in (package / "migrations/versions").glob("*.py"))
    newest = versions[-3:]
    assert [name.split("_", 1)[1] for name in newest] == [
        "create_awkward.py",
        "create_header_only.py",
        "create_wide.py",
    ]
    assert sorted((project / "imports").iterdir())[0].name == "README.md"
    assert {path.name for path in (project / "imports").iterdir()} == {
        "README.md",
        "awkward.csv",
        "header_only.csv",
        "wide.parquet",
    }


PENGUINS_CSV = """\
species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year
Adelie,Torgersen,39.1,18.7,181,3750,male,2007
Adelie,Torgersen,,,,,,2007
Gentoo,Biscoe,46.1,13.2,211,4500,female,2007
Chinstrap,Dream,46.5,17.9,192,3500,female,2007
"""


@pytest.mark.slow  # installs a bake, runs its own tests and serves it
def test_the_readme_s_import_step_runs_word_for_word(cookies, tmp_path):
    from tests.support import served as serving
    from tests.support.bakes import project_client
    from tests.support.cluster import first_visit

    result = cookies.bake(extra_context={"sample_data": "none", "database": "sqlite"})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    env = serving.clean_env(tmp_path / "home")
    serving.install(project, env)
    (project / "path/to").mkdir(parents=True)
    (project / "path/to/penguins.csv").write_text(PENGUINS_CSV, encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    step = readme.split("### 1. Import your data")[1].split("```bash\n")[1].split("```")[0]
    tool, tests, serve = [line.split("#")[0].split() for line in step.splitlines()]
    assert tool == ["uv", "run", "python", "tools/new.py", "table", "path/to/penguins.csv"]
    for command in (tool, tests):
        done = subprocess.run(
            [serving.UV, *command[1:]], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    client = project_client(project)
    port = client.free_port()
    command = [serving.UV, *serve[1:], "--server.port", str(port), "--server.headless", "true"]
    with client.serving(command, project, port, env=env, log=tmp_path / "server.log") as server:
        asyncio.run(first_visit(server.url, timeout=120))  # the first start's load
    (database,) = (project / "data").glob("*.sqlite")
    with sqlite3.connect(database) as con:
        assert con.execute("SELECT count(*) FROM penguins").fetchone() == (4,)
        loads = [dataset for (dataset,) in con.execute("SELECT dataset FROM loads")]
    assert loads == ["import:penguins"]
