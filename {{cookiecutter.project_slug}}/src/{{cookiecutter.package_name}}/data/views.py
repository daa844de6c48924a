"""Saved views: a name plus ``FlightFilters``, kept in the ``saved_views`` table.

They live in the DuckDB file, so they survive a restart. No Streamlit here.
"""

import json
from dataclasses import asdict

import duckdb

from .filters import FlightFilters

NAME_MAX_CHARS = 60


class ViewNameError(ValueError):
    """A view name is empty, too long, or taken."""


def save_view(con: duckdb.DuckDBPyConnection, name: str, filters: FlightFilters) -> None:
    """Save ``filters`` under ``name`` (surrounding spaces stripped).

    Raises:
        ViewNameError: the name is empty, longer than ``NAME_MAX_CHARS``, or already saved.
    """
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise ViewNameError(f"A view name needs 1 to {NAME_MAX_CHARS} characters.")
    try:
        con.execute(
            "INSERT INTO saved_views VALUES (?, ?, now())", [name, json.dumps(asdict(filters))]
        )
    except duckdb.ConstraintException:
        raise ViewNameError(f"A view named {name!r} exists already.") from None


def view_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the saved views, newest first."""
    rows = con.execute("SELECT name FROM saved_views ORDER BY saved_at DESC, name").fetchall()
    return [name for (name,) in rows]


def load_view(con: duckdb.DuckDBPyConnection, name: str) -> FlightFilters:
    """The filters saved under ``name``.

    Raises:
        KeyError: no view has that name.
    """
    row = con.execute("SELECT filters FROM saved_views WHERE name = ?", [name]).fetchone()
    if row is None:
        raise KeyError(name)
    return FlightFilters(**{key: tuple(value) for key, value in json.loads(row[0]).items()})
