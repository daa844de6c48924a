"""The live departures monitor."""

import math
from datetime import datetime

import streamlit as st

from ..data import cached
from ..data.queries import replay_time

LIVE_KEY = "live_monitor"
"""The monitor's fragment key: ``st.rerun(LIVE_KEY)`` in a callback refreshes only it."""


@st.fragment(run_every="10s", key=LIVE_KEY)
def live_monitor() -> None:
    """Departures per New York airport in the last hour of the 2013 replay clock.

    Reruns itself every 10 s; the query behind it is cached for 30 s and refreshed in the
    background, so a tick costs a cache lookup, never a wait.
    """
    departures = cached.live_departures()
    st.caption(f"Replay clock: {replay_time(datetime.now()):%A %B %d, %H:%M} (2013)")
    if departures.empty:
        st.info("No departures were scheduled in this hour of 2013.", icon=":material/bedtime:")
        return
    with st.container(horizontal=True):
        for row in departures.itertuples():
            with st.container(border=True):
                delay = row.mean_dep_delay
                st.metric(
                    row.origin,
                    f"{row.departures} departures",
                    None if math.isnan(delay) else f"{delay:+.0f} min mean delay",
                    delta_color="inverse",
                )
                st.caption(f"{row.cancelled} cancelled")


def refresh_now() -> None:
    """Callback: drop the cached departures and rerun only the monitor fragment."""
    cached.live_departures.clear()
    st.rerun(LIVE_KEY)
