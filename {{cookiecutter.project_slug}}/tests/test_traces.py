"""Traces (``traces.py``): off without an endpoint, with none of the SDK loaded; on, one span
per script run with the page's database work under it, SQLAlchemy's statements under that,
and the run's trace id in its log line. Spans go to the SDK's in-memory exporter here; the
template's tests send them over OTLP/HTTP to a receiver on loopback."""

import logging
from collections.abc import Iterator

import pytest
import streamlit as st
from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import runs
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources.database import database

from .conftest import ENTRYPOINT, SIGNED_IN

OFF = """
import json, sys
from {{ cookiecutter.package_name }} import traces
print(json.dumps([traces.configure(), "opentelemetry.sdk" in sys.modules]))
"""


@pytest.mark.parametrize(
    "env",
    [{}, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_SDK_DISABLED": "true"}],
    ids=["no endpoint", "disabled"],
)
def test_traces_are_off_without_an_endpoint_and_load_nothing(fresh_python, env):
    assert fresh_python(OFF, **env) == [False, False]


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """Every span this process records from here on, kept in memory. The API takes one
    provider per process, so this module sets it for the rest of the run."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    instrumentor = SQLAlchemyInstrumentor()
    instrumentor.instrument(engine=database(), tracer_provider=provider, skip_dep_check=True)
    yield exporter
    instrumentor.uninstrument()


def children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    parent_id = parent.context.span_id if parent.context else None
    return [span for span in spans if span.parent and span.parent.span_id == parent_id]


def test_a_run_is_one_span_with_its_database_work_and_statements_under_it(
    spans: InMemorySpanExporter, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger=runs.logger.name)
    st.cache_data.clear()  # every query of the page misses
    spans.clear()
    app = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    app.user = SIGNED_IN
    app.run()
    assert not app.exception
    finished = spans.get_finished_spans()
    (run,) = [span for span in finished if span.name == "script run"]
    assert run.attributes == {"app.page": PAGES[0].title, "app.run_kind": "page"}
    work = children(finished, run)
    assert work and all(span.name.startswith("database ") for span in work)
    for span in work:  # each piece of work: its statements, from SQLAlchemy's instrumentation
        assert children(finished, span), span.name
    assert run.context is not None
    (line,) = [vars(r) for r in caplog.records if r.name == runs.logger.name]
    assert line["trace_id"] == format(run.context.trace_id, "032x")
    assert line["span_id"] == format(run.context.span_id, "016x")
