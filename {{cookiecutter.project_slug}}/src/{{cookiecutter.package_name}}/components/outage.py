"""What a visitor sees while the database can't serve the app: what is wrong and where, in
place of Streamlit's error box, and a page that comes back by itself once the database
answers again, checking less and less often while it doesn't.

Light to import (Streamlit only), so the entrypoint can wrap every page in it.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import streamlit as st

from ..errors import DatabaseUnavailable
from ..runs import fragment_run
from ..state.store import PageState

RETRY_SECONDS = 5
"""The first wait before a page that met an outage checks whether the database is back, and
how often the check's timer ticks."""
MAX_RETRY_SECONDS = 40
"""The longest wait between two checks. Each check that fails doubles the wait (5, 10, 20,
40 s), and so does the same outage met again, as when a slow database answers the check and
then fails the page's query: an open tab adds little load to a database in trouble."""


@dataclass(frozen=True)
class RetryState(PageState):
    """A session's checks for the database during an outage."""

    NAMESPACE: ClassVar[str] = "retry"

    wait: float = 0.0
    """Seconds from the last check (or the outage) to the next check; 0 before any outage."""
    due: float = 0.0
    """When the next check is due, in ``time.monotonic()`` seconds (the server's clock)."""


def _wait_for(retry: RetryState, now: float) -> float:
    """Seconds to wait before checking for an outage met at ``now`` (monotonic seconds)."""
    if not retry.wait or now >= retry.due + MAX_RETRY_SECONDS:
        return RETRY_SECONDS  # a new outage
    if now < retry.due - retry.wait + 1:
        return retry.wait  # the same run met it twice (a fragment, then the page)
    return min(retry.wait * 2, MAX_RETRY_SECONDS)  # the same outage, met again


@contextmanager
def outage_message(retry: bool = True) -> Iterator[None]:
    """Show a ``DatabaseUnavailable`` raised inside as a warning, with its message, instead of
    Streamlit's error box; other exceptions pass through.

    With ``retry`` (and an error that waiting can fix), the warning checks the database after
    ``RETRY_SECONDS``, then after ever longer waits up to ``MAX_RETRY_SECONDS``, and reruns
    the app once it answers. Use it as a ``with`` block around a page, or as a decorator under
    ``@st.fragment``: a fragment shows its own errors, so the page's block never sees them.
    """
    try:
        yield
    except DatabaseUnavailable as error:
        then = ""  # waiting can't help: an operator must act first, as the message says
        if retry and error.retry:
            RetryState.init()
            now = time.monotonic()
            wait = _wait_for(RetryState.read(), now)
            RetryState.write(wait=wait, due=now + wait)
            then = f" Checking again in {wait:g} s."
        elif error.retry:
            then = " Try again in a moment."
        st.warning(f"{error}{then}", icon=":material/cloud_off:")
        if retry and error.retry:
            _rerun_when_back()


@st.fragment(run_every=RETRY_SECONDS)
@fragment_run
def _rerun_when_back() -> None:
    # It ticks every RETRY_SECONDS and checks once the wait is over (a tick may come a little
    # early). Its first run, part of the page that just failed, is never due: a database that
    # fails one way and answers another can't loop the page.
    retry, now = RetryState.read(), time.monotonic()
    if now < retry.due - RETRY_SECONDS / 2:
        return
    from ..resources.database import check_database  # the data layer: only in an outage

    try:
        check_database()
    except DatabaseUnavailable:
        wait = min(retry.wait * 2, MAX_RETRY_SECONDS)
        RetryState.write(wait=wait, due=now + wait)
        return
    st.rerun()
