"""The production server's additions around the app: startup and error hooks."""

import importlib
import logging

import pytest

import app  # at the project's top, on pytest's pythonpath


def test_script_errors_are_logged_with_their_traceback(caplog):
    try:
        raise ValueError("boom")
    except ValueError as error:
        with caplog.at_level(logging.ERROR):
            # Its return type, None (checked by mypy), lets Streamlit still show its error box.
            app.log_script_error(error)
    assert caplog.records[0].exc_info[1].args == ("boom",)


@pytest.mark.parametrize("module", app.PRELOAD)
def test_preloaded_modules_exist(module):
    assert importlib.util.find_spec(module) is not None
