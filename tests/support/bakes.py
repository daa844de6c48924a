"""Bakes of the template: in this process or by the command line, with or without the hooks;
and a bake's files and its client (``tools/``) as the tests read them."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from .template import TEMPLATE

CLIENT = Path("tools") / "client.py"
"""The bake's serve-and-poll client, relative to the project: the one that serves the app and
polls it, for the tests and the benchmark as for its own ``tools/bench.py``."""

BROWSER_TIMER = Path("tools") / "browser.py"
"""The bake's browser timer, relative to the project: Chromium, driven by Playwright, timing a
click in the menu until the page has settled (``tools/settle.js``)."""


def import_file(path: Path, name: str) -> ModuleType:
    """The Python file at ``path`` imported as module ``name`` (a bake's, or a rendered hook),
    writing no bytecode beside it: the bakes are shared, read-only.

    Raises:
        ImportError: ``path`` is no Python file that can be loaded.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes
    return module


def project_client(project: Path) -> ModuleType:
    """The bake's client (``CLIENT``): ``free_port``, ``production_command``, ``PRODUCTION``,
    ``serving``, ``interact`` and ``agent_api_home``."""
    return import_file(project / CLIENT, "project_client")


def project_browser_timer(project: Path) -> ModuleType:
    """The bake's browser timer (``BROWSER_TIMER``): ``chromium``, ``CHROMIUM_FLAGS``,
    ``browser_missing``, ``open_app``, ``switch`` and ``first_load``."""
    return import_file(project / BROWSER_TIMER, "project_browser_timer")


def files(project: Path) -> set[str]:
    """Every file under ``project``, relative and in POSIX form."""
    return {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}


GITHUB_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")
"""A GitHub Actions expression, ``${{ secrets.X }}``: a workflow's own syntax, not Jinja."""


TOOL_TEMPLATES = "tools/templates/"
"""The bake's own Jinja templates, which its ``tools/new.py`` renders: copied unrendered
(``_copy_without_render`` in ``cookiecutter.json``)."""


def with_template_text(project: Path) -> list[str]:
    """The files of ``project`` that still hold a Jinja marker (``{{``, ``{%``, ``{#``), but for
    the expressions of its GitHub workflows and the bake's own templates (``TOOL_TEMPLATES``)."""
    found = []
    for name in sorted(files(project)):
        if name.startswith(TOOL_TEMPLATES):
            continue
        text = (project / name).read_text(encoding="utf-8")
        if name.startswith(".github/workflows/"):
            text = GITHUB_EXPRESSION.sub("", text)
        if any(tag in text for tag in ("{{", "{%", "{#")):
            found.append(name)
    return found


def bake_into(output_dir: Path, answers: dict[str, object]) -> Path:
    """The project baked from the template with ``answers`` (the rest default) into
    ``output_dir``, replacing an earlier bake there (its virtual environment and data
    included); its path. The template bakes only into a new folder, so the bake lands in a
    fresh one and then takes the earlier one's place."""
    from cookiecutter.main import cookiecutter

    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output_dir) as fresh:
        baked = Path(cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers,
                                  output_dir=fresh))  # fmt: skip
        project = output_dir / baked.name
        shutil.rmtree(project, ignore_errors=True)
        baked.rename(project)
    return project


def cookiecutter_cli(
    folder: Path, options: list[str], answers: Sequence[str] = ()
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``cookiecutter <options> TEMPLATE <answers>`` into ``folder/out``, with a user config of
    its own so no replay file lands in the home folder; the run, and the output folder."""
    config = folder / "config.yaml"
    config.write_text(
        f"replay_dir: {json.dumps(str(folder / 'replay'))}\n"
        f"cookiecutters_dir: {json.dumps(str(folder / 'cookiecutters'))}\n"
    )
    output = folder / "out"
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--config-file", str(config)]
    command = [*cookiecutter, "-o", str(output), *options, str(TEMPLATE), *answers]
    run = subprocess.run(command, capture_output=True, text=True)
    return run, output


def render_template(answers: dict[str, object], folder: Path) -> Path:
    """The template rendered for ``answers`` without its hooks, into ``folder``; the project
    folder. It holds every file of every value, each rendered for the answers."""
    from cookiecutter.main import cookiecutter

    config = folder / "config.yaml"  # keeps the replay file out of the home folder
    config.write_text(f"replay_dir: {json.dumps(str(folder / 'replay'))}\n")
    project = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        extra_context=answers,
        accept_hooks=False,
        output_dir=str(folder / "out"),
        config_file=str(config),
    )
    return Path(project)
