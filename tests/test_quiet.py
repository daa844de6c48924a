"""The production server's log: JSON lines, a clean startup, one line per request and per
script run, no visitor's query values; and its traces, sent over OTLP/HTTP.

The default bake is served by its production command (``tools/client.py`` reads it from the
README), from this environment with the bake's ``src`` on the path, on the shared data folder,
twice: the first run's visit loads the data if the folder is new, so the second starts as a
restart in production does, its warm-up running the landing page's queries. The log that
``serving`` writes is read after each. As deployed, with no user config, the server refuses
Streamlit's agent API: the project's own config keeps it off. The restart sends its traces to a
receiver on loopback (``tests/support/otlp.py``), as to a collector, sets up Sentry's error
reports to the same receiver, and keeps the Live page ticking under Sentry's threading
integration with no error to report (the bake's ``tests/test_reports.py`` sends one).
"""

import asyncio
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.support.bakes import project_client
from tests.support.cluster import first_visit
from tests.support.otlp import Receiver, receiving

pytestmark = pytest.mark.slow

STARTUP = (
    re.compile(r"Started server process \[\d+\]"),
    re.compile(r"Waiting for application startup\."),
    re.compile(r"Application startup complete\."),
    re.compile(r"Uvicorn running on \S+ \(Press CTRL\+C to quit\)"),
    re.compile(r"Error reports go to Sentry at \S+"),  # with SENTRY_DSN set
)
"""The only events a clean startup logs: uvicorn's own, and where error reports go."""

ACCESS = re.compile(r'"(GET|POST|HEAD) \S+ HTTP/1\.1" \d{3}')
"""An access line's event."""

PATHS = ("/healthz", "/readyz", "/", "/explore", "/_stcore/health", "/explore/_stcore/health")
"""One request each, a query string making each line unique: the app's routes, a page,
Streamlit's own route, and a 404 (what a browser asks first when it opens a page's own link:
the README says so)."""


def startup_events(lines: list[dict]) -> list[str]:
    """The events before the first request's."""
    first = next((i for i, line in enumerate(lines) if ACCESS.search(line["event"])), len(lines))
    return [line["event"] for line in lines[:first]]


async def ticks_on_live(url: str) -> list[str]:
    """Open the Live page and tick its monitor three times, a second apart, as the browser's
    timer does; the errors the tab saw."""
    from tests.support.session import Session

    tab = await Session.open(url, "/live", timeout=60)
    try:
        (monitor,) = tab.auto_reruns
        for _ in range(3):
            await asyncio.sleep(1)
            await tab.tick(monitor)
        return tab.errors
    finally:
        await tab.close()


def get(url: str) -> int:
    """The HTTP status of a GET of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def collector() -> Iterator[Receiver]:
    """A receiver of spans over OTLP/HTTP on loopback, as a collector would be."""
    with receiving() as receiver:
        yield receiver


def test_the_server_logs_json_starts_clean_logs_each_request_and_run_once_and_traces(
    default_project, data_dir, tmp_path, collector
):
    bench = project_client(default_project)
    assert "--no-access-log" in bench.PRODUCTION  # without it, uvicorn logs each line again
    prefix = default_project.name.replace("-", "_").upper()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "STREAMLIT_"))}
    env |= {
        "PYTHONPATH": str(default_project / "src"),  # as installed
        "HOME": str(tmp_path),  # no user config
        f"{prefix}_DATA_DIR": str(data_dir),
    }
    visits: dict[str, dict] = {}  # each run's line for the visit
    logged: dict[str, list[dict]] = {}  # each run's lines
    for run in ("first", "restart"):
        port = bench.free_port()
        log = tmp_path / f"{run}.log"
        command = bench.production_command(port)
        if run == "restart":
            env |= {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}
            env |= {"OTEL_BSP_SCHEDULE_DELAY": "100"}  # milliseconds between batches
            env |= {"SENTRY_DSN": collector.sentry_dsn()}
        with bench.serving(command, default_project, port, env=env, log=log, timeout=600) as app:
            asyncio.run(first_visit(app.url, 600))  # loads the data if new; a run of Overview
            if run == "first":
                with pytest.raises(urllib.error.HTTPError) as refused:
                    bench.interact(app.url, {})
                assert refused.value.code == 403  # the agent API, off as deployed
            else:
                assert asyncio.run(ticks_on_live(app.url)) == []  # no error under Sentry
            statuses = {path: get(f"{app.url}{path}?quiet={run}") for path in PATHS}
        assert statuses["/explore/_stcore/health"] == 404 and statuses["/healthz"] == 200

        text = log.read_text()
        lines = [json.loads(line) for line in text.splitlines()]  # every line one JSON object
        logged[run] = lines
        unexpected = [
            event
            for event in startup_events(lines)
            if not any(pattern.fullmatch(event) for pattern in STARTUP)
        ]
        assert unexpected == [], text[-3000:]
        for path in PATHS:  # each once, its query's value left out
            request = f'"GET {path}?quiet=… HTTP/1.1"'
            assert sum(request in line["event"] for line in lines) == 1, (request, text[-3000:])
        assert f"quiet={run}" not in text
        assert "missing ScriptRunContext" not in text and "Traceback" not in text
        runs = [line for line in lines if line["event"] == "script run"]
        # The restart's Live ticks are quick fragment runs: counted, logged at DEBUG only.
        expected = [("Overview", "page")] + [("Live", "page")] * (run == "restart")
        assert [(line["page"], line["kind"]) for line in runs] == expected
        visits[run] = runs[0]  # the first visit, of Overview
        assert visits[run]["duration_ms"] > 0
        assert re.fullmatch(r"[0-9a-f]{12}", visits[run]["session"])

    # The restart's error reports: set up, and none sent, the Live page's ticks included.
    sentry = "Error reports go to Sentry at 127.0.0.1"
    assert sum(line["event"] == sentry for line in logged["restart"]) == 1
    events = [body for path, body in collector.posted() if b'"type":"event"' in body]
    assert events == []

    # The restart's spans, sent as the server stopped if not before: the run, under its id in
    # the run's line; the warm-up's database work, each piece with its statements under it.
    spans = collector.received()
    runs_of = {span.attributes["app.page"]: span for span in spans if span.name == "script run"}
    script_run = runs_of["Overview"]
    assert script_run.attributes == {"app.page": "Overview", "app.run_kind": "page"}
    restart = visits["restart"]
    assert (restart["trace_id"], restart["span_id"]) == (script_run.trace_id, script_run.span_id)
    work = [span for span in spans if span.name.startswith("database ")]
    assert work, [span.name for span in spans]
    for piece in work:
        assert any(span.parent_id == piece.span_id for span in spans), piece.name
