"""The only module that knows about ``st.cache_data``: one thin wrapper per query.

Each wrapper states its bounds and its invalidation rule. Shared rules:

- the flights are 2013 history and never change, so entries live until their ``ttl``;
- the About page's button clears every entry (``clear_all``); reloading the database means
  a restart, which starts every cache empty;
- ``max_entries`` bounds each cache by the filter combinations worth keeping, so memory stays
  flat however long the app runs.

Each wrapper runs its query through ``run_in_database``: on a pooled connection from the
shared engine, within ``QUERY_TIMEOUT_SECONDS``. A database that can't answer raises
``DatabaseUnavailable``, which nothing caches: the next call asks the database again.
"""

from datetime import datetime

import pandas as pd
import streamlit as st

from ..resources.database import run_in_database
from . import queries, views
from .filters import FlightFilters
from .source import is_loaded

LIVE_REFRESH_SECONDS = 10
"""How stale the live departures may get: their ``ttl``, and the Live page's tick."""


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
def live_departures() -> tuple[datetime, pd.DataFrame]:
    """The replay time, and the departures per origin in the hour up to it.

    Invalidation: a ``ttl`` of ``LIVE_REFRESH_SECONDS``. An expired entry is still returned
    at once while it is recomputed in the background, for up to twice the ``ttl``; after that
    (no visitor for a while) the next call waits for the query, a few milliseconds.
    """
    at = replay_now()
    return at, run_in_database(queries.departures, at)


@st.cache_data(ttl="1h", max_entries=1, show_spinner=False)
def view_names() -> list[str]:
    """Saved view names, newest first. Invalidation: ``save_view`` clears it."""
    return run_in_database(views.view_names)


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
    scanning every flight. Does nothing before the first load, which a visit runs with its
    progress shown.

    Raises:
        DatabaseUnavailable: the database can't answer; nothing is cached.
    """
    if not run_in_database(is_loaded):
        return
    for name in queries.KPIS:
        kpi(name)
    monthly_flights()
