"""Traces, with the OpenTelemetry SDK: one span per script run (``runs.py``), a child span per
piece of database work (``run_in_database``: on a cached function's miss, its query), and
under it SQLAlchemy's own span per statement.

Configured by OpenTelemetry's standard environment variables, once per process: {% if cookiecutter.server == "asgi" %}``app.py``'s
lifespan calls ``configure``{% else %}the ``asgi`` server
option's lifespan calls ``configure``; ``streamlit run`` has none, so here the spans come from
the no-op tracer{% endif %}.

- ``OTEL_EXPORTER_OTLP_ENDPOINT`` (``http://collector:4318``) or
  ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` (``http://collector:4318/v1/traces``): where the
  spans go, over OTLP/HTTP. With neither set, nothing is set up: spans come from the API's
  no-op tracer, which records nothing and sends nothing.
- ``OTEL_SERVICE_NAME`` (this project's name unless set), ``OTEL_RESOURCE_ATTRIBUTES``,
  ``OTEL_TRACES_SAMPLER``, ``OTEL_EXPORTER_OTLP_HEADERS`` and the rest: read by the SDK.
- ``OTEL_SDK_DISABLED=true``: off, whatever else is set.
"""

import os

from opentelemetry import trace

tracer = trace.get_tracer(__name__)
"""The app's tracer: the no-op one until ``configure`` sets up the SDK, then the SDK's."""

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
SERVICE_NAME = "{{ cookiecutter.project_slug }}"


def is_configured_by_environment() -> bool:
    """Whether the environment asks for traces: an OTLP endpoint is set, and the SDK is not
    disabled."""
    disabled = os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
    return not disabled and any(os.environ.get(name) for name in ENDPOINT_VARIABLES)


def configure() -> bool:
    """Set up the SDK if the environment asks for traces: a tracer provider whose spans are
    sent in batches to the OTLP/HTTP endpoint, and SQLAlchemy's instrumentation of every
    engine created from now on. Call it once per process, before the first engine is built.

    Returns whether it set them up. The SDK's modules are imported only then.
    """
    if not is_configured_by_environment():
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    named = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": SERVICE_NAME}
    provider = TracerProvider(resource=Resource.create(named))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    # Its declared range ends below SQLAlchemy 2.1, whose engine events it hooks are unchanged:
    # tests/test_traces.py checks that each statement gets its span.
    SQLAlchemyInstrumentor().instrument(skip_dep_check=True)
    return True


def shutdown() -> None:
    """Send the spans still waiting in the batch, then stop; nothing if ``configure`` did not
    set up the SDK."""
    provider = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def current_ids() -> dict[str, str]:
    """The current span's ``trace_id`` (32 hex digits) and ``span_id`` (16), as a log line
    carries them; empty when no span is recorded (traces off, or not sampled)."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid or not context.trace_flags.sampled:
        return {}
    return {
        "trace_id": format(context.trace_id, "032x"),
        "span_id": format(context.span_id, "016x"),
    }
