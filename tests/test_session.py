"""``tests/support/session.py`` and ``load.py``: browser tabs over Streamlit's websocket, on a
real server: the default bake that the ``served`` fixture serves by its production command
(uvicorn), driven as the browser's frontend would drive it.
"""

import asyncio
import re

import pytest

from tests.support.load import run_load
from tests.support.session import Session

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("served")]

UNITED = "United (UA)"  # a multiselect takes the labels a browser shows
FLIGHTS = re.compile(r"Page (\d[\d,]*) of [\d,]+ · ([\d,]+) flights")


@pytest.fixture
def app_url(served) -> str:
    """The served default bake's base URL."""
    return served.url


def flights(session: Session) -> tuple[int, int]:
    """The Explore table's (page number, matching flights), from its caption."""
    (match,) = [m for text in session.texts if (m := FLIGHTS.search(text))]
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


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


def test_three_concurrent_sessions_rerun_without_errors(app_url):
    result = asyncio.run(run_load(app_url, sessions=3, seconds=4))
    assert result.errors == 0
    assert result.reruns > 0 and len(result.latencies_ms) == result.reruns
    assert 0 < result.p50 <= result.p95
    assert result.per_second > 0 and result.opens == 3
