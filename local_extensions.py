"""The Jinja filters that write an answer into a file, one per language, and the guard that
keeps every answer literal.

Cookiecutter loads this module by its ``_extensions`` names (``local_extensions.<name>``):
the template's folder is on ``sys.path`` while it bakes, under ``cookiecutter`` and ``cruft``
alike. Each filter takes the answer as typed and returns text that reads back, in its
language, as exactly that answer. ``hooks/pre_gen_project.py`` has already refused what no
escaping makes sensible (control characters and line breaks in a name or an author, text
that looks like a template).
"""

import json
import logging
import re
import unicodedata
from functools import cache
from pathlib import Path

from cookiecutter.exceptions import FailedHookException
from cookiecutter.utils import simple_filter
from jinja2.ext import Extension

TEMPLATE = Path(__file__).resolve().parent


def _quoted(value: str, quote: str) -> str:
    """``value`` between ``quote`` marks, with backslash escapes that Python, TOML and JSON all
    read back: for ``quote`` and the backslash, and ``\\uXXXX`` for control characters and line
    or paragraph separators, which are never raw inside a string."""

    def escaped(character: str) -> str:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            code = ord(character)
            return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
        return "\\" + character if character in ("\\", quote) else character

    return quote + "".join(map(escaped, value)) + quote


@simple_filter
def python_string(value: str) -> str:
    """``value`` as a Python string literal, quoted as ``ruff format`` quotes it: double
    quotes, unless the text holds more double quotes than single ones."""
    return _quoted(value, "'" if value.count('"') > value.count("'") else '"')


@simple_filter
def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (double quotes; backslash escapes)."""
    return _quoted(value, '"')


_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~!&$])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")


@simple_filter
def markdown_text(value: str) -> str:
    """``value`` as Markdown text that renders as itself: the characters that mark emphasis,
    code, links, HTML, tables, entities or math, and a leading list, quote or heading marker,
    behind a backslash."""
    inline = _MARKDOWN_INLINE.sub(r"\\\1", value)
    # a backslash escapes punctuation only: an ordered list's marker is escaped at its dot
    return _MARKDOWN_LINE_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", inline
    )


@simple_filter
def answers_record(context: dict) -> str:
    """The bake's answers as a replay file (``{"cookiecutter": {...}}``) in JSON: every
    answer and derived value, and none of the keys that cookiecutter or cruft add for the bake
    at hand (``_output_dir``, ``_repo_dir``, ``_template``, ``_checkout``, ``_commit``): they
    hold local paths, and a replay or ``cruft link`` sets them again."""
    answers = {
        key: value
        for key, value in context.items()
        if not key.startswith("_") or key.startswith("__")
    }
    return json.dumps({"cookiecutter": answers}, indent=2, ensure_ascii=False)


TEMPLATE_MARKERS = ("{{", "{%", "{#")


FILE_NAME_PART = re.compile(r"\{\{cookiecutter\.\w+\}\}")
"""How the template's file and folder names hold an answer (cookiecutter renders each path)."""


@cache
def _template_sources() -> frozenset[str]:
    """Every text the template itself hands Jinja as a string, but for the paths inside the
    project folder: the defaults and derived values in cookiecutter.json, the hooks, and the
    project folder's name."""
    sources: set[str] = set()

    def strings(value: object) -> None:
        if isinstance(value, str):
            sources.add(value)
        elif isinstance(value, list):
            for item in value:
                strings(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                strings(key)
                strings(item)

    strings(json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8")))
    sources.update(hook.read_text(encoding="utf-8") for hook in (TEMPLATE / "hooks").glob("*"))
    sources.update(path.name for path in TEMPLATE.iterdir())  # the project folder's own name
    return frozenset(sources)


def _is_template_text(source: str) -> bool:
    """Whether ``source`` is the template's own: listed above, or a path inside the project
    folder (cookiecutter renders each one) whose only Jinja is ``{{cookiecutter.<name>}}``."""
    if source in _template_sources():
        return True
    bare = FILE_NAME_PART.sub("", source)
    return "/" in source and not any(marker in bare for marker in TEMPLATE_MARKERS)


class LiteralAnswers(Extension):
    """Keeps an answer that holds ``{{``, ``{%`` or ``{#`` literal on every path.

    Cookiecutter renders an answer given on the command line, or as a user config's default,
    as a template, but not one typed at a prompt or replayed. Here each string that Jinja is
    handed whole, and that is not one of the template's own, renders as itself; the pre-gen
    hook then sees it as typed and refuses it, naming the field, whichever way it came.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is not None or not any(marker in source for marker in TEMPLATE_MARKERS):
            return source  # a template file, or text with nothing to render
        if _is_template_text(source):
            return source
        return "{{ " + json.dumps(source, ensure_ascii=False) + " }}"  # renders as itself


class WithoutHookTraceback(logging.Filter):
    """Drops the traceback from cookiecutter's log line about a failed hook: the pre-gen hook
    has printed, one line each, which answer broke which rule, and the traceback (of
    cookiecutter's own code) would bury those lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], FailedHookException):
            record.exc_info = None
        return True


_hooks_log = logging.getLogger("cookiecutter.hooks")
if not any(isinstance(f, WithoutHookTraceback) for f in _hooks_log.filters):
    _hooks_log.addFilter(WithoutHookTraceback())
