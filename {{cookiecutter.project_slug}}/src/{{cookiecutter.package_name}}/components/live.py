"""The live departures monitor: a replay clock that ticks each second over cached minutes."""

import math

import streamlit as st

from ..data import cached
from ..runs import fragment_run
from .outage import outage_message

LIVE_KEY = "live_monitor"
"""The monitor's fragment key: ``st.rerun(LIVE_KEY)`` in a callback refreshes only it."""

TICK_SECONDS = 1
"""How often the monitor reruns. A tick only looks its minute up in the cache, so it can be
much shorter than ``cached.LIVE_REFRESH_SECONDS``."""


@st.fragment(run_every=TICK_SECONDS, key=LIVE_KEY)
@fragment_run
@outage_message(retry=False)  # it reruns itself on its timer anyway
def live_monitor() -> None:
    """Scheduled departures per New York airport in the hour up to the 2013 replay clock,
    exact to the second, with the change over the last minute and the age of the data.

    Each tick looks its replay minute up in ``cached.live_departures`` (refreshed in the
    background every ``cached.LIVE_REFRESH_SECONDS``), which holds the hour's counts for each
    minute a tick may show: it never runs a query, nor counts, nor waits for the database.
    """
    fetched, hours = cached.live_departures()
    at = cached.replay_now()  # after the cache: an empty one sets ``fetched`` to now
    minute = at.replace(second=0, microsecond=0)
    if minute not in hours:  # an entry kept past the minutes it holds: read it anew
        cached.live_departures.clear()
        fetched, hours = cached.live_departures()
    age = (at - fetched).total_seconds()
    st.caption(f"Replay clock: {at:%A %B %d, %H:%M:%S} (2013) · updated {age:.0f} s ago")
    now = hours[minute]
    if now.empty:
        st.info("No departures were scheduled in this hour of 2013.", icon=":material/bedtime:")
        return
    before = hours[minute - cached.A_MINUTE]
    a_minute_ago = dict(zip(before["origin"], before["departures"].astype(int), strict=True))
    # Column by column, each read as its type (itertuples() would type every cell as any
    # scalar): one (origin, departures, cancelled, mean delay, last departure) per airport.
    airports = zip(
        now["origin"].astype(str),
        now["departures"].astype(int),
        now["cancelled"].astype(int),
        now["mean_dep_delay"].astype(float),  # NaN when every one was cancelled
        now["last_departure"].dt.to_pydatetime(),
        strict=True,
    )
    # One card per airport, side by side while each fits its "N departures" (one per row on
    # a phone).
    grid = st.grid(len(now), min_column_width=280, border=True)
    for origin, scheduled, cancelled, mean, last in airports:
        with grid.cell():
            st.metric(
                origin,
                f"{scheduled} departures",
                scheduled - a_minute_ago.get(origin, 0),
                delta_color="off",  # more departures is neither good nor bad
                delta_description="vs. a minute ago",
                help="Scheduled in the last hour, cancelled ones included.",
            )
            delay = "all cancelled" if math.isnan(mean) else f"mean delay {round(mean):+d} min"
            st.caption(f"Last at {last:%H:%M} · {delay} · {cancelled} cancelled")


def refresh_now() -> None:
    """Callback: drop the cached departures and rerun only the monitor fragment."""
    cached.live_departures.clear()
    st.rerun(LIVE_KEY)
