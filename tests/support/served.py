"""A bake as its users run it: its README's commands, its pages, and an environment in which
``uv`` installs it and its server starts with no user config of ours."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from uv import find_uv_bin

from .bakes import import_file

UV = find_uv_bin()
"""This environment's uv (the template's dev group pins it)."""


def readme_command(project: Path, comment: str) -> list[str]:
    """The README's command on the line that ends with ``# <comment>``, split into words.

    Raises:
        AssertionError: no such line.
    """
    for line in (project / "README.md").read_text().splitlines():
        command, _, note = line.partition("#")
        if note.strip().startswith(comment) and command.strip():
            return command.split()
    raise AssertionError(f"no '# {comment}' command in the README")


def serve_command(project: Path, port: int) -> list[str]:
    """The README's serve command (``uv run ...``), run by this uv, on ``port``."""
    command = [UV, *readme_command(project, "serve")[1:]]
    flag = "--port" if "--port" in command else "--server.port"
    command[command.index(flag) + 1] = str(port)
    return command


def navigation(project: Path) -> ModuleType:
    """The bake's ``navigation.py``, imported (it needs nothing but the standard library)."""
    return import_file(next((project / "src").glob("*/navigation.py")), "project_navigation")


def page_titles(project: Path) -> set[str]:
    """The titles of the pages in the bake's navigation table."""
    return {page.title for page in navigation(project).PAGES}


def page_paths(project: Path) -> dict[str, str]:
    """Page title -> its URL path, as ``st.Page`` derives it from the script's name (the first
    page is the app's root)."""
    pages = navigation(project).PAGES
    return {
        page.title: "" if index == 0 else Path(page.script).stem for index, page in enumerate(pages)
    }


def clean_env(home: Path) -> dict[str, str]:
    """This process's environment for a bake's own uv and server: no virtual environment and
    no ``STREAMLIT_*`` setting of ours, ``home`` as HOME (so no user config but a test's own),
    the uv cache shared, and no Python downloaded. Bytecode is written, as on a user's machine:
    the project and its ``.venv`` are this test's own, not a shared bake, and each process after
    the first reads the libraries' bytecode instead of compiling them again (``uv sync``
    compiles none)."""
    ours = ("VIRTUAL_ENV", "STREAMLIT_", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env["UV_CACHE_DIR"] = subprocess.run(
        [UV, "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env["HOME"] = str(home)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def install(project: Path, env: dict[str, str]) -> None:
    """Install ``project`` by its README's install command (``uv sync``), into its ``.venv``.

    Raises:
        AssertionError: the README's command is not ``uv sync``, or it made no ``.venv``.
        subprocess.CalledProcessError: the install failed.
    """
    command = readme_command(project, "install")
    assert command == ["uv", "sync"], command
    subprocess.run([UV, *command[1:]], cwd=project, env=env, check=True, capture_output=True)
    assert (project / ".venv").is_dir()


def walk(node: dict) -> Iterator[dict]:
    """Every node of an agent API snapshot's tree, depth first."""
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def node_types(node: dict) -> set[str]:
    """The element types in an agent API snapshot's tree."""
    return {child.get("type", "") for child in walk(node)}
