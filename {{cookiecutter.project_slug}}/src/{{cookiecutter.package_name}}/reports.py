"""Error reports to Sentry (sentry-sdk), when ``SENTRY_DSN`` is set: each uncaught exception of
a script run or a widget's callback, with its traceback, sent from ``st.App``'s
``on_script_error`` (``app.py``). Unset, nothing is set up, and the errors are in the log only.

Set up once per process, by ``app.py``'s lifespan. The SDK's default integrations stay on, its
threading integration included: it once broke ``run_every`` fragments (streamlit#16139), and
the template's tests keep the Live page ticking under it. The reports carry no personal data,
no frame's local variables and no query's values, and no traces, which
go to OpenTelemetry (``traces.py``).
``SENTRY_ENVIRONMENT`` and ``SENTRY_RELEASE`` are read by the SDK.
"""

import logging
import os
from urllib.parse import urlsplit

import sentry_sdk

logger = logging.getLogger(__name__)


def configure() -> bool:
    """Set up the SDK if ``SENTRY_DSN`` is set; returns whether it did."""
    dsn = os.environ.get("SENTRY_DSN")
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        # Beyond the error and its traceback, nothing a visitor typed:
        data_collection={
            "user_info": False,  # no user, IP address or cookie
            "stack_frame_variables": False,  # a frame's locals may hold an input, or a secret
            "database_query_data": False,  # nor a query's parameters
        },
    )
    logger.info("Error reports go to Sentry at %s", urlsplit(dsn).hostname)
    return True


def report(error: BaseException) -> None:
    """Send ``error``, with its traceback, to Sentry if ``configure`` set it up."""
    if sentry_sdk.is_initialized():
        sentry_sdk.capture_exception(error)
