"""The session-state module, run inside a real (headless) script run."""

import os
import subprocess
import sys

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from {{ cookiecutter.package_name }}.state import ExploreState, init_session_state

    init_session_state()
    if st.session_state.get("test.action") == "write":
        st.session_state["test.changed"] = ExploreState.write(carriers=("UA",), page=0)
    st.session_state["test.state"] = ExploreState.read()


def test_defaults_are_set_once_and_read_back_typed():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    state = at.session_state["test.state"]
    assert state.carriers == ()
    assert state.months == (1, 12)
    assert at.session_state["explore.carriers"] == []  # a multiselect's value is a list
    assert at.session_state["explore.months"] == (1, 12)  # a range slider's is a tuple
    assert at.session_state["explore.page"] == 0
    assert at.session_state["wizard.step"] == 1


def test_init_keeps_existing_values():
    at = AppTest.from_function(_script)
    at.session_state["explore.page"] = 7
    at.run()
    assert at.session_state["test.state"].page == 7


def test_write_touches_only_changed_fields_and_read_returns_tuples():
    at = AppTest.from_function(_script).run()
    at.session_state["explore.carriers"] = ["AA"]  # as a multiselect stores it
    at.session_state["test.action"] = "write"
    at.run()
    assert at.session_state["test.changed"] == ["carriers"]  # page was 0 already
    assert at.session_state["explore.carriers"] == ["UA"]  # stored as the multiselect keeps it
    assert at.session_state["test.state"].carriers == ("UA",)
    at.run()
    assert at.session_state["test.changed"] == []


def test_the_entrypoint_imports_nothing_heavy():
    # In a fresh interpreter: what the entrypoint imports must not pull in the data stack.
    code = (
        "import sys, streamlit, {{ cookiecutter.package_name }}.state;"
        "print(sorted({'duckdb', 'pandas', 'pyarrow'} & set(sys.modules)))"
    )
    path = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}  # finds the package as here
    run = subprocess.run(
        [sys.executable, "-c", code], env=path, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"
