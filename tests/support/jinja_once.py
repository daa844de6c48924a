"""A pytest plugin of the template's suite: each template file's Jinja compiled once per test
process instead of once per bake.

Cookiecutter makes a new Jinja environment for every bake, and Jinja compiles every file and
path of the template again in each: four fifths of a bake's time, and the suite bakes a few
hundred times from the same sources. Compiled code depends only on the source as the extensions
preprocess it (``AnswersAsText`` makes an answer given on the command line a literal), its name
and the environment's syntax settings and extensions; it holds no answer (the context is passed
when a template renders). So the code is kept under a key of all of those, and reusing it
renders the same files. Anything else (a parsed tree, ``raw`` Python source) compiles as
before. Bakes run by other processes (cruft, a bake's own tools) compile as usual.
"""

from collections.abc import Callable, Hashable
from types import CodeType
from typing import Any

import pytest
from jinja2 import Environment

_compile: Callable[..., Any] = Environment.compile  # Jinja's own, which this wraps
_code: dict[Hashable, CodeType] = {}


def _syntax(environment: Environment) -> Hashable:
    """What of ``environment`` shapes its compiled code: its class, extensions and syntax."""
    return (
        type(environment),
        tuple(sorted(environment.extensions)),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        repr(environment.autoescape),
        repr(environment.finalize),
    )


def compile_once(
    self: Environment,
    source: Any,
    name: str | None = None,
    filename: str | None = None,
    raw: bool = False,
    defer_init: bool = False,
) -> Any:
    """``Environment.compile``, the code of a source string kept per syntax, preprocessed
    source, name and file name for this process."""
    if raw or defer_init or not isinstance(source, str):
        return _compile(self, source, name, filename, raw, defer_init)
    key = (_syntax(self), self.preprocess(source, name, filename), name, filename)
    if key not in _code:
        _code[key] = _compile(self, source, name, filename)
    return _code[key]


def pytest_configure(config: pytest.Config) -> None:
    Environment.compile = compile_once  # type: ignore[method-assign]


def kept() -> int:
    """How many compiled sources this process keeps (0 when the plugin is off)."""
    return len(_code) if Environment.compile is compile_once else 0
