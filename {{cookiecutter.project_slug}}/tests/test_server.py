"""The production server's additions around the app: health route, startup and error hooks."""

import asyncio
import importlib
import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))  # app.py sits at the project root
app = importlib.import_module("app")


def test_healthz_answers_ok():
    response = asyncio.run(app.healthz(None))
    assert response.status_code == 200
    assert response.body == b'{"status":"ok"}'


def test_script_errors_are_logged_with_their_traceback(caplog):
    try:
        raise ValueError("boom")
    except ValueError as error:
        with caplog.at_level(logging.ERROR):
            assert app.log_script_error(error) is None  # Streamlit still shows its error box
    assert caplog.records[0].exc_info[1].args == ("boom",)


@pytest.mark.parametrize("module", app.PRELOAD)
def test_preloaded_modules_exist(module):
    assert importlib.util.find_spec(module) is not None
