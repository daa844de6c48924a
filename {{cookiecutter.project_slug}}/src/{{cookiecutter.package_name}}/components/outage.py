"""What a visitor sees while the database can't serve the app: what is wrong and where, in
place of Streamlit's error box, and a page that comes back by itself once the database
answers again.

Light to import (Streamlit only), so the entrypoint can wrap every page in it.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ..errors import DatabaseUnavailable

RETRY_SECONDS = 5
"""How often a page that met an outage checks whether the database is back."""


@contextmanager
def outage_message(retry: bool = True) -> Iterator[None]:
    """Show a ``DatabaseUnavailable`` raised inside as a warning, with its message, instead of
    Streamlit's error box; other exceptions pass through.

    With ``retry`` (and an error that waiting can fix), the warning checks the database every
    ``RETRY_SECONDS`` and reruns the app once it answers. Use it as a ``with`` block around a
    page, or as a decorator under ``@st.fragment``: a fragment shows its own errors, so the
    page's block never sees them.
    """
    try:
        yield
    except DatabaseUnavailable as error:
        retrying = retry and error.retry
        if retrying:
            then = f" Checking again every {RETRY_SECONDS} s."
        elif error.retry:
            then = " Try again in a moment."
        else:
            then = ""  # waiting can't help: an operator must act first, as the message says
        st.warning(f"{error}{then}", icon=":material/cloud_off:")
        if retrying:
            _rerun_when_back(time.monotonic())


@st.fragment(run_every=RETRY_SECONDS)
def _rerun_when_back(since: float) -> None:
    # A fragment rerun gets the arguments of its first run: the first run (part of the page
    # that just failed) skips the check, so a database that fails one way and answers
    # another can't loop the page.
    if time.monotonic() - since < RETRY_SECONDS / 2:
        return
    from ..resources.database import check_database  # the data layer: only in an outage

    try:
        check_database()
    except DatabaseUnavailable:
        return
    st.rerun()
