"""The app's own metrics (``metrics.py``): each script run timed under its page's title and
its kind (a fragment's own rerun, or not), an uncaught exception counted as an error of its
page and ``st.stop`` not, the data layer's work
timed by its function's name{% if cookiecutter.server == "asgi" %}; ``/metrics`` read back by prometheus-client's parser, and
the open sessions counted{% endif %}."""
{% if cookiecutter.server == "asgi" %}
import asyncio

from prometheus_client.parser import text_string_to_metric_families
{%- endif %}
from sqlalchemy import Connection, text
{%- if cookiecutter.server == "asgi" %}
from starlette.requests import Request
from starlette.types import Message
{%- endif %}
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import metrics
from {{ cookiecutter.package_name }}.navigation import PAGES
from {{ cookiecutter.package_name }}.resources.database import run_in_database

RUNS = "app_script_run_seconds_count"


def sample(name: str, **labels: str) -> float:
    """The value of the series ``name`` with ``labels`` in ``metrics.REGISTRY``; 0 before its
    first observation."""
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_run_is_timed_under_its_page_s_title(app: AppTest):
    default = PAGES[0].title  # the page the app opens on
    before = sample(RUNS, page=default, kind="page")
    app.run()
    app.run()
    assert not app.exception
    assert sample(RUNS, page=default, kind="page") == before + 2


def a_page_that_stops() -> None:  # AppTest.from_function runs its body as a script
    import streamlit as st

    from {{ cookiecutter.package_name }}.runs import page_run

    with page_run("Stops"):
        st.stop()


def a_page_that_fails() -> None:
    from {{ cookiecutter.package_name }}.runs import page_run

    with page_run("Fails"):
        raise ValueError("a bug")


def test_an_uncaught_exception_is_an_error_of_its_page_and_st_stop_is_not():
    AppTest.from_function(a_page_that_stops).run()
    failed = AppTest.from_function(a_page_that_fails).run()
    assert failed.exception  # Streamlit still shows it
    assert sample("app_script_errors_total", page="Fails") == 1
    assert sample("app_script_errors_total", page="Stops") == 0
    assert sample(RUNS, page="Fails", kind="page") == sample(RUNS, page="Stops", kind="page") == 1


def a_page_and_its_fragment() -> None:
    import streamlit as st

    from {{ cookiecutter.package_name }}.runs import fragment_run, page_run

    @fragment_run
    def part() -> None:
        st.write("Part of the page")

    with page_run("With a part"):
        part()  # as the page's full run shows it
    part()  # as a fragment's own rerun runs it: alone, without the entrypoint around it


def test_a_fragment_s_own_rerun_counts_under_its_page_and_its_part_in_the_page_s_does_not():
    # AppTest reruns the whole script for a widget inside a fragment, so the fragment's own
    # rerun is called here as Streamlit calls it: outside the page's run. The served app's
    # Live page shows the real one (the template's tests/test_served.py).
    AppTest.from_function(a_page_and_its_fragment).run()
    assert sample(RUNS, page="With a part", kind="page") == 1
    assert sample(RUNS, page="With a part", kind="fragment") == 1


def lent_now(con: Connection) -> float:
    """Work on the database that reads how many pooled connections are lent out meanwhile."""
    con.execute(text("SELECT 1"))
    return sample("app_database_connections_in_use")


def test_the_data_layer_s_work_is_timed_by_its_function_s_name():
    before = sample("app_database_query_seconds_count", query="lent_now")
    assert run_in_database(lent_now) >= 1  # its own connection, at least
    assert sample("app_database_query_seconds_count", query="lent_now") == before + 1
{%- if cookiecutter.server == "asgi" %}


def test_the_endpoint_serves_every_series_in_prometheus_s_text_format():
    request = Request({"type": "http", "method": "GET", "path": "/metrics", "headers": []})
    response = asyncio.run(metrics.endpoint(request))
    assert response.headers["content-type"].startswith("text/plain; version=")  # not OpenMetrics
    exposition = bytes(response.body).decode()
    families = {family.name: family for family in text_string_to_metric_families(exposition)}
    assert {
        "app_script_run_seconds",
        "app_script_errors",
        "app_database_query_seconds",
        "app_database_connections_in_use",
        "app_database_load_seconds",
        "app_sessions",
        "app_ready",
        "process_resident_memory_bytes",
    } <= set(families)
    buckets = {
        sample.labels["le"]
        for sample in families["app_script_run_seconds"].samples
        if sample.name.endswith("_bucket")
    }
    assert {"0.005", "10.0", "+Inf"} <= buckets


def test_a_session_counts_while_its_websocket_is_open():
    opened, closing = asyncio.Event(), asyncio.Event()

    async def streamlit(scope: object, receive: object, send: object) -> None:
        opened.set()
        await closing.wait()  # the tab stays open

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        pass

    async def visit() -> list[float]:
        scope = {"type": "websocket", "path": "/_stcore/stream", "headers": []}
        session = asyncio.create_task(metrics.SessionGauge(streamlit)(scope, receive, send))
        await opened.wait()
        during = sample("app_sessions")
        closing.set()
        await session
        return [during, sample("app_sessions")]

    before = sample("app_sessions")
    assert asyncio.run(visit()) == [before + 1, before]
{%- endif %}
