"""The template as data: its folders, its ``cookiecutter.json``, and the options a bake takes."""

import json
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parents[2]
"""The template's root: ``cookiecutter.json``, ``hooks/``, the project folder."""

PROJECT = TEMPLATE / "{{cookiecutter.project_slug}}"
"""The project folder, as the template holds it (Jinja in its paths and files)."""

DECLARED: dict[str, Any] = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
"""``cookiecutter.json``, parsed."""

RENAMED: dict[str, dict[str, str]] = DECLARED.get("__renamed", {})
"""Option -> {an earlier name of a value: its name now}: still accepted, never offered."""

OPTIONS: dict[str, list[Any]] = {
    name: [values, not values]
    if isinstance(values, bool)
    else [value for value in values if value not in RENAMED.get(name, {})]
    for name, values in DECLARED.items()
    if isinstance(values, list | bool) and not name.startswith("_")
}
"""Option -> every value it takes, from cookiecutter.json, the default first (a yes/no answer:
both); the earlier names of ``RENAMED`` left out."""

DEFAULTS: dict[str, Any] = {name: values[0] for name, values in OPTIONS.items()}
"""Option -> its default value."""

DATABASES: dict[str, dict[str, Any]] = DECLARED["__databases"]
"""Database -> its row of traits (``server``, ``dialect``, ``requires``...), from
cookiecutter.json: what the template's files read through the derived ``__db_*`` values."""


def database(answers: dict[str, Any]) -> dict[str, Any]:
    """The row of ``DATABASES`` for the database of a bake of ``answers`` (an earlier name of a
    value read as its name now)."""
    name = with_defaults(answers)["database"]
    return DATABASES[RENAMED.get("database", {}).get(name, name)]


def with_defaults(answers: dict[str, Any]) -> dict[str, Any]:
    """Every option's value in a bake of ``answers``: the defaults, with ``answers`` over them."""
    return {**DEFAULTS, **answers}


def label(answers: dict[str, Any]) -> str:
    """A test id for ``answers``: their values, dash-joined."""
    return "-".join(str(value) for value in answers.values())
