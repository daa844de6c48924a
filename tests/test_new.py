"""A bake's ``tools/new.py table``: tables for awkward files whose code passes the bake's own
ruff and mypy unchanged, and refusals that leave the project byte for byte as it was.

The tables' loads and queries run on every backend in the own-test bakes (``test_options.py``),
which add them before running their tests.
"""

import ast
import asyncio
import shlex
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.checks import assert_mypy_clean, assert_ruff_clean
from tests.support.tables import (
    DEMO_PAGES,
    LATE_MISFIT_CSV,
    PAGES,
    WIDE_PARQUET_COLUMNS,
    new_page,
    new_table,
    run_new,
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


def menu_titles(navigation: str) -> list[str]:
    """The titles of ``PAGES`` in a ``navigation.py``'s source, in menu order."""
    for node in ast.parse(navigation).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGES":
            assert isinstance(node.value, ast.Tuple)
            calls = [call for call in node.value.elts if isinstance(call, ast.Call)]
            return [ast.literal_eval(call.args[1]) for call in calls]
    raise AssertionError("no PAGES in navigation.py")


@pytest.fixture
def skeleton(bake, tmp_path) -> Path:
    """A copy of the skeleton bake, free to change."""
    return Path(shutil.copytree(bake(sample_data="none"), tmp_path / "project"))


def assert_refused_writing_nothing(project: Path, refusals: dict[tuple[str, ...], str]) -> None:
    """Each command line of ``refusals`` exits 2 with one line on stderr that holds its
    message, and prints nothing else; ``project`` is byte for byte as it was."""
    before = snapshot(project)
    outcomes = run_new(project, *map(list, refusals))
    for done, message in zip(outcomes, refusals.values(), strict=True):
        assert done.returncode == 2, (done.args, done.stderr)
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
        assert done.stdout == ""
    assert snapshot(project) == before


def test_refusals_name_the_field_and_write_nothing(skeleton, tmp_path):
    files = write_files(tmp_path)
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
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
    assert_refused_writing_nothing(
        skeleton,
        {("table", str(tmp_path / file), *name): why for (file, *name), why in refusals.items()},
    )
    # and the first table makes its name taken for the next
    assert new_table(skeleton, str(files["awkward"])).returncode == 0
    again = new_table(skeleton, str(files["awkward"]))
    assert again.returncode == 2 and "'awkward': data/schema.py has it" in again.stderr


def test_page_refusals_name_the_field_and_write_nothing(skeleton, tmp_path):
    (tmp_path / "numbers.csv").write_text("a,b\n1,2.5\n", encoding="utf-8")
    (tmp_path / "math.csv").write_text("subject,score\nAlgebra,3\n", encoding="utf-8")
    for file in ("numbers.csv", "math.csv"):
        assert new_table(skeleton, str(tmp_path / file)).returncode == 0
    refusals = {
        ("",): "TITLE '': use 1 to 40 printable characters",
        ("x" * 41,): "use 1 to 40 printable",
        ("Tab\there",): "use 1 to 40 printable",
        ('Say "hi"',): "no quote or backslash",
        ("Home",): "TITLE: app_pages/home.py exists",
        ("Notes",): "components/notes.py exists",
        ("List",): "the page's name 'list' is Python's",
        ("Rows", "--filter", "body"): "--filter 'body': a filter needs a table",
        ("Rows", "--table", "nope"): "--table 'nope': data/schema.py has no such table",
        ("Rows", "--table", "numbers"): "--table 'numbers': no text column to filter on",
        ("Scores", "--table", "math"): "--table 'math': the page's component module uses",
        ("Bob\u2019s Sales \u2013 2024",): "the written code would fail ruff (",  # RUF001
        ("Rows", "--table", "notes", "--filter", "created_at"): (
            "--filter 'created_at': not a text column of notes (id, body)"
        ),
    }
    assert_refused_writing_nothing(
        skeleton, {("page", *args): why for args, why in refusals.items()}
    )
    # a page's name is taken once it is written, and a table's key is no filter
    done = new_page(skeleton, "Notes by body", "--table", "notes")
    assert done.returncode == 0, done.stderr
    assert "- filter: its column ``body``" in (skeleton / "app_pages/notes_by_body.py").read_text()
    again = new_page(skeleton, "Notes by body")
    assert again.returncode == 2 and "app_pages/notes_by_body.py exists" in again.stderr


def test_a_value_past_the_sample_makes_its_column_text(skeleton, tmp_path):
    late = tmp_path / "late.csv"
    late.write_text(LATE_MISFIT_CSV, encoding="utf-8")
    done = new_table(skeleton, str(late))
    assert done.returncode == 0, done.stderr
    schema = (next((skeleton / "src").iterdir()) / "data/schema.py").read_text(encoding="utf-8")
    assert 'Column("k", BigInteger, info={"label": "k"}),' in schema
    assert 'Column("v", String, info={"label": "v"}),' in schema  # not BigInteger


def test_the_table_loads_now_or_at_the_app_s_next_start(skeleton, tmp_path):
    import duckdb

    (tmp_path / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    (tmp_path / "late.csv").write_text(LATE_MISFIT_CSV, encoding="utf-8")
    done = new_table(skeleton, str(tmp_path / "sales.csv"))
    assert done.returncode == 0, done.stderr
    (database,) = (skeleton / "data").glob("*.duckdb")  # the app's, made by the tool's load
    assert f"Loaded 4 rows into {database}." in done.stdout
    with duckdb.connect(database) as con:
        assert con.sql("SELECT count(*), count(units) FROM sales").fetchall() == [(4, 3)]
        assert con.sql("SELECT dataset FROM loads").fetchall() == [("import:sales",)]
    # A running app holds its DuckDB file: the tool reads every row instead, and leaves the
    # load to the app's next start.
    with duckdb.connect(database) as app:
        done = new_table(skeleton, str(tmp_path / "late.csv"))
        assert done.returncode == 0, done.stderr
        assert "Not loaded now: " in done.stdout and "lock" in done.stdout
        assert "Every row fits; the app loads them at its next start." in done.stdout
        assert app.sql("SELECT count(*) FROM loads").fetchall() == [(1,)]
    assert (skeleton / "imports/late.csv").is_file()


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
    navigation = (package / "navigation.py").read_text(encoding="utf-8")
    expected = [*PAGES, *(DEMO_PAGES if not answers else {})]
    assert menu_titles(navigation)[-len(expected) :] == expected
    page = (project / "app_pages/awkward_rows_1_mixed.py").read_text(encoding="utf-8")
    heading = next(
        ast.literal_eval(node.args[0])
        for node in ast.walk(ast.parse(page))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.title"
    )
    assert heading == r"Awkward rows \(\#1\) \- \*mixed\*"  # Markdown shows it as typed
    assert sorted((project / "imports").iterdir())[0].name == "README.md"
    example = {"penguins.csv"} if answers else set()  # the skeleton's
    assert {path.name for path in (project / "imports").iterdir()} == {
        "README.md",
        "awkward.csv",
        "header_only.csv",
        "wide.parquet",
        *example,
    }


SALES_CSV = """\
region,product,units,price,sold_on
North,Tea,12,3.5,2024-01-02
South,Tea,,3.5,2024-01-03
North,"Coffee, ground",7,8.25,2024-01-03
West,Cocoa,3,,2024-01-04
"""


def readme_commands(readme: str, heading: str) -> list[list[str]]:
    """The commands of the first ``bash`` block under ``heading``, each split as a shell
    would (quotes taken off), without its comment."""
    block = readme.split(heading)[1].split("```bash\n")[1].split("```")[0]
    return [shlex.split(line, comments=True) for line in block.splitlines()]


@pytest.mark.slow  # installs a bake, runs its own tests and serves it
def test_the_readme_s_import_and_page_steps_run_word_for_word(cookies, tmp_path):
    from tests.support import served as serving
    from tests.support.bakes import project_client
    from tests.support.cluster import first_visit

    result = cookies.bake(extra_context={"sample_data": "none", "database": "sqlite"})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    env = serving.clean_env(tmp_path / "home")
    serving.install(project, env)
    (project / "path/to").mkdir(parents=True)
    (project / "path/to/sales.csv").write_text(SALES_CSV, encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    table, tests, serve = readme_commands(readme, "### 1. Import your data")
    assert table == ["uv", "run", "python", "tools/new.py", "table", "path/to/sales.csv"]
    page, page_tests = readme_commands(readme, "### 2. Add a page")
    assert page == [
        "uv",
        "run",
        "python",
        "tools/new.py",
        "page",
        "Sales",
        "--table",
        "sales",
    ]
    assert page_tests == tests  # the same run checks both steps' files: once, after both
    for command in (table, page, tests):
        done = subprocess.run(
            [serving.UV, *command[1:]], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        if command == table:  # it loads the file into the development database now
            assert "Loaded 4 rows into " in done.stdout, done.stdout
    assert (project / "tests/test_sales_page.py").is_file()  # among the tests just run
    client = project_client(project)
    port = client.free_port()
    command = [serving.UV, *serve[1:], "--server.port", str(port), "--server.headless", "true"]
    log = tmp_path / "server.log"
    with client.serving(command, project, port, env=env, log=log) as server:
        asyncio.run(first_visit(server.url, timeout=120))  # the first start's load
    (database,) = (project / "data").glob("*.sqlite")
    with sqlite3.connect(database) as con:
        assert con.execute("SELECT count(*) FROM sales").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM penguins").fetchone() == (344,)  # the example
        loads = [dataset for (dataset,) in con.execute("SELECT dataset FROM loads")]
    assert sorted(loads) == ["import:penguins", "import:sales"]

    # The file changes; Import again, on a development server, loads it anew in a worker.
    with (project / "imports" / "sales.csv").open("a", encoding="utf-8") as sales:
        sales.write(SALES_CSV.splitlines(keepends=True)[-1])
    env[f"{project.name.replace('-', '_').upper()}_DEV_TOOLS"] = "1"
    with client.serving(command, project, port, env=env, log=log) as server:
        asyncio.run(import_again(server.url, "sales.csv → sales"))
    with sqlite3.connect(database) as con:
        assert con.execute("SELECT count(*) FROM sales").fetchone() == (5,)


async def import_again(url: str, choice: str) -> None:
    """On the Jobs page, import ``choice`` again and watch the job to Done; then open a page,
    whose run puts the rows the worker read in place."""
    from tests.support.session import Session

    jobs = await Session.open(url, "/jobs", timeout=60)
    form = {jobs.widget_id("Data file and its table", "selectbox"): choice}
    await jobs.rerun(widgets=form | {jobs.widget_id("Import again"): True})
    deadline = time.monotonic() + 120
    while not any("Done] **Import a data file again**" in text for text in jobs.texts):
        assert time.monotonic() < deadline, jobs.texts
        await asyncio.sleep(1)
        await jobs.rerun()  # as the job list's fragment does every second
    await jobs.rerun(page="sales")  # a page run: it puts the rows in place
    assert jobs.errors == [], jobs.errors
    await jobs.close()
