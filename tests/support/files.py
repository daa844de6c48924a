"""The languages a bake's files are written in, and a check that each file parses as its own."""

import ast
import functools
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader on LibYAML, which its wheels bundle: the same YAML, parsed in C, about
seven times quicker than the pure-Python loader on the template's files; that one where the
wheel lacks LibYAML."""


def yaml_documents(text: str) -> list[Any]:
    """Every document of the YAML ``text``, as plain data (``YAML_LOADER``, a safe loader).

    Raises:
        yaml.YAMLError: ``text`` is not valid YAML.
    """
    return list(yaml.load_all(text, Loader=YAML_LOADER))


PARSERS: dict[str, Callable[[str], object]] = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": yaml_documents,
    ".yaml": yaml_documents,
}
"""File suffix -> what parses such a file; it raises on text that is not valid."""


def unparsable(path: Path) -> str | None:
    """Why ``path`` does not parse in the language its suffix names, or None."""
    return _why_unparsable(path.suffix, path.read_bytes())


@functools.lru_cache(maxsize=4096)
def _why_unparsable(suffix: str, content: bytes) -> str | None:
    """Why ``content`` does not parse as a ``suffix`` file, or None: once per distinct file
    content in a test process, since bakes and renders share most of their files byte for
    byte (a render differs from the next only where its answers go). 4,096 contents hold
    every option's files with room for the random answers' renders, whose changed files are
    new each time and would otherwise pile up."""
    try:
        PARSERS[suffix](content.decode("utf-8"))
    except (SyntaxError, tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def unparsable_files(project: Path) -> dict[str, str]:
    """Every .py, .toml, .yml and .yaml file under ``project`` that does not parse -> why.

    Raises:
        AssertionError: ``project`` holds no Python file at all (nothing was rendered).
    """
    checked = [path for path in sorted(project.rglob("*")) if path.suffix in PARSERS]
    assert any(path.suffix == ".py" for path in checked), f"no Python file in {project}"
    return {
        str(path.relative_to(project)): why
        for path in checked
        if (why := unparsable(path)) is not None
    }
