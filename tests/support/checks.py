"""What every bake must pass, run with this environment's tools: ruff, mypy, a clean import of
every module, and the bake's own tests.

mypy and the import check read nothing but the bake's Python files (and mypy its settings), and
many bakes share those: the all-pairs bakes differ in licence, CI or deployment files far more
often than in code. So each runs once per distinct input in a test process (``digest``), and
a bake whose input was checked before gets the same outcome, failure and message included.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

_OUTCOMES: dict[tuple[str, str], tuple[bool, str]] = {}
"""(check, digest) -> (passed, what it printed), for this test process."""


def run_in(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` in ``project`` with this environment's interpreter."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=project, env=env, capture_output=True, text=True
    )


def digest(project: Path) -> str:
    """A SHA-256 of what mypy and an import read in ``project``: every ``.py`` file's path and
    bytes, and the ``[tool.mypy]`` settings of its ``pyproject.toml``."""
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    hashed = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in sorted(project.rglob("*.py")):
        hashed.update(path.relative_to(project).as_posix().encode() + b"\0")
        hashed.update(path.read_bytes() + b"\0")
    return hashed.hexdigest()


def _once(check: str, project: Path, run: Callable[[], tuple[bool, str]]) -> tuple[bool, str]:
    """``run()``'s outcome for ``project``, computed once per distinct ``digest``."""
    key = (check, digest(project))
    if key not in _OUTCOMES:
        _OUTCOMES[key] = run()
    return _OUTCOMES[key]


def assert_ruff_clean(project: Path) -> None:
    """``ruff check`` and ``ruff format --check`` pass in ``project``, by its own settings."""
    for command in (["check"], ["format", "--check"]):
        ruff = run_in(project, "ruff", *command, "--no-cache", ".")
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def assert_mypy_clean(project: Path) -> None:
    """``mypy``, as the project configures it, passes in ``project`` (once per ``digest``).
    Each test process keeps a cache of its own: the bakes share most modules, so the checks
    after the first are quick."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    cache = Path(tempfile.gettempdir()) / f"bake-mypy-{worker}"

    def mypy() -> tuple[bool, str]:
        run = run_in(project, "mypy", env={**os.environ, "MYPY_CACHE_DIR": str(cache)})
        return run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]

    passed, output = _once("mypy", project, mypy)
    assert passed, output


def modules(project: Path) -> list[str]:
    """Every module of the bake's package, and ``app`` when the bake has one."""
    names = [
        ".".join(p.relative_to(project / "src").with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((project / "src").rglob("*.py"))
    ]
    return [*names, "app"] if (project / "app.py").exists() else names


def assert_imports_cleanly(project: Path) -> None:
    """Every module of ``modules(project)`` imports in a fresh interpreter, with ``src`` and the
    project on the path, as installed (once per ``digest``)."""

    def imports() -> tuple[bool, str]:
        code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project / "src"), str(project)])}
        run = subprocess.run(
            [sys.executable, "-c", code, *modules(project)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        return run.returncode == 0, run.stderr[-3000:]

    passed, output = _once("imports", project, imports)
    assert passed, output


def assert_own_tests_pass(project: Path, data_dir: Path, database_url: str = "") -> None:
    """The bake's own pytest passes, on ``data_dir`` (and ``database_url`` if given),
    writing no bytecode."""
    prefix = project.name.replace("-", "_").upper()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", f"{prefix}_DATA_DIR": str(data_dir)}
    env["PYTHONPATH"] = str(project / "src")  # as installed, for the servers its tests start
    if database_url:
        env[f"{prefix}_DATABASE_URL"] = database_url
    run = run_in(project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
