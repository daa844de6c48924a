"""What every bake must pass, run with this environment's tools: ruff, mypy, a clean import of
every module, and the bake's own tests.

mypy and the import check read nothing but the bake's Python files (and mypy its settings), and
many bakes share those: the all-pairs bakes differ in licence, CI or deployment files far more
often than in code. So each runs once per distinct input in a test process (``digest``), and
a bake whose input was checked before gets the same outcome, failure and message included.
The imports run in one interpreter kept for the test process (``Importer``), so the libraries
every bake imports load once.
"""

import atexit
import hashlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

PLUGINS = Path(__file__).parent / "plugins"
"""pytest plugins for a bake's own test runs, loaded by module name (``-p``)."""

_OUTCOMES: dict[tuple[str, str], tuple[bool, str]] = {}
"""(check, digest) -> (passed, what it printed), for this test process."""


def run_in(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` in ``project`` with this environment's interpreter."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=project, env=env, capture_output=True, text=True
    )


def digest(project: Path, *, mypy_settings: bool = True) -> str:
    """A SHA-256 of what mypy (or, without ``mypy_settings``, an import) reads in ``project``:
    every ``.py`` file's path and bytes, and the ``[tool.mypy]`` settings of its
    ``pyproject.toml`` (the bake's Python version among them)."""
    hashed = hashlib.sha256()
    if mypy_settings:
        settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
        hashed.update(json.dumps(settings, sort_keys=True).encode())
    for path in sorted(project.rglob("*.py")):
        hashed.update(path.relative_to(project).as_posix().encode() + b"\0")
        hashed.update(path.read_bytes() + b"\0")
    return hashed.hexdigest()


def _once(check: str, key: str, run: Callable[[], tuple[bool, str]]) -> tuple[bool, str]:
    """``run()``'s outcome, computed once per ``(check, key)`` in this test process."""
    if (check, key) not in _OUTCOMES:
        _OUTCOMES[check, key] = run()
    return _OUTCOMES[check, key]


def assert_ruff_clean(project: Path) -> None:
    """``ruff check`` and ``ruff format --check`` pass in ``project``, by its own settings."""
    for command in (["check"], ["format", "--check"]):
        ruff = run_in(project, "ruff", *command, "--no-cache", ".")
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def mypy_cache() -> Path:
    """This test process's mypy cache, for the bakes and the template's own code alike: both
    configure every module as the bakes do (strict), so the libraries' analysis, most of a
    cold run, is made once. The bakes share most of their own modules too, so the checks after
    the first are quick."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return Path(tempfile.gettempdir()) / f"template-tests-mypy-{worker}"


def assert_mypy_clean(project: Path) -> None:
    """``mypy``, as the project configures it, passes in ``project`` (once per ``digest``),
    with the test process's ``mypy_cache``."""

    def mypy() -> tuple[bool, str]:
        run = run_in(project, "mypy", env={**os.environ, "MYPY_CACHE_DIR": str(mypy_cache())})
        return run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]

    passed, output = _once("mypy", digest(project), mypy)
    assert passed, output


def modules(project: Path) -> list[str]:
    """Every module of the bake's package, and ``app`` when the bake has one; not Alembic's
    scripts (``migrations/``), which Alembic runs: imported alone, they have no migration."""
    names = [
        ".".join(p.relative_to(project / "src").with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((project / "src").rglob("*.py"))
        if "migrations" not in p.relative_to(project / "src").parts
    ]
    return [*names, "app"] if (project / "app.py").exists() else names


_IMPORTER = r"""
import importlib, json, sys, traceback
for line in sys.stdin:
    request = json.loads(line)
    sys.path[:0] = request["paths"]
    try:
        for name in request["modules"]:
            importlib.import_module(name)
        answer = {"passed": True, "output": ""}
    except BaseException:
        answer = {"passed": False, "output": traceback.format_exc()[-3000:]}
    finally:
        del sys.path[: len(request["paths"])]
        for name in [m for m in sys.modules if m.split(".")[0] in request["roots"]]:
            del sys.modules[name]
        importlib.invalidate_caches()
    print(request["marker"] + json.dumps(answer), flush=True)
"""
"""The importer's loop: one request a line (the paths to put first on ``sys.path``, the modules
to import, the top-level names to forget afterwards), one answer a line after a marker."""


class Importer:
    """One interpreter, kept for the test process, that imports a bake's modules on request.

    The libraries the bakes use (Streamlit, pandas, SQLAlchemy, scikit-learn) load once, which
    is most of an import's time; each bake's own modules load fresh from its folder, and are
    forgotten (``sys.modules``) before the next bake's. A bake's check is then its own code's
    import, as in a fresh interpreter where the libraries happened to be loaded first.
    """

    TIMEOUT = 300.0
    """Seconds one bake's imports may take."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def check(self, project: Path) -> tuple[bool, str]:
        """Whether every module of ``modules(project)`` imports with ``src`` and the project on
        the path, as installed; and the traceback if one did not.

        Raises:
            RuntimeError: the importer exited, or gave no answer within ``TIMEOUT``.
        """
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _IMPORTER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            atexit.register(self._process.kill)
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        names = modules(project)
        marker = f"answer-{os.getpid()}-{len(_OUTCOMES)}:"
        request = {
            "paths": [str(project / "src"), str(project)],
            "modules": names,
            "roots": sorted({name.split(".")[0] for name in names}),
            "marker": marker,
        }
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + self.TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
            line = process.stdout.readline() if ready else ""
            if not line:
                break
            if line.startswith(marker):  # what the bake's modules print comes before
                answer = json.loads(line.removeprefix(marker))
                return answer["passed"], answer["output"]
        process.kill()
        raise RuntimeError(f"the importer gave no answer for {project}")


_importer = Importer()


def assert_imports_cleanly(project: Path) -> None:
    """Every module of ``modules(project)`` imports, with ``src`` and the project on the path
    (as installed), through the test process's ``Importer``, once per distinct set of Python
    files."""
    passed, output = _once(
        "imports", digest(project, mypy_settings=False), lambda: _importer.check(project)
    )
    assert passed, output


def assert_own_tests_pass(project: Path, data_dir: Path, database_url: str = "") -> None:
    """The bake's own pytest passes, on ``data_dir`` (and ``database_url`` if given), with no
    plugin of the template's environment (pytest-cookies, xdist, hypothesis): a bake's own
    environment has none of them. One plugin of ours, ``plugins/streamlit_scan_once.py``, makes
    Streamlit's component scan once per run instead of once per ``AppTest``."""
    prefix = project.name.replace("-", "_").upper()
    env = {**os.environ, f"{prefix}_DATA_DIR": str(data_dir), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    # src as installed, for the servers its tests start; then the folder of our plugin
    env["PYTHONPATH"] = os.pathsep.join([str(project / "src"), str(PLUGINS)])
    if database_url:
        env[f"{prefix}_DATABASE_URL"] = database_url
    run = run_in(
        project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "streamlit_scan_once", env=env
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
