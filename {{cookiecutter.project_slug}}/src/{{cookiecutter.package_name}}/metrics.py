"""The app's own metrics, for Prometheus (prometheus-client){% if cookiecutter.server == "asgi" %}: ``app.py`` serves them at ``/metrics``
on the app's port, in Prometheus's text format, to a scrape from inside your network only
(``security.PrivateMetrics``; the proxy answers 404){% else %}. The development server has no
route to serve them: the ``asgi`` server option serves them at ``/metrics``{% endif %}.

Each process counts its own: Prometheus scrapes every replica and sums. Every label comes from
a bounded set (a page's title from ``navigation.PAGES``, a function's name from the data
layer), never from a visitor's input, so the number of series stays the same however long the
app runs.

- ``app_script_run_seconds{page, kind}``: script runs, from start to end, 5 ms to 10 s;
  ``kind`` is ``page`` (the entrypoint and the page, on a visit or a widget's rerun) or
  ``fragment`` (a fragment's own rerun: its timer's tick, or a widget inside it);
- ``app_script_errors_total{page}``: runs that ended in an uncaught exception;
- ``app_database_query_seconds{query}``: each piece of work through ``run_in_database``,
  waits and time-outs included;
- ``app_database_connections_in_use``: the engine's pooled connections lent out now;
- ``app_database_load_seconds``: this process's newest preparation of the database (its
  migrations and first load, or a reloaded dataset put in place), once done; 0 before;
- ``app_jobs{job, state}``: the jobs in the queue's store, by job and state (queued ones are
  the queue's depth), and ``app_job_seconds{job, state}``: each job that ended since this
  process started, from its start to its end, by how it ended (``Failed``: its failures).
  Both are read from the store, which every replica shares{% if cookiecutter.server == "asgi" %}, before each scrape
  (``jobs/counts.py``): each replica reports the same values{% else %}, by the ``asgi`` server option's
  ``/metrics`` only: here they stay 0{% endif %}{% if cookiecutter.server == "asgi" %};
- ``app_sessions``: browser sessions connected now (their websockets);
- ``app_ready``: 1 if the last readiness probe found the app ready, else 0{% endif %};
- and the process's own: CPU seconds, resident memory, open files.

Each cached function's hits and misses are Streamlit's own, on ``/_stcore/metrics``
(``cache_lookups_total{cache, result}``), which Prometheus scrapes too.

No Streamlit here.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from prometheus_client import (
{%- if cookiecutter.server == "asgi" %}
    CONTENT_TYPE_LATEST,
{%- endif %}
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
{%- if cookiecutter.server == "asgi" %}
    generate_latest,
{%- endif %}
)
{%- if cookiecutter.server == "asgi" %}
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
{%- endif %}

REGISTRY = CollectorRegistry()
"""This app's metrics, apart from prometheus-client's global registry (which a library may
fill with series of its own)."""
ProcessCollector(registry=REGISTRY)

RUN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""The histograms' upper bounds, in seconds: from a cached rerun to a page's time limit."""

SCRIPT_RUNS = Histogram(
    "app_script_run_seconds",
    "Script runs, from start to end, by page and kind",
    ["page", "kind"],
    buckets=RUN_BUCKETS,
    registry=REGISTRY,
)
SCRIPT_ERRORS = Counter(
    "app_script_errors",
    "Script runs that ended in an uncaught exception, by page",
    ["page"],
    registry=REGISTRY,
)
QUERY_SECONDS = Histogram(
    "app_database_query_seconds",
    "Work on the database through run_in_database, by query",
    ["query"],
    buckets=RUN_BUCKETS,
    registry=REGISTRY,
)
CONNECTIONS_IN_USE = Gauge(
    "app_database_connections_in_use",
    "Pooled database connections lent out now",
    registry=REGISTRY,
)
LOAD_SECONDS = Gauge(
    "app_database_load_seconds",
    "This process's newest preparation of the database: migrations and loads",
    registry=REGISTRY,
)
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
"""The job histogram's upper bounds, in seconds: from a small file's profile to an hour."""
JOBS = Gauge(
    "app_jobs",
    "Jobs in the queue's store, by job and state; the same on every replica",
    ["job", "state"],
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "app_job_seconds",
    "Jobs that ended since this process started, from start to end, by job and end state",
    ["job", "state"],
    buckets=JOB_BUCKETS,
    registry=REGISTRY,
)
{%- if cookiecutter.server == "asgi" %}
SESSIONS = Gauge("app_sessions", "Browser sessions connected now", registry=REGISTRY)
READY = Gauge("app_ready", "1 if the last readiness probe found the app ready", registry=REGISTRY)
{%- endif %}


RunKind = Literal["page", "fragment"]
"""The values of ``app_script_run_seconds``'s ``kind`` label."""


def observe_run(page: str, kind: RunKind, seconds: float, failed: bool) -> None:
    """Count one script run of ``page`` (its title) of ``kind`` that took ``seconds``;
    ``failed`` if it ended in an uncaught exception."""
    SCRIPT_RUNS.labels(page, kind).observe(seconds)
    if failed:
        SCRIPT_ERRORS.labels(page).inc()


@contextmanager
def query(name: str) -> Iterator[None]:
    """Time the database work ``name`` (its function's name) inside the block."""
    started = time.perf_counter()
    try:
        yield
    finally:
        QUERY_SECONDS.labels(name).observe(time.perf_counter() - started)
{%- if cookiecutter.server == "asgi" %}


async def endpoint(request: Request) -> Response:
    """``GET /metrics``: every series of ``REGISTRY``, in Prometheus's text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


class SessionGauge:
    """ASGI middleware that keeps ``SESSIONS``: each browser session holds one websocket to
    ``/_stcore/stream`` for as long as its tab is open."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or not scope["path"].endswith("/_stcore/stream"):
            await self.app(scope, receive, send)
            return
        SESSIONS.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            SESSIONS.dec()
{%- endif %}
