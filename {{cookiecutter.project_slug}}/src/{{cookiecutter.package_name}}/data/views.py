"""Saved views: a name plus ``FlightFilters``, kept in the ``saved_views`` table.

They live in the database with the flights, in a table of their own, so they survive a
restart. No Streamlit here.
"""

import json
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from .filters import FlightFilters
from .schema import saved_views

NAME_MAX_CHARS = 60


class ViewNameError(ValueError):
    """A view name is empty, too long, or taken."""


def save_view(con: Connection, name: str, filters: FlightFilters) -> None:
    """Save ``filters`` under ``name`` (surrounding spaces stripped) and commit.

    Raises:
        ViewNameError: the name is empty, longer than ``NAME_MAX_CHARS``, or already saved.
    """
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise ViewNameError(f"A view name needs 1 to {NAME_MAX_CHARS} characters.")
    saved_at = datetime.now(UTC).replace(tzinfo=None)  # naive UTC: no server zone applies
    row = {"name": name, "filters": json.dumps(asdict(filters)), "saved_at": saved_at}
    try:
        con.execute(insert(saved_views).values(row))
        con.commit()
    except IntegrityError:
        con.rollback()
        raise ViewNameError(f"A view named {name!r} exists already.") from None


def view_names(con: Connection) -> list[str]:
    """Names of the saved views, newest first."""
    query = select(saved_views.c.name).order_by(saved_views.c.saved_at.desc(), saved_views.c.name)
    return list(con.execute(query).scalars())


def load_view(con: Connection, name: str) -> FlightFilters:
    """The filters saved under ``name``.

    Raises:
        KeyError: no view has that name.
    """
    query = select(saved_views.c.filters).where(saved_views.c.name == name)
    saved = con.execute(query).scalar_one_or_none()
    if saved is None:
        raise KeyError(name)
    return FlightFilters(**{key: tuple(value) for key, value in json.loads(saved).items()})
