"""How the answers become text in the template's files: one escaping filter per language,
the answers record, and the guard that keeps every answer literal.

Cookiecutter loads the one extension here, ``AnswersAsText``, by its name in cookiecutter.json's
``_extensions``: the template's folder is on ``sys.path`` while it bakes, under cookiecutter and
cruft alike. Each filter takes the answer as typed and returns text that reads back, in its
language, as exactly that answer. ``hooks/pre_gen_project.py`` has already refused what no
escaping makes sensible (line breaks and control characters, text that looks like a template).
"""

import importlib
import json
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension

TEMPLATE = Path(__file__).resolve().parent


def _quoted(value: str, quote: str) -> str:
    """``value`` between ``quote`` marks, with backslash escapes that Python, TOML and JSON all
    read back: for ``quote`` and the backslash, and ``\\uXXXX`` for control characters and line
    or paragraph separators, which are never raw inside a string."""

    def escaped(character: str) -> str:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):  # all of them below U+FFFF
            return f"\\u{ord(character):04x}"
        return "\\" + character if character in ("\\", quote) else character

    return quote + "".join(map(escaped, value)) + quote


def python_string(value: str) -> str:
    """``value`` as a Python string literal, quoted as ``ruff format`` quotes it: double
    quotes, unless the text holds more double quotes than single ones."""
    return _quoted(value, "'" if value.count('"') > value.count("'") else '"')


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (double quotes; backslash escapes)."""
    return _quoted(value, '"')


_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~!&$])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")


def markdown_text(value: str) -> str:
    """``value`` as Markdown text that renders as itself: the characters that mark emphasis,
    code, links, HTML, tables, entities or math, and a leading list, quote or heading marker,
    behind a backslash."""
    inline = _MARKDOWN_INLINE.sub(r"\\\1", value)
    # a backslash escapes punctuation only: an ordered list's marker is escaped at its dot
    return _MARKDOWN_LINE_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", inline
    )


def answers_record(context: dict) -> str:
    """The bake's answers as a replay file (``{"cookiecutter": {...}}``) in JSON: every
    answer and derived (``__``) value, and no key with one leading underscore: those are what
    cookiecutter or cruft add for the bake at hand (``_output_dir``, ``_repo_dir``,
    ``_template``, ``_checkout``, ``_commit``: local paths among them), and the template's own
    ``_extensions``, which a replay or ``cruft link`` sets again."""
    answers = {
        key: value
        for key, value in context.items()
        if not key.startswith("_") or key.startswith("__")
    }
    return json.dumps({"cookiecutter": answers}, indent=2, ensure_ascii=False)


FILTERS = {
    "python_string": python_string,
    "toml_string": toml_string,
    "markdown_text": markdown_text,
    "answers_record": answers_record,
}
"""The filters the template's files use, by name."""


def stale_replay(field: str) -> str:
    """Refuse a replay file written by an earlier version of the template: it lacks values that
    cookiecutter.json now derives from ``field``, and cookiecutter renders the values a replay
    lacks without the replayed answers, so ``field`` reads as undefined where it is derived.

    Raises:
        FailedHookException: always; cookiecutter prints its message, one line, and stops before
            anything is written.
    """
    raise FailedHookException(
        f"{field}: this replay file comes from an earlier version of the template: it lacks the"
        f" values that this one derives from {field} (__database, the __db traits), and a replay"
        " derives nothing from its answers; give them on the command line instead"
        f" (cookiecutter --no-input <template> {field}=... ...), or update the project with"
        " cruft update (see the README)"
    )


def refuse_impossible(rules: Mapping[str, Mapping[str, Any]], answers: Mapping[str, Any]) -> str:
    """Nothing, when the answers so far go together; otherwise refuse them at once, before the
    remaining prompts. ``rules`` is cookiecutter.json's ``__impossible``: a name -> two fields'
    values that can't go together, and ``why``; the pre-gen hook checks the same rules,
    however the answers came.

    Raises:
        FailedHookException: two answers can't go together; the message names both, and why.
    """
    for rule in rules.values():
        (field, value), (other, other_value) = [(k, v) for k, v in rule.items() if k != "why"]
        if answers.get(field) == value and answers.get(other) == other_value:
            why = rule["why"]
            raise FailedHookException(f"{field} {value!r} with {other} {other_value!r}: {why}")
    return ""


