"""Each script run, observed once: timed by page and kind (``metrics.py``), traced as one span
(``traces.py``) and logged as one line (``logs.py``); and each piece of database work, timed
and traced under its run (``database_work``, around ``run_in_database``'s). With
``config.TELEMETRY`` off, none of it.

The entrypoint runs the page inside ``page_run``. A fragment's own reruns (its timer's tick, a
widget inside it) run the fragment alone, without the entrypoint, so each fragment function
carries ``@fragment_run`` under its ``@st.fragment``; where the fragment runs as part of its
page's full run, it is part of that run, not a run of its own.

The run's line, logger ``{{ cookiecutter.package_name }}.runs``::

    {"event": "script run", "page": "Explore", "kind": "page", "duration_ms": 41.2,
     "session": "5f0c2e9a41d3", {% if cookiecutter.auth == "oidc" %}"user": "a81f93c07b2e44d1", {% endif %}"trace_id": "…", "span_id": "…", ...}

A fragment's own rerun logs its line at DEBUG unless it failed or took
``SLOW_FRAGMENT_SECONDS``: a timer's ticks would fill the log. ``session`` is a random tag
that the session's first run makes (Streamlit's own session
id is neither public nor written anywhere). ``trace_id`` and ``span_id`` are the run's span's,
when traces are on{% if cookiecutter.auth == "oidc" %}. ``user`` is a keyed hash of the signed-in email (``auth.user_tag``):
the same for one person across sessions and replicas, and no email in the logs{% endif %}.
"""

import functools
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ClassVar, ParamSpec
{% if cookiecutter.auth == "oidc" %}
import streamlit as st
{% endif %}
from . import metrics, traces
{%- if cookiecutter.auth == "oidc" %}
from .auth import user_tag
{%- endif %}
from .config import TELEMETRY
from .metrics import RunKind
from .state.store import PageState

P = ParamSpec("P")

logger = logging.getLogger(__name__)

SLOW_FRAGMENT_SECONDS = 0.5
"""A fragment's own rerun logs its line at INFO from this long on (or when it fails); a
quicker one at DEBUG."""

_PAGE_RUN: ContextVar[str | None] = ContextVar("page_run", default=None)
"""The page whose full run is under way in this thread, or None. Streamlit copies the context
into a parallel fragment's thread, so a fragment sees its page's run there too."""


@dataclass(frozen=True)
class RunState(PageState):
    """What a session's runs are logged under."""

    NAMESPACE: ClassVar[str] = "run"

    page: str = ""
    """The title of the page the session's last full run showed: its fragments' own reruns
    are counted under it."""
    session: str = ""
    """The session's tag in the logs: 12 random hex digits, made by its first run."""


@contextmanager
def page_run(title: str) -> Iterator[None]:
    """Observe the block as the full run of the page titled ``title``."""
    RunState.write(page=title)  # a write only when the visitor switched pages
    token = _PAGE_RUN.set(title)
    try:
        with _observed(title, "page"):
            yield
    finally:
        _PAGE_RUN.reset(token)


def fragment_run(fragment: Callable[P, None]) -> Callable[P, None]:
    """Decorate a fragment's function (under ``@st.fragment``) so that its own reruns are
    observed as runs of kind ``fragment``, under the session's page."""

    @functools.wraps(fragment)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        if _PAGE_RUN.get() is not None or not TELEMETRY:  # part of its page's full run
            fragment(*args, **kwargs)
            return
        RunState.init()  # a fragment shown without the entrypoint, as in a component's test
        with _observed(RunState.read().page, "fragment"):
            fragment(*args, **kwargs)

    return run


@contextmanager
def database_work(name: str) -> Iterator[None]:
    """Observe the block as the database work ``name`` (its function's name): timed
    (``metrics.query``) and traced, a span under the run's."""
    if not TELEMETRY:
        yield
        return
    with metrics.query(name), traces.tracer.start_as_current_span(f"database {name}"):
        yield


@contextmanager
def _observed(page: str, kind: RunKind) -> Iterator[None]:
    if not TELEMETRY:
        yield
        return
    RunState.init()
    session = RunState.read().session
    if not session:  # the session's first run
        session = secrets.token_hex(6)
        RunState.write(session=session)
    started = time.perf_counter()
    failed = False
    with traces.tracer.start_as_current_span(
        "script run", attributes={"app.page": page, "app.run_kind": kind}
    ):
        try:
            yield
        except Exception:  # st.stop and st.rerun are BaseException: no errors
            failed = True
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_run(page, kind, seconds, failed)
            # A fragment's timer ticks every second in each open tab: its runs are logged
            # when they fail or are slow, and counted (metrics.py) always.
            quiet = kind == "fragment" and not failed and seconds < SLOW_FRAGMENT_SECONDS
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "script run",
                extra={
                    "page": page,
                    "kind": kind,
                    "duration_ms": round(seconds * 1000, 1),
                    "failed": failed,
                    "session": session,
{%- if cookiecutter.auth == "oidc" %}
                    "user": user_tag(st.user, st.secrets),
{%- endif %}
                    **traces.current_ids(),
                },
            )
