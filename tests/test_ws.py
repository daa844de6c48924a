"""``bench/ws.py`` and ``bench/load.py``: browser tabs over Streamlit's websocket, on a real server.

The default bake is served once for the module by its production command (uvicorn), from this
environment with the bake's ``src`` on the path, on the shared data folder; then each test
drives it with ``Session`` as the browser's frontend would. The codec tests at the end need
no server.
"""

import asyncio
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bench import cluster
from bench.load import run_load
from bench.ws import Session, UnsupportedWidget, Widget, _checked, _encode, _url_values

from .conftest import load_bench

UNITED = "United (UA)"  # a multiselect takes the labels a browser shows
FLIGHTS = re.compile(r"Page (\d[\d,]*) of [\d,]+ · ([\d,]+) flights")
FIRST_LOAD = 600.0  # seconds: on a fresh data folder the first visit loads the flights


@pytest.fixture(scope="module")
def app_url(default_project, data_dir, tmp_path_factory) -> Iterator[str]:
    """The default bake served on a loopback port; its base URL."""
    bench = load_bench(default_project)
    prefix = default_project.name.replace("-", "_").upper()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "STREAMLIT_"))}
    env |= {
        "PYTHONPATH": str(default_project / "src"),  # as installed
        "HOME": str(tmp_path_factory.mktemp("home")),  # no user config
        f"{prefix}_DATA_DIR": str(data_dir),
    }
    port = bench.free_port()
    log = tmp_path_factory.mktemp("logs") / "server.log"
    command = bench.production_command(port)
    with bench.serving(command, default_project, port, env=env, log=log, timeout=600) as server:
        # The first visit loads the data if the folder is new.
        asyncio.run(cluster.first_visit(server.url, FIRST_LOAD))
        yield server.url


def flights(session: Session) -> tuple[int, int]:
    """The Explore table's (page number, matching flights), from its caption."""
    (match,) = [m for text in session.texts if (m := FLIGHTS.search(text))]
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


@pytest.mark.served
def test_the_first_load_lists_the_pages_without_errors(app_url):
    async def main() -> Session:
        session = await Session.open(app_url)
        await session.close()
        return session

    session = asyncio.run(main())
    assert session.errors == []
    assert {"", "explore", "live", "about"} <= set(session.pages)
    assert session.page == ""  # the default page, Overview
    assert session.session_id and "_streamlit_xsrf" in session.cookies
    assert session.first_load_ms > 0


@pytest.mark.served
def test_a_page_switch_and_a_filter_change_finish_with_the_server_s_values(app_url):
    async def main() -> None:
        session = await Session.open(app_url)
        assert await session.rerun(page="explore") > 0
        assert session.page == "explore"
        carriers = session.widgets["explore.carriers"]
        assert carriers.kind == "multiselect" and UNITED in carriers.options
        _, everything = flights(session)

        await session.rerun(widgets={"explore.carriers": [UNITED]})
        assert session.widgets["explore.carriers"].value == [UNITED]
        _, united = flights(session)
        assert 0 < united < everything  # the server filtered
        if carriers.query_param_key:  # bound to the URL: the browser writes it there
            assert "explore.carriers=United+%28UA%29" in session.query_string

        await session.rerun(widgets={"explore_next": True})  # in a fragment: reruns only it
        assert flights(session) == (2, united)

        # Away and back: the tab dropped the widget, so its value now is what the server sends.
        await session.rerun(page="about")
        assert "explore.carriers" not in session.widgets
        await session.rerun(page="explore")
        assert session.widgets["explore.carriers"].value == [UNITED]
        assert flights(session)[1] == united
        assert session.errors == []
        await session.close()

    asyncio.run(main())


@pytest.mark.served
def test_a_reconnect_to_the_same_server_resumes_the_session(app_url):
    async def main() -> None:
        session = await Session.open(app_url, "/explore")
        await session.rerun(widgets={"explore.carriers": [UNITED], "explore.months": [3, 5]})
        before = (session.session_id, session.query_string, flights(session))
        assert await session.reconnect() is True
        assert (session.session_id, session.query_string, flights(session)) == before
        assert session.widgets["explore.months"].value == [3, 5]
        assert session.errors == []
        await session.close()

    asyncio.run(main())


