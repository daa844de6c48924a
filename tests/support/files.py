"""The languages a bake's files are written in, and a check that each file parses as its own."""

import ast
import tomllib
from collections.abc import Callable
from pathlib import Path

import yaml

PARSERS: dict[str, Callable[[str], object]] = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": lambda text: list(yaml.safe_load_all(text)),
    ".yaml": lambda text: list(yaml.safe_load_all(text)),
}
"""File suffix -> what parses such a file; it raises on text that is not valid."""


def unparsable(path: Path) -> str | None:
    """Why ``path`` does not parse in the language its suffix names, or None."""
    try:
        PARSERS[path.suffix](path.read_text(encoding="utf-8"))
    except (SyntaxError, tomllib.TOMLDecodeError, yaml.YAMLError) as error:
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