GLOBALS = {"stale_replay": stale_replay, "refuse_impossible": refuse_impossible}
"""The functions the template's derived values call, by name."""

TEMPLATE_MARKERS = ("{{", "{%", "{#")
PROJECT = TEMPLATE / "{{cookiecutter.project_slug}}"


class TemplateOwn(NamedTuple):
    """What the template itself hands Jinja whole, read from its folder: ``texts``, the
    defaults and derived values in cookiecutter.json, the hooks and the project folder's name;
    ``paths``, every file and folder of the project folder, relative to it."""

    texts: frozenset[str]
    paths: tuple[str, ...]


def template_own() -> TemplateOwn:
    """The template's own texts and paths, read now: once per Jinja environment (cookiecutter
    makes one for the prompts, one for the files), never kept longer, since cruft renders two
    commits of the template from one folder."""
    texts: set[str] = set()

    def strings(value: object) -> None:
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, list):
            for item in value:
                strings(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                strings(key)
                strings(item)

    strings(json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8")))
    texts.update(hook.read_text(encoding="utf-8") for hook in (TEMPLATE / "hooks").glob("*"))
    texts.add(PROJECT.name)
    paths = tuple(str(item.relative_to(PROJECT)) for item in PROJECT.rglob("*"))
    return TemplateOwn(frozenset(texts), paths)


def _is_template_path(source: str, paths: tuple[str, ...]) -> bool:
    """Whether ``source`` names one of ``paths`` (cookiecutter renders each path, relative to
    the project folder or under the output folder)."""
    path = os.path.normpath(source)
    return any(path == relative or path.endswith(os.sep + relative) for relative in paths)


def keeps_literal(source: str, own: TemplateOwn | None = None) -> str:
    """``source``, a text Jinja is handed whole, made to render as itself unless it is the
    template's own (``own``, read now when not given: an earlier version of this module, still
    loaded while cruft renders an earlier commit, calls this without it): a Jinja string
    literal of it."""
    if not any(marker in source for marker in TEMPLATE_MARKERS):
        return source  # nothing to render
    own = own or template_own()
    if source in own.texts or _is_template_path(source, own.paths):
        return source
    return "{{ " + json.dumps(source, ensure_ascii=False) + " }}"


class WithoutHookTraceback(logging.Filter):
    """Drops the traceback from cookiecutter's log line about a failed hook: the pre-gen hook
    has printed, one line each, which answer broke which rule, and the traceback (of
    cookiecutter's own code) would bury those lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], FailedHookException):
            record.exc_info = None
        return True


SOURCE = Path(__file__).read_bytes()
"""This file as it read when imported."""


def current() -> ModuleType:
    """This module as its file reads now: reloaded if the file changed since the import, as
    it does when ``cruft update`` renders the project's commit of the template, then checks out
    the newest one in the same folder and renders that, in the same process."""
    module = sys.modules[__name__]
    if Path(__file__).read_bytes() != module.SOURCE:
        module = importlib.reload(module)
    return module


class AnswersAsText(Extension):
    """The template's filters (``FILTERS``) and functions (``GLOBALS``), and every answer kept
    literal.

    Cookiecutter renders an answer given on the command line, or as a user config's default,
    as a template, but not one typed at a prompt or replayed. Here each text that Jinja is
    handed whole (``name`` None), and that is not the template's own, renders as itself; the
    pre-gen hook then sees the answer as typed and refuses it, naming the field, whichever way
    it came. A failed hook's log line loses its traceback (``WithoutHookTraceback``).
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(current().FILTERS)
        environment.globals.update(current().GLOBALS)
        log = logging.getLogger("cookiecutter.hooks")
        if not any(type(f).__name__ == "WithoutHookTraceback" for f in log.filters):
            log.addFilter(current().WithoutHookTraceback())
        self.own = current().template_own()  # read once here, not for each of ~300 texts

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source if name is not None else current().keeps_literal(source, self.own)
