"""The log lines (``logs.py``): in production one JSON object a line, an error's traceback
included, with no query parameter's value and no secret in any; and each script run's line
(``runs.py``), with its page, kind, time and session{% if cookiecutter.auth == "oidc" %}, and its user as a keyed hash{% endif %}."""

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
{%- if cookiecutter.auth == "oidc" %}
import streamlit as st
{%- endif %}
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import logs
{%- if cookiecutter.auth == "oidc" %}
from {{ cookiecutter.package_name }}.auth import user_tag
{%- endif %}
{%- if cookiecutter.server == "streamlit" %}
from {{ cookiecutter.package_name }}.config import LOG_FORMAT_VARIABLE
{%- endif %}
from {{ cookiecutter.package_name }}.navigation import PAGES

from .conftest import ENTRYPOINT, SIGNED_IN

PACKAGE = "{{ cookiecutter.package_name }}"

SECRETS = {
    "auth": {
        "cookie_secret": "a-cookie-secret-for-these-tests-only",
        "redirect_uri": "http://localhost:8501/oauth2callback",  # not secret: left as it is
    },
    "connections": {"db": {"url": "postgresql://app:pg-password-42@db.internal/app"}},
}


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Logging as ``configure_json`` leaves it, with ``SECRETS``, for the test: the lines it
    writes; as it was, after."""
    loggers = [
        logging.getLogger(),
        logging.getLogger("uvicorn.access"),
        *logging.Logger.manager.loggerDict.values(),
    ]
    saved = [
        (logger, list(logger.handlers), logger.propagate, logger.level)
        for logger in loggers
        if isinstance(logger, logging.Logger)
    ]
    lines = io.StringIO()
    logs.configure_json(logs.secret_strings(SECRETS), stream=lines)
    yield lines
    for logger, handlers, propagate, level in saved:
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


def test_every_line_is_json_without_query_values_or_secrets(json_logs: io.StringIO):
    access = logging.getLogger("uvicorn.access")
    access.setLevel(logging.INFO)  # as uvicorn sets it
    request = ("10.0.0.7:5120", "GET", "/explore?carriers=UA&code=c0de", 200)
    access.info('%s - "%s %s HTTP/1.1" %d', *request)
    logging.getLogger(f"{PACKAGE}.data").warning(
        "Reached postgresql://app:pg-password-42@db.internal/app; the secret is %s",
        "a-cookie-secret-for-these-tests-only",
    )
    try:
        raise ValueError("a bug")
    except ValueError:
        logging.getLogger(f"{PACKAGE}.pages").exception("Uncaught exception")
    text = json_logs.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]  # each line one JSON object
    assert [line["logger"] for line in lines] == [
        "uvicorn.access",
        f"{PACKAGE}.data",
        f"{PACKAGE}.pages",
    ]
    assert lines[0]["event"] == '10.0.0.7:5120 - "GET /explore?carriers=…&code=… HTTP/1.1" 200'
    assert lines[1]["event"] == (
        "Reached postgresql://app:[secret]@db.internal/app; the secret is [secret]"
    )
    assert lines[1]["level"] == "warning"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", lines[1]["time"])  # UTC, ISO 8601
    assert "Traceback" in lines[2]["exception"] and "ValueError: a bug" in lines[2]["exception"]
    for leaked in ("UA", "c0de", "pg-password-42", "a-cookie-secret"):
        assert leaked not in text


def test_the_secrets_are_the_secret_settings_and_each_url_s_password():
    found = set(logs.secret_strings(SECRETS, ["postgresql://u:url-password@host/db", None]))
    assert found == {"a-cookie-secret-for-these-tests-only", "pg-password-42", "url-password"}


def run_lines(records: list[logging.LogRecord]) -> list[dict[str, object]]:
    """The fields of each script run's line among ``records``: the record's, ``extra``'s
    included."""
    return [vars(r) for r in records if r.name == f"{PACKAGE}.runs"]


def test_each_script_run_writes_one_line_with_its_page_kind_time_and_session(
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.INFO, logger=f"{PACKAGE}.runs")
    app = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    app.user = SIGNED_IN
    app.run()
    app.run()
    other = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    other.user = SIGNED_IN
    other.run()
    assert not app.exception and not other.exception
    first, second, third = run_lines(caplog.records)
    for line in (first, second, third):
        assert line["msg"] == "script run"
        assert (line["page"], line["kind"], line["failed"]) == (PAGES[0].title, "page", False)
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
        assert re.fullmatch(r"[0-9a-f]{12}", str(line["session"]))
{%- if cookiecutter.auth == "oidc" %}
        assert line["user"] == user_tag(SIGNED_IN, st.secrets)  # keyed by the tests' secrets
        assert re.fullmatch(r"[0-9a-f]{16}", str(line["user"]))  # no email
{%- endif %}
    assert first["session"] == second["session"] != third["session"]  # one tag per session
{%- if cookiecutter.server == "streamlit" %}


STREAMLIT_RUN = """
import io, json, logging, sys
from streamlit.testing.v1 import AppTest
sys.stderr = captured = io.StringIO()
app = AppTest.from_file(sys.argv[1], default_timeout=60)
app.user = json.loads(sys.argv[2])
app.run()
assert not app.exception, app.exception
logging.getLogger("streamlit").warning("A line of Streamlit's")
sys.stderr = sys.__stderr__
print(json.dumps(captured.getvalue().splitlines()))
"""
"""Runs the app's default page once, logs a line through Streamlit's own logger and prints
what went to standard error meanwhile."""


def test_under_streamlit_run_the_first_run_turns_the_logs_to_json(fresh_python):
    env = {LOG_FORMAT_VARIABLE: "json"}
    written = fresh_python(STREAMLIT_RUN, ENTRYPOINT, json.dumps(SIGNED_IN), **env)
    lines = [json.loads(line) for line in written]  # each line one JSON object
    assert [(line["page"], line["kind"]) for line in lines if line["event"] == "script run"] == [
        (PAGES[0].title, "page")
    ]
    streamlit_s = {"event": "A line of Streamlit's", "logger": "streamlit", "level": "warning"}
    assert streamlit_s.items() <= lines[-1].items()
{%- endif %}
