"""The perf panel: what the last rerun cost, in the sidebar, while you develop.

Off unless ``PERF_PANEL`` is set, and then free: ``measure_run`` is an empty context and
``timed`` hands each function back unchanged. On, the panel shows for the last rerun its wall
time, whether it was a full rerun or which fragment's, and per cached function its hits,
misses and the time the hits saved (a hit saves what the function took on average when it
ran, as Streamlit measures it). Streamlit counts lookups per process, so another session's
lookups during the same rerun count too: watch it with one browser tab open.
"""

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import streamlit as st
from streamlit.runtime.caching.cache_metrics import get_cache_metrics

from ..config import PERF_PANEL

_SLOT = "perf.slot"  # session state: the sidebar placeholder the panel is drawn in
_FULL_RUN = "perf.full_run"  # session state: True while a full rerun is being measured

Counts = dict[str, tuple[int, int, float]]
"""Cached function name -> hits, misses and mean compute seconds, since the process started."""


def _cache_counts() -> Counts:
    """Streamlit's own lookup and compute-time counters for every ``st.cache_data`` function."""
    lookups: dict[str, list[int]] = {}
    compute: dict[str, float] = {}
    families = ["cache_lookups", "cache_compute_duration_seconds"]
    stats = get_cache_metrics().get_stats(families)
    for stat in stats.get("cache_lookups", []):
        labels = stat.labels  # type: ignore[attr-defined]
        if labels["cache_type"] != "st_cache_data":
            continue
        counts = lookups.setdefault(labels["cache"], [0, 0])  # hits, misses
        counts[0 if labels["result"] == "hit" else 1] += stat.value  # type: ignore[attr-defined]
    for stat in stats.get("cache_compute_duration_seconds", []):
        if stat.labels["trigger"] == "miss" and stat.observation_count:  # type: ignore[attr-defined]
            mean = stat.observation_sum / stat.observation_count  # type: ignore[attr-defined]
            compute[stat.labels["cache"]] = mean  # type: ignore[attr-defined]
    return {name: (hit, miss, compute.get(name, 0.0)) for name, (hit, miss) in lookups.items()}


def _draw(run: str, seconds: float, before: Counts, after: Counts) -> None:
    """Fill the panel's placeholder with one rerun's figures."""
    rows = []
    for name, (hits, misses, mean) in sorted(after.items()):
        hits_before, misses_before, _ = before.get(name, (0, 0, 0.0))
        new_hits, new_misses = hits - hits_before, misses - misses_before
        if new_hits or new_misses:
            saved_ms = round(new_hits * mean * 1000, 1)
            row = {"hits": new_hits, "misses": new_misses, "saved (ms)": saved_ms}
            rows.append({"function": name.rsplit(".", 1)[-1], **row})
    with st.session_state[_SLOT].container(border=True):
        st.caption("Perf panel: the last rerun")
        st.metric(run, f"{seconds * 1000:,.0f} ms")
        if rows:
            st.dataframe(rows, hide_index=True)
        else:
            st.caption("No cached function was called.")


@contextmanager
def _measured(run: str) -> Iterator[None]:
    before, start = _cache_counts(), time.perf_counter()
    yield
    _draw(run, time.perf_counter() - start, before, _cache_counts())


@contextmanager
def _full_run() -> Iterator[None]:
    st.session_state[_SLOT] = st.sidebar.empty()
    st.session_state[_FULL_RUN] = True
    try:
        with _measured("Full rerun"):
            yield
    finally:
        st.session_state[_FULL_RUN] = False


def measure_run() -> AbstractContextManager[None]:
    """Wrap the entrypoint's ``page.run()``: times the full rerun, then draws the panel. The
    entrypoint's own lines before it are not timed: they do no I/O."""
    return _full_run() if PERF_PANEL else nullcontext()


def timed(fragment: Callable[..., None]) -> Callable[..., None]:
    """Put under ``@st.fragment``: times the fragment's own reruns for the panel (a full
    rerun is timed whole by ``measure_run``)."""
    if not PERF_PANEL:
        return fragment

    @functools.wraps(fragment)
    def run(*args: object, **kwargs: object) -> None:
        # Unset only before the first full run ends: a fragment cannot rerun alone before.
        if st.session_state.get(_FULL_RUN, True):
            # Touch the panel, so Streamlit lets this fragment's own reruns redraw it.
            st.session_state[_SLOT].empty()
            fragment(*args, **kwargs)
            return
        with _measured(f"Fragment rerun: {fragment.__name__}"):
            fragment(*args, **kwargs)

    return run
