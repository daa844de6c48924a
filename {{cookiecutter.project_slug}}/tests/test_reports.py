"""Error reports (``reports.py``): off without ``SENTRY_DSN``; on, each uncaught script error
that ``app.py`` hands to ``on_script_error`` reaches Sentry with its traceback. Sentry's
client sends here to an in-process transport instead of the network."""

import functools
from collections.abc import Iterator

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from app import log_script_error
from {{ cookiecutter.package_name }} import reports

OFF = """
import json
from {{ cookiecutter.package_name }} import reports
import sentry_sdk
print(json.dumps([reports.configure(), sentry_sdk.is_initialized()]))
"""


def test_reports_are_off_without_a_dsn(fresh_python):
    assert fresh_python(OFF) == [False, False]


class Kept(Transport):
    """A transport that keeps every envelope the client would send."""

    def __init__(self, options: dict[str, object] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Envelope]]:
    """What Sentry's client, set up by ``reports.configure`` with a DSN that goes nowhere,
    sends during the test."""
    transport = Kept()
    init = functools.partial(sentry_sdk.init, transport=transport)  # instead of the network
    monkeypatch.setattr(sentry_sdk, "init", init)
    monkeypatch.setenv("SENTRY_DSN", "https://public@sentry.invalid/1")
    assert reports.configure()
    yield transport.envelopes
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again for the tests after this one


def test_an_uncaught_script_error_is_reported_with_its_traceback(sent: list[Envelope]):
    try:
        raise ValueError("a bug in a page")
    except ValueError as error:
        log_script_error(error)  # what st.App calls
    items = [item for envelope in sent for item in envelope.items]
    (event,) = [item.payload.json for item in items if item.type == "event" and item.payload.json]
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("ValueError", "a bug in a page")
    assert exception["stacktrace"]["frames"][-1]["function"].startswith("test_an_uncaught")
    assert "vars" not in exception["stacktrace"]["frames"][-1]  # no frame's local variables
