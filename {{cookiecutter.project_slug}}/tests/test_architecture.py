"""The speed promises of the app's layout, pinned by counting: here, what an entrypoint run
imports; ``test_counting.py`` counts queries and rows.

Nothing here is timed, so nothing flakes on a busy machine; ``tools/bench.py`` measures the
time. Imports are counted in a fresh interpreter, since this one has imported every module
already.
"""

import ast
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import ENTRYPOINT, SIGNED_IN

HEAVY = (
    "pandas",
    "pyarrow",
    "sqlalchemy",
    "duckdb",
{%- if cookiecutter.ml_model %}
    "sklearn",
{%- endif %}
    "{{ cookiecutter.package_name }}.data.queries",
    "{{ cookiecutter.package_name }}.data.cached",
    "{{ cookiecutter.package_name }}.resources.database",
{%- if not cookiecutter.__db_server %}
    "{{ cookiecutter.package_name }}.resources.data_file",
{%- endif %}
    "{{ cookiecutter.package_name }}.resources.job_workers",
{%- if cookiecutter.ml_model %}
    "{{ cookiecutter.package_name }}.resources.model",
{%- endif %}
)
"""What an entrypoint rerun must not load: the data layer, the resources that connect, load
or start something, and their libraries; so it can call neither a query nor such a resource."""

# Runs in a fresh interpreter: visits the pages given, in order (none: only the entrypoint,
# with st.navigation's page left unrun), and prints the modules loaded after each visit.
VISIT = """
import json, sys
import streamlit as st
from streamlit.testing.v1 import AppTest

entrypoint, user, *pages = sys.argv[1:]
if not pages:
    class Unrun:
        title = "Unrun"

        def run(self):
            pass

    st.navigation = lambda pages, **options: Unrun()
at = AppTest.from_file(entrypoint, default_timeout=60)
at.user = json.loads(user)
at.run()
loaded = [sorted(sys.modules)]
for page in pages:
    at.switch_page(page).run()
    loaded.append(sorted(sys.modules))
assert not at.exception, at.exception
print(json.dumps(loaded))
"""


def modules_after(fresh_python: Callable[..., Any], *pages: str) -> list[set[str]]:
    """Modules loaded after the first run, then after each visit to ``pages``."""
    loaded = fresh_python(VISIT, ENTRYPOINT, json.dumps(SIGNED_IN), *pages)
    return [set(modules) for modules in loaded]


def has_loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for module in modules)


def test_an_entrypoint_rerun_loads_no_data_or_resource_module(fresh_python):
    (modules,) = modules_after(fresh_python)
    assert [name for name in HEAVY if has_loaded(modules, name)] == []


SCRIPTS = [*sorted(Path(ENTRYPOINT).parent.glob("app_pages/*.py")), Path(ENTRYPOINT)]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_script_draws_nothing_by_magic(script):
    # Streamlit "magic" draws every bare expression of a page script: a docstring under a
    # constant, a variable alone on a line. Only the module's docstring is left undrawn.
    body = ast.parse(script.read_text()).body
    drawn = [
        node.lineno
        for statement in body[1:]
        for node in ast.walk(statement)
        if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Await))
    ]
    assert drawn == [], f"{script.name}: bare expressions on lines {drawn}"


def decorator_name(decorator: ast.expr) -> str:
    """``st.fragment`` for ``@st.fragment`` and ``@st.fragment(...)``; a name otherwise."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target)


def test_every_fragment_is_observed():
    # A fragment without @fragment_run right under its @st.fragment goes uncounted, untraced
    # and unlogged on its own reruns (runs.py).
    project = Path(ENTRYPOINT).parent
    scripts = [*project.glob("src/**/*.py"), *project.glob("app_pages/*.py")]
    unobserved = []
    for path in sorted(scripts):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            names = [decorator_name(decorator) for decorator in node.decorator_list]
            if "st.fragment" in names:
                under = names[names.index("st.fragment") + 1 :][:1]
                if under != ["fragment_run"]:
                    unobserved.append(f"{path.name}: {node.name}")
    assert unobserved == []
