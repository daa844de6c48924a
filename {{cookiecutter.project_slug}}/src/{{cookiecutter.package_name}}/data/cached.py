"""The only module that knows about ``st.cache_data``: one thin wrapper per query.

Each wrapper states its bounds and its invalidation rule. Shared rules:

- the flights are 2013 history and never change, so entries live until their ``ttl``;
- the About page's button clears every entry (``clear_all``), and so does a Reload job's
  load, once it is in place (``components/loading.py``);
- ``max_entries`` bounds each cache by the filter combinations worth keeping, so memory stays
  flat however long the app runs.

Each wrapper runs its query through ``run_in_database``: on a pooled connection from the
shared engine, within ``QUERY_TIMEOUT_SECONDS``. A database that can't answer raises
``DatabaseUnavailable``, which nothing caches: the next call asks the database again.
"""

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from ..resources.database import run_in_database
from . import queries, views
from .filters import FlightFilters
from .source import is_ready

LIVE_REFRESH_SECONDS = 10
"""How stale the live departures may get: their ``ttl``. The Live page ticks faster, on the
cached minutes."""

A_MINUTE = timedelta(minutes=1)


@st.cache_data(ttl="24h", max_entries=1, show_spinner=False)
def filter_options() -> queries.FilterOptions:
    """Carriers and origins for the filter widgets; one entry."""
    return run_in_database(queries.filter_options)


@st.cache_data(ttl="24h", max_entries=len(queries.KPIS), show_spinner=False)
def kpi(name: str) -> float:
    """One KPI over all flights (see ``queries.kpi``); one entry per KPI."""
    return run_in_database(queries.kpi, name)


@st.cache_data(ttl="24h", max_entries=1, show_spinner=False)
def monthly_flights() -> pd.DataFrame:
    """Flights per month (12 rows); one entry."""
    return run_in_database(queries.monthly_flights)


@st.cache_data(ttl="1h", max_entries=256, show_spinner=False)
def daily_delays(filters: FlightFilters) -> pd.DataFrame:
    """Matches and mean delays per day (365 rows at most); one entry per filter set."""
    return run_in_database(queries.daily_delays, filters)


@st.cache_data(ttl="10m", max_entries=1024, show_spinner=False)
def flight_page(filters: FlightFilters, page: int) -> pd.DataFrame:
    """One page of matching flights (``queries.PAGE_SIZE`` rows); one entry per page seen."""
    return run_in_database(queries.flight_page, filters, page)


def replay_now() -> datetime:
    """Now, on the 2013 replay clock (naive New York time); the Live page's only clock."""
    return queries.replay_time(datetime.now(queries.NEW_YORK))


@st.cache_data(
    ttl=LIVE_REFRESH_SECONDS, refresh_mode="background", max_entries=1, show_spinner=False
)
def live_departures() -> tuple[datetime, dict[datetime, pd.DataFrame]]:
    """The replay time it ran at, and for every whole minute a tick may show until the entry
    is replaced, plus the minute before the first, the departures per origin in the hour up
    to that minute (a frame as from ``queries.departures_per_origin``). A departure is
    scheduled on a whole minute, so the hour up to any second is the hour up to its minute:
    a tick looks its minute up, and never runs a query nor counts.

    The minutes reach ahead three ``ttl``: an entry is served for up to twice its ``ttl``
    (below), and the third covers the query's own time. One query, over the hour before the
    first minute up to the last.

    Invalidation: a ``ttl`` of ``LIVE_REFRESH_SECONDS``. An expired entry is still returned
    at once while it is recomputed in the background, for up to twice the ``ttl``
    (Streamlit's default ``runner.cacheBackgroundRefreshTTLMultiplier``); after that (no
    visitor for a while) the next call waits for the query, a few milliseconds.
    """
    at = replay_now()
    first = at.replace(second=0, microsecond=0) - A_MINUTE
    last = at + timedelta(seconds=3 * LIVE_REFRESH_SECONDS)
    minutes = run_in_database(queries.departures, first - timedelta(hours=1), last)
    shown = pd.date_range(first, last, freq="min").to_pydatetime()
    return at, {minute: queries.departures_per_origin(minutes, minute) for minute in shown}


@st.cache_data(ttl="1h", max_entries=1, show_spinner=False)
def view_names() -> list[str]:
    """Saved view names, newest first. Invalidation: a save, rename or delete clears it."""
    return run_in_database(views.view_names)


def new_view_name(name: str) -> str:
    """``name`` as a new view would be saved under it, checked to be free now (see
    ``views.new_view_name``, which raises ``ViewNameError``); not cached, read once per check."""
    return run_in_database(views.new_view_name, name)


def save_view(name: str, filters: FlightFilters) -> str:
    """Save a view (see ``views.save_view``, which raises ``ViewNameError``), then drop the
    cached list of names so every session sees the new one on its next rerun. Returns the
    name it was saved under."""
    saved = run_in_database(views.save_view, name, filters)
    view_names.clear()
    return saved


def load_view(name: str) -> FlightFilters:
    """The filters saved under ``name``; not cached, read once per click.

    Raises:
        KeyError: no view has that name.
    """
    return run_in_database(views.load_view, name)


def rename_view(name: str, new_name: str) -> str:
    """Rename a view (see ``views.rename_view``, which raises ``ViewNameError`` and
    ``KeyError``), then drop the cached list of names, so every session sees the change on its
    next rerun. Returns the new name.

    A view that was gone already drops the list too (it still showed the view); a database
    that can't answer (``DatabaseUnavailable``) changed nothing, and the list is kept.
    """
    try:
        renamed = run_in_database(views.rename_view, name, new_name)
    except KeyError:
        view_names.clear()
        raise
    view_names.clear()
    return renamed


def delete_view(name: str) -> None:
    """Delete a view (see ``views.delete_view``, which raises ``KeyError``), then drop the
    cached list of names, as ``rename_view`` does."""
    try:
        run_in_database(views.delete_view, name)
    except KeyError:
        view_names.clear()
        raise
    view_names.clear()


CACHED = (
    filter_options,
    kpi,
    monthly_flights,
    daily_delays,
    flight_page,
    live_departures,
    view_names,
)
"""Every cached wrapper of this module: ``clear_all`` empties each."""


def clear_all() -> None:
    """Drop every cached entry of this module; the next call of each recomputes."""
    for cached in CACHED:
        cached.clear()


def warm() -> None:
    """Compute the landing page's entries (the Overview's KPIs and flights per month) now,
    e.g. at startup, so the first visit after a restart reads them from the cache instead of
    scanning every flight. Does nothing before the first load, or before a migration the
    schema lacks: a visit runs them, with their progress shown.

    Raises:
        DatabaseUnavailable: the database can't answer; nothing is cached.
    """
    if not run_in_database(is_ready):
        return
    for name in queries.KPIS:
        kpi(name)
    monthly_flights()
