"""Saved views' names, renames, deletes and descriptions, against a scratch database."""

import threading
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from sqlalchemy import Connection, Engine, select

from {{ cookiecutter.package_name }}.data import views
from {{ cookiecutter.package_name }}.data.filters import FlightFilters, describe
from {{ cookiecutter.package_name }}.data.schema import metadata, saved_views

SUMMER = FlightFilters(carriers=("UA",), months=(6, 8))
NAMES = {"B6": "JetBlue Airways", "DL": "Delta Air Lines Inc.", "UA": "United Air Lines Inc."}


@pytest.fixture
def con(scratch_engine) -> Iterator[Connection]:
    """A connection to a scratch database holding two views: "Summer UA" (newest), "All"."""
    with scratch_engine.connect() as con:
        metadata.create_all(con, tables=[saved_views])
        views.save_view(con, "All", FlightFilters())
        views.save_view(con, "Summer UA", SUMMER)
        yield con


def _rows(con: Connection) -> list[tuple[str, str]]:
    return [tuple(row) for row in con.execute(select(saved_views.c.name, saved_views.c.filters))]


def test_new_view_name_normalizes_a_free_name_and_writes_nothing(con):
    assert views.new_view_name(con, "  \uff2aFK evenings ") == "JFK evenings"
    assert views.view_names(con) == ["Summer UA", "All"]


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("summer ua", "'Summer UA' exists already"),
        ("", "needs 1 to 60"),
        ("x" * 61, "needs 1 to 60"),
        ("Summer\u200bUA", "invisible"),
    ],
    ids=["taken-in-another-case", "empty", "too-long", "invisible"],
)
def test_new_view_name_refuses_what_save_view_refuses(con, name, refusal):
    with pytest.raises(views.ViewNameError, match=refusal):
        views.new_view_name(con, name)
    with pytest.raises(views.ViewNameError, match=refusal):
        views.save_view(con, name, FlightFilters())


def test_rename_keeps_the_filters_and_the_place_in_the_list(con):
    before = dict(_rows(con))
    assert views.rename_view(con, "Summer UA", " United, summer ") == "United, summer"
    assert views.view_names(con) == ["United, summer", "All"]  # still the newest
    assert views.load_view(con, "United, summer") == SUMMER
    assert dict(_rows(con))["United, summer"] == before["Summer UA"]


def test_rename_to_another_spelling_of_the_same_name(con):
    assert views.rename_view(con, "Summer UA", "SUMMER UA") == "SUMMER UA"
    assert views.view_names(con) == ["SUMMER UA", "All"]


def test_rename_to_a_name_taken_in_another_case_changes_nothing(con):
    before = _rows(con)
    with pytest.raises(views.ViewNameError, match="'All' exists already"):
        views.rename_view(con, "Summer UA", "ALL")
    assert _rows(con) == before


@pytest.mark.parametrize("new_name", ["", "   ", "x" * 61, "Summer\x00UA", "Summer\nUA"])
def test_rename_to_an_invalid_name_changes_nothing(con, new_name):
    before = _rows(con)
    with pytest.raises(views.ViewNameError):
        views.rename_view(con, "Summer UA", new_name)
    assert _rows(con) == before


def test_rename_of_a_missing_view_raises_key_error_and_changes_nothing(con):
    before = _rows(con)
    with pytest.raises(KeyError, match="Gone"):
        views.rename_view(con, "Gone", "Back")
    with pytest.raises(KeyError):
        views.rename_view(con, "summer ua", "Lower")  # names are matched as saved
    assert _rows(con) == before


def test_delete_removes_one_view_and_a_second_delete_raises_key_error(con):
    views.delete_view(con, "Summer UA")
    assert views.view_names(con) == ["All"]
    with pytest.raises(KeyError):
        views.load_view(con, "Summer UA")
    with pytest.raises(KeyError, match="Summer UA"):
        views.delete_view(con, "Summer UA")
    assert views.view_names(con) == ["All"]


def test_a_deleted_name_is_free_again(con):
    views.delete_view(con, "Summer UA")
    assert views.rename_view(con, "All", "summer ua") == "summer ua"
    assert views.view_names(con) == ["summer ua"]


def _at_once(engine: Engine, *writes: Callable[[Connection], object]) -> list[str]:
    """Run ``writes`` at the same moment, each on its own connection; each one's outcome: "ok",
    or the name of the exception it raised."""
    ready, outcomes = threading.Barrier(len(writes)), list[str]()

    def run(write: Callable[[Connection], object]) -> None:
        with engine.connect() as con:
            ready.wait(timeout=30)
            try:
                write(con)
                outcomes.append("ok")
            except Exception as error:
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_two_sessions_writing_one_view_at_once_one_wins_the_other_is_told(scratch_engine):
    with scratch_engine.begin() as con:
        metadata.create_all(con, tables=[saved_views])
    for round_ in range(10):
        a, b, target = f"A {round_}", f"B {round_}", f"Target {round_}"
        with scratch_engine.connect() as con:
            views.save_view(con, a, FlightFilters())
            views.save_view(con, b, FlightFilters())
        # Two views renamed to one name, in two cases: one rename is refused.
        assert _at_once(
            scratch_engine,
            partial(views.rename_view, name=a, new_name=target),
            partial(views.rename_view, name=b, new_name=target.lower()),
        ) == ["ViewNameError", "ok"]
        with scratch_engine.connect() as con:
            (kept,) = {a, b} & set(views.view_names(con))
        # One view renamed and deleted at once: whichever comes second finds it gone.
        assert _at_once(
            scratch_engine,
            partial(views.rename_view, name=kept, new_name=f"Renamed {round_}"),
            partial(views.delete_view, name=kept),
        ) == ["KeyError", "ok"]
        with scratch_engine.connect() as con:
            assert not {a, b} & set(views.view_names(con))


@pytest.mark.parametrize(
    ("filters", "words"),
    [
        (
            FlightFilters(),
            "All carriers, from any New York airport, all year, any arrival delay",
        ),
        (
            FlightFilters(("DL", "B6"), ("JFK",), months=(3, 8), arr_delay=(-60, 120)),
            "JetBlue (B6) and Delta (DL), from JFK, March to August, arrival delay -60 to 120 min",
        ),
        (
            FlightFilters(("UA",), ("LGA", "EWR"), months=(12, 12), arr_delay=(0, 0)),
            "United (UA), from EWR or LGA, in December, arrival delay 0 min",
        ),
        (
            FlightFilters(("UA", "DL", "B6", "XX"), ("EWR", "JFK", "LGA"), months=(1, 1)),
            "JetBlue (B6), Delta (DL), United (UA) and XX, from EWR, JFK or LGA, in January, "
            "any arrival delay",
        ),
        (
            FlightFilters(("AA", "B6", "DL", "UA", "WN"), arr_delay=(-90, 60)),
            "AA, JetBlue (B6), Delta (DL) and 2 more carriers, from any New York airport, "
            "all year, arrival delay -90 to 60 min",
        ),
    ],
    ids=["no-filter", "example", "one-month", "four-carriers", "five-carriers"],
)
def test_describe_says_what_a_view_selects_in_words(filters, words):
    assert describe(filters, NAMES) == words
