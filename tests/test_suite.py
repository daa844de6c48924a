"""The suite's own shape: support code in ``tests/support/``, no test module importing another,
and the quick tests free of the data stack (a fixture imports what it needs when it runs)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent

HEAVY = ("sqlalchemy", "streamlit", "duckdb", "pandas", "psycopg", "playwright", "websockets")
"""The data and browser stacks: what a bake's app and the served tests need, and the hook tests
do not."""


def imported_modules(path: Path) -> set[str]:
    """The modules a Python file imports, absolute (``tests.x``) or relative (``.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found.add(module)
            if node.module is None:  # from . import x
                found.update("." * node.level + alias.name for alias in node.names)
    return found


def test_no_test_module_imports_another():
    for path in sorted(TESTS.glob("*.py")):
        test_modules = {
            module
            for module in imported_modules(path)
            if module.lstrip(".").removeprefix("tests.").startswith(("test_", "conftest"))
        }
        assert test_modules == set(), path.name


def test_the_benchmarks_import_only_the_test_support():
    for path in sorted((ROOT / "bench").glob("*.py")):
        ours = {m for m in imported_modules(path) if m.startswith(("tests", "bench"))}
        assert {m for m in ours if not m.startswith("tests.support")} == set(), path.name


def test_the_hook_tests_run_without_the_data_stack():
    # Each heavy package made unimportable: the conftest and the hook tests must not need them.
    blocker = (
        "import sys, pytest\n"
        f"for name in {HEAVY!r}: sys.modules[name] = None\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-n', '0', *sys.argv[1:]]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocker, "tests/test_hooks.py"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


GROUPED = """
import os, pathlib, pytest

@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    ran = pathlib.Path(os.environ["RAN"]) / f"{n}"
    ran.write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_an_xdist_group_runs_in_one_test_process(tmp_path):
    # The suite's groups (bakes, served, deploy, ...) share expensive work only if xdist keeps
    # each on one worker: pytest 9.2 with xdist 3.8 silently stops (pytest-xdist#1386).
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "ran").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
         "--dist", "loadgroup", "test_grouped.py"],
        cwd=tmp_path, env={**env, "RAN": str(tmp_path / "ran")}, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    workers = [path.read_text() for path in (tmp_path / "ran").iterdir()]
    assert len(workers) == 6 and len(set(workers)) == 1, workers


def test_a_bake_from_kept_compiled_templates_is_the_fresh_one(tmp_path):
    # jinja_once keeps each file's compiled Jinja for the test process: a bake made with it,
    # after others, must match byte for byte one made by a new process compiling everything.
    from tests.support import jinja_once
    from tests.support.bakes import cookiecutter_cli, render_template

    answers: dict[str, object] = {
        "project_name": "Kept {{ 1 }} 'code'",
        "auth": "oidc",
        "author_name": 'O"B \\',
    }
    for folder in ("earlier", "kept"):
        (tmp_path / folder).mkdir()
    render_template({}, tmp_path / "earlier")  # the default bake's files: compiled and kept
    kept = render_template(answers, tmp_path / "kept")
    assert jinja_once.kept() > 0  # the plugin is on in this process
    options = ["--no-input", "--accept-hooks", "no"]
    run, out = cookiecutter_cli(tmp_path, options, [f"{k}={v}" for k, v in answers.items()])
    assert run.returncode == 0, run.stderr[-3000:]
    fresh = out / kept.name
    names = {p.relative_to(kept) for p in kept.rglob("*")}
    assert names == {p.relative_to(fresh) for p in fresh.rglob("*")}
    for name in sorted(names):
        if (kept / name).is_file():
            assert (kept / name).read_bytes() == (fresh / name).read_bytes(), name


def test_the_parse_check_names_each_broken_file_as_often_as_it_is_asked(tmp_path):
    from tests.support.files import unparsable_files

    broken = {
        "pkg/mod.py": "def f(:\n",
        "pyproject.toml": "[project\n",
        "deploy/k8s/app.yaml": "a: [1, 2\n",
        "compose.yml": "a: b: c\n",
    }
    fine = {"pkg/ok.py": "x = 1\n", "ok.toml": "a = 1\n", "ok.yaml": "a: [1, 2]\n"}
    kinds = {".py": "SyntaxError", ".toml": "TOMLDecodeError", ".yaml": "Error", ".yml": "Error"}
    for copy in ("first", "second"):  # the second's files are the first's, byte for byte
        for name, text in {**broken, **fine}.items():
            (tmp_path / copy / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / copy / name).write_text(text, encoding="utf-8")
        found = unparsable_files(tmp_path / copy)
        assert sorted(found) == sorted(broken), copy
        for name, why in found.items():
            assert why.split(":")[0].endswith(kinds[Path(name).suffix]), (name, why)
    (tmp_path / "second/compose.yml").write_text("a: {b: c}\n", encoding="utf-8")  # mended
    assert "compose.yml" not in unparsable_files(tmp_path / "second")