@pytest.mark.served
def test_a_link_with_the_query_string_opens_the_same_filters(app_url):
    async def main() -> None:
        first = await Session.open(app_url, "/explore")
        assert first.widgets["explore.carriers"].query_param_key == "explore.carriers"
        await first.rerun(widgets={"explore.carriers": [UNITED], "explore.months": [3, 5]})
        await first.close()
        link = await Session.open(app_url, "/explore", first.query_string)
        assert link.widgets["explore.carriers"].value == [UNITED]
        assert link.widgets["explore.months"].value == [3, 5]
        assert flights(link) == flights(first)
        await link.close()

    asyncio.run(main())


@pytest.mark.served
def test_three_concurrent_sessions_rerun_without_errors(app_url):
    result = asyncio.run(run_load(app_url, sessions=3, seconds=4))
    assert result.errors == 0
    assert result.reruns > 0 and len(result.latencies_ms) == result.reruns
    assert 0 < result.p50 <= result.p95
    assert result.per_second > 0 and result.opens == 3


# --- the codec, without a server -------------------------------------------------------------


def widget(kind: str, **fields: Any) -> Widget:
    """A widget as ``Session`` records it from the server's element."""
    return Widget(f"$$ID-abc-{kind}", kind, kind, kind, value=None, default=None, **fields)


@pytest.mark.parametrize(
    ("made", "value", "field", "wire"),
    [
        (widget("multiselect", options=("a", "b"), multi=True), ["b"], "string_array_value",
         ["b"]),
        (widget("pills", options=("a", "b"), multi=True), [], "string_array_value", []),
        (widget("pills", options=("a", "b")), "a", "string_array_value", ["a"]),
        (widget("slider", min=1, max=12, integer=True, multi=True), [3, 5],
         "double_array_value", [3.0, 5.0]),
        (widget("slider", min=0, max=1), 0.5, "double_array_value", [0.5]),
        (widget("select_slider", options=("lo", "hi")), "hi", "string_array_value", ["hi"]),
        (widget("selectbox", options=("a", "b")), "b", "string_value", "b"),
        (widget("radio", options=("a", "b")), None, None, None),
        (widget("checkbox"), True, "bool_value", True),
        (widget("text_input"), "hi", "string_value", "hi"),
        (widget("number_input", integer=True), 7, "int_value", 7),
        (widget("number_input"), 2.5, "double_value", 2.5),
    ],
)  # fmt: skip
def test_each_kind_goes_out_in_the_frontend_s_wire_field(made, value, field, wire):
    state = _encode(made, _checked(made, value))
    assert state is not None and state.id == made.id
    assert state.WhichOneof("value") == field
    if field is not None:
        sent = getattr(state, field)
        assert (list(sent.data) if field.endswith("array_value") else sent) == wire


@pytest.mark.parametrize(
    ("made", "value"),
    [
        (widget("multiselect", options=("a",), multi=True), ["z"]),
        (widget("multiselect", options=("a",), multi=True), "a"),
        (widget("slider", min=1, max=12, integer=True, multi=True), [5, 3]),
        (widget("slider", min=1, max=12, integer=True), 13),
        (widget("slider", min=1, max=12, integer=True), 2.5),
        (widget("checkbox"), "yes"),
        (widget("button"), False),
    ],
)
def test_a_value_the_widget_cannot_take_is_refused(made, value):
    with pytest.raises(ValueError, match=made.key):
        _checked(made, value)


def test_a_widget_of_another_kind_cannot_be_set():
    with pytest.raises(UnsupportedWidget, match="date_input"):
        _checked(widget("date_input"), "2013-01-01")


def test_a_bound_widget_s_url_values_are_the_browser_s():
    months = widget("slider", integer=True, multi=True)
    assert _url_values(months, [3, 5]) == ["3", "5"]
    assert _url_values(widget("slider"), 2.0) == ["2"]  # String(2.0) in JavaScript
    assert _url_values(widget("multiselect", clearable=True), []) == [""]
    assert _url_values(widget("checkbox"), False) == ["false"]
    assert _url_values(widget("selectbox"), None) is None  # not clearable: dropped
