"""The live departures monitor."""

import math

import streamlit as st

from ..data import cached
from .outage import outage_message

LIVE_KEY = "live_monitor"
"""The monitor's fragment key: ``st.rerun(LIVE_KEY)`` in a callback refreshes only it."""


@st.fragment(run_every=cached.LIVE_REFRESH_SECONDS, key=LIVE_KEY)
@outage_message(retry=False)  # it reruns itself on its timer anyway
def live_monitor() -> None:
    """Scheduled departures per New York airport in the last hour of the 2013 replay clock.

    Reruns itself as often as the query behind it may go stale; that query refreshes in the
    background, so a tick shows the value at hand and never waits for the database.
    """
    at, departures = cached.live_departures()
    st.caption(f"Replay clock: {at:%A %B %d, %H:%M} (2013)")
    if departures.empty:
        st.info("No departures were scheduled in this hour of 2013.", icon=":material/bedtime:")
        return
    # Column by column, each read as its type (itertuples() would type every cell as any
    # scalar): one (origin, departures, cancelled, mean delay) per airport.
    airports = zip(
        departures["origin"].astype(str),
        departures["departures"].astype(int),
        departures["cancelled"].astype(int),
        departures["mean_dep_delay"].astype(float),  # NaN when every one was cancelled
        strict=True,
    )
    with st.container(horizontal=True):
        for origin, scheduled, cancelled, mean in airports:
            with st.container(border=True):
                st.metric(origin, f"{scheduled} departures", help="Scheduled.")
                delay = "no departure yet" if math.isnan(mean) else f"mean delay {mean:+.0f} min"
                st.caption(f"{delay} · {cancelled} cancelled")


def refresh_now() -> None:
    """Callback: drop the cached departures and rerun only the monitor fragment."""
    cached.live_departures.clear()
    st.rerun(LIVE_KEY)
