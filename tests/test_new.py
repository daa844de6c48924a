"""A bake's ``tools/new.py table``: tables for awkward files whose code passes the bake's own
ruff and mypy unchanged, and refusals that leave the project byte for byte as it was.

The tables' loads and queries run on every backend in the own-test bakes (``test_options.py``),
which add them before running their tests.
"""

import re
import shutil
from pathlib import Path

import pytest

from tests.support.checks import assert_mypy_clean, assert_ruff_clean
from tests.support.tables import WIDE_PARQUET_COLUMNS, new_table, with_tables, write_files

BAKES = pytest.mark.xdist_group("bakes")  # mypy's cache of the all-pairs bakes


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of ``project``, by path, with its bytes."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


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


@pytest.mark.slow  # mypy
@BAKES
@pytest.mark.parametrize("answers", [{"sample_data": "none"}, {}], ids=["skeleton", "demo"])
def test_tables_for_awkward_files_pass_ruff_and_mypy(bake, tmp_path, answers):
    project = with_tables(bake(**answers), tmp_path)
    assert_ruff_clean(project)
    assert_mypy_clean(project)
    package = next((project / "src").iterdir())
    schema = (package / "data/schema.py").read_text(encoding="utf-8")
    awkward = schema.split("awkward = Table(")[1].split("\n)\n")[0]
    columns = re.findall(r'Column\("(\w+)", (\w+), info=\{"label": "([^"]*)"\}\)', awkward)
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
    ]
    kinds = {name: kind for name, kind, _ in columns}
    assert [kinds[name] for name in ("bill_length_mm", "when_", "ok", "day")] == [
        "Double",
        "DateTime",
        "Boolean",
        "Date",
    ]
    assert [kinds[name] for name in ("mixed", "select_")] == ["String", "BigInteger"]
    wide = schema.split("wide = Table(")[1].split("\n)\n")[0]
    assert wide.count("Column(") == WIDE_PARQUET_COLUMNS
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
