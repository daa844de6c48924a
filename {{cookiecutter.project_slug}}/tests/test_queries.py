"""The pure data layer, against a small database built in each test."""

import dataclasses
import math
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Connection, String, select

from {{ cookiecutter.package_name }}.data import nycflights13, queries, source, views
from {{ cookiecutter.package_name }}.data.filters import ARR_DELAY_BOUNDS, FlightFilters
from {{ cookiecutter.package_name }}.data.schema import metadata, saved_views

FLIGHTS = pd.DataFrame(
    [
        ("UA", "EWR", 1, 1, 5, 15, 517, 2, 11),
        ("UA", "JFK", 1, 1, 5, 30, 533, 3, 15),
        ("AA", "LGA", 1, 2, 6, 0, 555, -5, -10),
        ("AA", "JFK", 2, 1, 7, 0, None, None, None),
        ("UA", "EWR", 2, 1, 7, 30, 800, 30, 45),
    ],
    columns=[
        "carrier",
        "origin",
        "month",
        "day",
        "hour",
        "minute",
        "dep_time",
        "dep_delay",
        "arr_delay",
    ],
).assign(year=2013, flight=range(1, 6))


@pytest.fixture
def con(scratch_engine) -> Iterator[Connection]:
    """A connection to five flights and three airlines, in an empty scratch database."""
    with scratch_engine.connect() as con:
        metadata.create_all(con)
        airlines = {"carrier": ["UA", "AA", "DL"], "name": ["United", "American", "Delta"]}
        nycflights13.insert_frame(con, "airlines", pd.DataFrame(airlines))
        nycflights13.insert_frame(con, "flights", nycflights13.with_local_times(FLIGHTS))
        nycflights13.write_daily_flights(con)
        con.commit()
        yield con


def test_no_filter_only_bounds_the_months():
    (only,) = queries.conditions(FlightFilters())
    assert only.compile().params == {"month_1": 1, "month_2": 12}


def test_filter_values_are_bound_parameters(con):
    sneaky = "UA'; DROP TABLE flights; --"
    where = queries.conditions(FlightFilters(carriers=(sneaky,), arr_delay=(0, 60)))
    assert all("DROP" not in str(condition.compile()) for condition in where)
    assert queries.daily_delays(con, FlightFilters(carriers=(sneaky,))).empty
    assert queries.kpi(con, "flights") == 5


def test_same_selection_in_another_order_is_the_same_filters():
    assert FlightFilters(carriers=("UA", "AA"), origins=("LGA", "EWR")) == FlightFilters(
        carriers=("AA", "UA"), origins=("EWR", "LGA")
    )


def test_filter_options_lists_only_carriers_that_fly(con):
    options = queries.filter_options(con)
    assert options.carriers == {"AA": "American", "UA": "United"}
    assert options.origins == ("EWR", "JFK", "LGA")


def test_kpis(con):
    assert queries.kpi(con, "flights") == 5
    assert queries.kpi(con, "cancelled") == 1
    assert queries.kpi(con, "on_time") == pytest.approx(2 / 4)  # 15 min late is late
    assert queries.kpi(con, "mean_arr_delay") == pytest.approx((11 + 15 - 10 + 45) / 4)
    with pytest.raises(KeyError):
        queries.kpi(con, "nope")


def test_kpis_of_an_empty_table(scratch_engine):
    with scratch_engine.connect() as con:
        metadata.create_all(con)
        assert queries.kpi(con, "flights") == 0
        assert math.isnan(queries.kpi(con, "mean_arr_delay"))


def test_monthly_flights(con):
    monthly = queries.monthly_flights(con)
    assert monthly["month"].tolist() == [1, 2]
    assert monthly["flights"].tolist() == [3, 2]


def test_delay_filter_drops_cancelled_flights(con):
    def matches(filters: FlightFilters) -> int:
        return int(queries.daily_delays(con, filters)["flights"].sum())

    assert matches(FlightFilters()) == 5
    assert matches(FlightFilters(arr_delay=ARR_DELAY_BOUNDS)) == 5
    assert matches(FlightFilters(arr_delay=(0, 30))) == 2
    assert matches(FlightFilters(origins=("JFK",), months=(2, 12))) == 1


