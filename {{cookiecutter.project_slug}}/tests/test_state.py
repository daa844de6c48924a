"""The session-state module, run inside a real (headless) script run."""

import os
import subprocess
import sys

from streamlit.testing.v1 import AppTest


def _script():
    from dataclasses import dataclass
    from typing import ClassVar

    import streamlit as st

    from {{ cookiecutter.package_name }}.state.store import PageState

    @dataclass(frozen=True)
    class ExampleState(PageState):
        NAMESPACE: ClassVar[str] = "example"
        URL_FIELDS: ClassVar[frozenset[str]] = frozenset({"window"})

        tags: tuple[str, ...] = ()  # as a multiselect keeps it: a list
        span: tuple[int, int] = (1, 12)  # as a range slider keeps it: a tuple
        page: int = 0
        window: tuple[int, int] = (1, 12)  # in the URL too

    ExampleState.init()
    if st.session_state.get("test.action") == "write":
        st.session_state["test.changed"] = ExampleState.write(tags=("UA",), page=0)
    st.session_state["test.keys_before_widgets"] = set(st.session_state)
    st.session_state["test.before_widgets"] = ExampleState.read()
    if st.session_state.get("test.widgets"):
        for field in ("span", "window"):
            st.session_state[f"test.initial.{field}"] = ExampleState.initial(field)
            st.slider(
                field,
                1,
                12,
                value=ExampleState.initial(field),
                key=ExampleState.key(field),
                bind=ExampleState.bind(field),
            )
    st.session_state["test.state"] = ExampleState.read()


def test_defaults_are_set_once_and_read_back_typed():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    state = at.session_state["test.state"]
    assert (state.tags, state.span, state.page) == ((), (1, 12), 0)
    assert at.session_state["example.tags"] == []  # stored as its widget keeps it
    assert at.session_state["example.span"] == (1, 12)


def test_a_url_field_is_left_to_its_widget_which_takes_the_link():
    at = AppTest.from_function(_script)
    at.query_params["example.window"] = ["3", "8"]
    at.session_state["test.widgets"] = True
    at.run()
    assert not at.exception
    # Unset until the widget renders: a value set before it would win over the browser's.
    assert "example.window" not in at.session_state["test.keys_before_widgets"]
    assert at.session_state["test.before_widgets"].window == (1, 12)  # read as its default
    assert at.session_state["test.initial.window"] == (1, 12)  # so the widget gets it
    assert at.session_state["test.initial.span"] is None  # set by init: the widget shows that
    assert at.slider(key="example.window").proto.query_param_key == "example.window"
    assert at.slider(key="example.span").proto.query_param_key == ""
    assert at.session_state["test.state"].window == (3, 8)
    at.run()
    assert at.session_state["test.initial.window"] is None  # now the session holds it


def test_init_keeps_existing_values():
    at = AppTest.from_function(_script)
    at.session_state["example.page"] = 7
    at.run()
    assert at.session_state["test.state"].page == 7


def test_write_touches_only_changed_fields_and_read_returns_tuples():
    at = AppTest.from_function(_script).run()
    at.session_state["example.tags"] = ["AA"]
    at.session_state["test.action"] = "write"
    at.run()
    assert at.session_state["test.changed"] == ["tags"]  # page was 0 already
    assert at.session_state["example.tags"] == ["UA"]
    assert at.session_state["test.state"].tags == ("UA",)
    at.run()
    assert at.session_state["test.changed"] == []


def test_the_entrypoint_imports_nothing_heavy():
    # In a fresh interpreter: what the entrypoint imports must not pull in the data stack.
    code = (
        "import sys, streamlit, {{ cookiecutter.package_name }}.state.session,"
        " {{ cookiecutter.package_name }}.navigation;"
        "print(sorted({'duckdb', 'pandas', 'pyarrow', 'sqlalchemy'} & set(sys.modules)))"
    )
    path = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}  # finds the package as here
    run = subprocess.run(
        [sys.executable, "-c", code], env=path, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"
