"""The production server's log: a clean startup, and one line per request.

The default bake is served by its production command (``tools/client.py`` reads it from the
README), from this environment with the bake's ``src`` on the path, on the shared data folder,
twice: the first run's visit loads the data if the folder is new, so the second starts as a
restart in production does, its warm-up running the landing page's queries. The log that
``serving`` writes is read after each. As deployed, with no user config, the server refuses
Streamlit's agent API: the project's own config keeps it off.
"""

import asyncio
import os
import re
import urllib.error
import urllib.request

import pytest

from tests.support.bakes import project_client
from tests.support.cluster import first_visit

pytestmark = pytest.mark.slow

STARTUP = re.compile(
    r"(INFO: +|\d{4}-\d\d-\d\d [\d:.]+ )"  # uvicorn's format, then Streamlit's once it runs
    r"(Started server process \[\d+\]|Waiting for application startup\.|"
    r"Application startup complete\.|Uvicorn running on \S+ \(Press CTRL\+C to quit\))"
)
"""The only lines a clean startup logs: uvicorn's own."""

ACCESS = re.compile(r'"(GET|POST|HEAD) \S+ HTTP/1\.1" \d{3}')
"""An access log line, in either format (uvicorn's adds the status's phrase)."""

PATHS = ("/healthz", "/readyz", "/", "/explore", "/_stcore/health", "/explore/_stcore/health")
"""One request each, a query string making each line unique: the app's routes, a page,
Streamlit's own route, and a 404 (what a browser asks first when it opens a page's own link:
the README says so)."""


def startup_lines(log: str) -> list[str]:
    """The lines before the first request's."""
    lines = log.splitlines()
    first = next((i for i, line in enumerate(lines) if ACCESS.search(line)), len(lines))
    return lines[:first]


def get(url: str) -> int:
    """The HTTP status of a GET of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_server_starts_without_warnings_and_logs_each_request_once(
    default_project, data_dir, tmp_path
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
    for run in ("first", "restart"):
        port = bench.free_port()
        log = tmp_path / f"{run}.log"
        command = bench.production_command(port)
        with bench.serving(command, default_project, port, env=env, log=log, timeout=600) as app:
            if run == "first":
                asyncio.run(first_visit(app.url, 600))  # loads the data if new
                with pytest.raises(urllib.error.HTTPError) as refused:
                    bench.interact(app.url, {})
                assert refused.value.code == 403  # the agent API, off as deployed
            statuses = {path: get(f"{app.url}{path}?quiet={run}") for path in PATHS}
        assert statuses["/explore/_stcore/health"] == 404 and statuses["/healthz"] == 200

        text = log.read_text()
        unexpected = [line for line in startup_lines(text) if not STARTUP.fullmatch(line)]
        assert unexpected == [], text[-3000:]
        for path in PATHS:
            request = f'"GET {path}?quiet={run} HTTP/1.1"'
            assert sum(request in line for line in text.splitlines()) == 1, (request, text[-3000:])
        assert "missing ScriptRunContext" not in text and "Traceback" not in text