def test_daily_delays_one_row_per_day(con):
    daily = queries.daily_delays(con, FlightFilters(carriers=("UA", "AA")))
    assert daily["date"].dt.strftime("%m-%d").tolist() == ["01-01", "01-02", "02-01"]
    assert daily["flights"].tolist() == [2, 1, 2]
    assert daily["mean_dep_delay"].tolist() == [2.5, -5.0, 30.0]
    assert daily["mean_arr_delay"].tolist() == [13.0, -10.0, 45.0]  # Feb 1: one arrived


def test_daily_delays_read_the_same_from_the_daily_sums_as_from_the_flights(con):
    everything = FlightFilters(arr_delay=(ARR_DELAY_BOUNDS[0], ARR_DELAY_BOUNDS[1] - 5))
    summed = queries.daily_delays(con, FlightFilters())  # from daily_flights
    scanned = queries.daily_delays(con, everything)  # from flights: no cancelled one
    assert summed["mean_arr_delay"].tolist() == scanned["mean_arr_delay"].tolist()
    assert summed["flights"].sum() == scanned["flights"].sum() + 1  # the cancelled flight


def test_flight_page_is_bounded_and_ordered(con, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    first = queries.flight_page(con, FlightFilters(), 0)
    assert first["flight"].tolist() == [1, 2]
    assert queries.flight_page(con, FlightFilters(), 2)["flight"].tolist() == [5]
    assert queries.flight_page(con, FlightFilters(), 3).empty
    with pytest.raises(ValueError, match="page must be >= 0"):
        queries.flight_page(con, FlightFilters(), -1)


def test_flight_page_says_what_became_of_each_flight(con):
    lost = FLIGHTS.iloc[[0]].assign(day=3, flight=6, arr_delay=float("nan"))  # departed only
    nycflights13.insert_frame(con, "flights", nycflights13.with_local_times(lost))
    page = queries.flight_page(con, FlightFilters(), 0)
    assert dict(zip(page["flight"], page["status"], strict=True)) == {
        1: "On time",  # 11 minutes late
        2: "Late",  # 15: late from LATE_MINUTES on
        3: "On time",
        4: "Cancelled",
        5: "Late",
        6: "Arrival unknown",
    }


def test_replay_time_maps_onto_2013_in_new_york_time():
    assert queries.replay_time(datetime(2026, 7, 4, 18, 30)) == datetime(2013, 7, 4, 18, 30)
    assert queries.replay_time(datetime(2028, 2, 29, 9, 0)) == datetime(2013, 2, 28, 9, 0)
    # 01:30 UTC on July 5 is 21:30 on July 4 in New York (EDT, UTC-4)
    at_utc = datetime(2026, 7, 5, 1, 30, tzinfo=UTC)
    assert queries.replay_time(at_utc) == datetime(2013, 7, 4, 21, 30)


def test_departures_are_counted_per_origin_and_minute(con):
    # the start is excluded (the 05:15 EWR flight), the end included (the 07:30 EWR flight)
    frame = queries.departures(con, datetime(2013, 1, 1, 5, 15), datetime(2013, 2, 1, 7, 30))
    assert frame["origin"].tolist() == ["JFK", "LGA", "JFK", "EWR"]  # by minute
    assert frame["sched_dep"].tolist() == [
        datetime(2013, 1, 1, 5, 30),
        datetime(2013, 1, 2, 6, 0),
        datetime(2013, 2, 1, 7, 0),
        datetime(2013, 2, 1, 7, 30),
    ]
    assert frame["departures"].tolist() == [1, 1, 1, 1]
    assert frame["cancelled"].tolist() == [0, 0, 1, 0]
    assert frame["total_dep_delay"].dtype == float
    assert frame["total_dep_delay"].fillna(-99).tolist() == [3, -5, -99, 30]  # NaN: cancelled


MINUTES = pd.DataFrame(
    [
        ("EWR", datetime(2013, 7, 4, 17, 0), 2, 0, 10.0),
        ("JFK", datetime(2013, 7, 4, 17, 30), 1, 1, math.nan),
        ("EWR", datetime(2013, 7, 4, 18, 0), 3, 1, 20.0),
        ("LGA", datetime(2013, 7, 4, 18, 1), 1, 0, -4.0),
    ],
    columns=["origin", "sched_dep", "departures", "cancelled", "total_dep_delay"],
)
"""Departures per origin and minute, as ``queries.departures`` returns them."""


def _per_origin(at: datetime) -> dict[str, int]:
    frame = queries.departures_per_origin(MINUTES, at)
    return dict(zip(frame["origin"], frame["departures"], strict=True))


def test_departures_per_origin_count_the_hour_up_to_the_second():
    # one second apart: 17:00 EWR leaves the hour (its start is excluded), 18:00 EWR enters
    assert _per_origin(datetime(2013, 7, 4, 17, 59, 59)) == {"EWR": 2, "JFK": 1}
    assert _per_origin(datetime(2013, 7, 4, 18, 0, 0)) == {"EWR": 3, "JFK": 1}
    assert _per_origin(datetime(2013, 7, 4, 18, 1, 0)) == {"EWR": 3, "JFK": 1, "LGA": 1}


def test_departures_per_origin_mean_the_delays_of_flights_that_departed():
    frame = queries.departures_per_origin(MINUTES, datetime(2013, 7, 4, 18, 0, 30))
    assert frame["origin"].tolist() == ["EWR", "JFK"]
    assert frame["cancelled"].tolist() == [1, 1]
    assert frame["mean_dep_delay"].iloc[0] == 10.0  # 20 minutes over the 2 that departed
    assert math.isnan(frame["mean_dep_delay"].iloc[1])  # its only flight was cancelled
    last = [datetime(2013, 7, 4, 18, 0), datetime(2013, 7, 4, 17, 30)]
    assert frame["last_departure"].tolist() == last


def test_departures_per_origin_of_an_empty_hour_is_an_empty_frame():
    frame = queries.departures_per_origin(MINUTES, datetime(2013, 7, 4, 3, 0))
    assert frame.empty
    assert {"origin", "departures", "mean_dep_delay", "last_departure"} <= set(frame.columns)


def test_saved_views_round_trip_newest_first(con):
    wanted = FlightFilters(("UA",), ("JFK", "EWR"), months=(3, 5), arr_delay=(0, 60))
    views.save_view(con, "All", FlightFilters())
    views.save_view(con, "  Summer UA ", wanted)
    assert views.view_names(con) == ["Summer UA", "All"]
    assert views.load_view(con, "Summer UA") == wanted
    with pytest.raises(KeyError):
        views.load_view(con, "missing")


@pytest.mark.parametrize("name", ["", "   ", "x" * (views.NAME_MAX_CHARS + 1)])
def test_save_view_rejects_bad_names(con, name):
    with pytest.raises(views.ViewNameError, match="needs 1 to"):
        views.save_view(con, name, FlightFilters())


def test_save_view_rejects_a_taken_name(con):
    views.save_view(con, "Mine", FlightFilters())
    with pytest.raises(views.ViewNameError, match="exists already"):
        views.save_view(con, "Mine", FlightFilters(carriers=("AA",)))
    assert views.load_view(con, "Mine") == FlightFilters()


def test_saved_at_is_utc(con):
    before = datetime.now(UTC).replace(tzinfo=None)
    views.save_view(con, "Now", FlightFilters())
    saved_at = con.execute(select(saved_views.c.saved_at)).scalar_one()
    assert before - timedelta(seconds=1) <= saved_at <= datetime.now(UTC).replace(tzinfo=None)


def test_a_failed_load_records_nothing_then_concurrent_callers_load_once(
    scratch_engine, monkeypatch
):
    # One full load for both properties: it is the slow part of this module.
    real_read_table = nycflights13.read_table

    def fail_on_flights(table: str, folder: Path | None = None) -> pd.DataFrame:
        if table == "flights":
            raise OSError("disk full")
        return real_read_table(table, folder)

    monkeypatch.setattr(nycflights13, "read_table", fail_on_flights)
    with pytest.raises(OSError, match="disk full"):
        source.load_database(scratch_engine)
    with scratch_engine.connect() as con:
        assert not nycflights13.is_loaded(con)

    monkeypatch.setattr(nycflights13, "read_table", real_read_table)
    loaded: list[bool] = []
    threads = [
        threading.Thread(target=lambda: loaded.append(source.load_database(scratch_engine)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(loaded) == [False, False, True]  # one loaded, the others reused its load
    with scratch_engine.connect() as con:
        assert nycflights13.is_loaded(con)
        assert queries.kpi(con, "flights") == 336_776
        assert len(queries.filter_options(con).carriers) == 16
        assert len(queries.monthly_flights(con)) == 12


def test_filters_and_options_are_frozen_and_hashable(con):
    chosen = FlightFilters(carriers=("UA",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        chosen.carriers = ("AA",)  # type: ignore[misc]  # the error is the point
    assert hash(chosen) == hash(FlightFilters(carriers=("UA",)))  # a cache key
    with pytest.raises(dataclasses.FrozenInstanceError):
        queries.filter_options(con).origins = ()  # type: ignore[misc]  # the error is the point


def test_daily_means_are_nan_when_nothing_departed(con):
    cancelled_only = FlightFilters(carriers=("AA",), origins=("JFK",), months=(2, 2))
    daily = queries.daily_delays(con, cancelled_only)
    assert daily["flights"].tolist() == [1]
    for column in ("mean_dep_delay", "mean_arr_delay"):
        assert daily[column].dtype == float and daily[column].isna().all()


def test_departures_per_origin_look_back_one_hour_by_default(con):
    minutes = queries.departures(con, datetime(2013, 1, 1), datetime(2013, 3, 1))
    at = datetime(2013, 2, 1, 8, 15)
    # 07:30 EWR is 45 min before 08:15, 07:00 JFK 75 min: only EWR is in the default hour
    assert queries.departures_per_origin(minutes, at)["origin"].tolist() == ["EWR"]
    wider = queries.departures_per_origin(minutes, at, window=timedelta(minutes=90))
    assert wider["origin"].tolist() == ["EWR", "JFK"]


def test_a_first_page_holds_every_flight_up_to_the_page_size(con):
    assert queries.PAGE_SIZE == 50
    assert queries.flight_page(con, FlightFilters(), 0)["flight"].tolist() == [1, 2, 3, 4, 5]


def test_a_view_name_may_be_as_long_as_its_column(con):
    column = saved_views.c.name.type
    assert isinstance(column, String) and views.NAME_MAX_CHARS == column.length == 60
    views.save_view(con, "x" * 60, FlightFilters())
    assert views.view_names(con) == ["x" * 60]


def test_training_flights_sample_every_nth_arrived_flight(con):
    # arrived flights by departure: 1 (arrival delay 11), 2 (15), 3 (-10), 5 (45); 4 cancelled
    def arrival_delays(limit: int) -> list[float]:
        frame = queries.training_flights(con, limit)
        assert list(frame.columns) == list(queries.TRAINING_COLUMNS)
        return sorted(frame["arr_delay"].tolist())  # the query has no ORDER BY

    assert arrival_delays(10) == [-10.0, 11.0, 15.0, 45.0]  # every arrived flight
    assert arrival_delays(2) == [15.0, 45.0]  # every 2nd, so the sample reaches February
    assert arrival_delays(1) == [45.0]
    with pytest.raises(ValueError, match="limit must be >= 1"):
        queries.training_flights(con, 0)


@pytest.mark.parametrize(
    "name", ["Summer\u200bUA", "Summer\x00UA", "Summer\nUA", "\u202eAU remmuS", "Summer\ue000"]
)
def test_save_view_refuses_invisible_and_control_characters(con, name):
    with pytest.raises(views.ViewNameError, match="invisible"):
        views.save_view(con, name, FlightFilters())
    assert views.view_names(con) == []


def test_view_names_are_nfkc_and_unique_in_any_case(con):
    assert views.save_view(con, " \uff33ummer\u00a0UA ", FlightFilters()) == "Summer UA"
    for same in ("summer ua", "SUMMER UA", "Summer\u00a0UA"):
        with pytest.raises(views.ViewNameError, match="'Summer UA' exists already"):
            views.save_view(con, same, FlightFilters())
    assert views.view_names(con) == ["Summer UA"]


def test_two_sessions_saving_one_name_at_once_save_it_once(scratch_engine):
    with scratch_engine.begin() as con:
        metadata.create_all(con)

    def save(name: str, ready: threading.Barrier, outcomes: list[str]) -> None:
        with scratch_engine.connect() as con:
            ready.wait(timeout=30)
            try:
                outcomes.append(views.save_view(con, name, FlightFilters()))
            except views.ViewNameError as error:
                outcomes.append(str(error))

    for round_ in range(10):
        names = (f"Race {round_}", f"race {round_}")  # one name in any case
        ready, outcomes = threading.Barrier(2), list[str]()
        threads = [threading.Thread(target=save, args=(n, ready, outcomes)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        (saved,) = [outcome for outcome in outcomes if outcome in names]
        (refused,) = [outcome for outcome in outcomes if outcome not in names]
        # The loser's spelling when the winner's commit was not visible yet, else the winner's.
        assert refused.lower() == f"a view named {saved.lower()!r} exists already.", outcomes
