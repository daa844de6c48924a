"""Saved views: a name plus ``FlightFilters``, kept in the ``saved_views`` table.

They live in the database with the flights, in a table of their own, so they survive a
restart. No Streamlit here.
"""

import json
import unicodedata
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from .filters import FlightFilters
from .schema import saved_views

NAME_MAX_CHARS = 60


INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
"""Unicode categories a name may not hold: controls (NUL, newline), format characters (a
zero-width space), private-use, surrogate and unassigned code points."""


class ViewNameError(ValueError):
    """A view name is empty, too long, holds an invisible character, or is taken."""


def view_name(name: str) -> str:
    """``name`` as a view is saved under it: Unicode NFKC (a full-width or composed letter
    becomes the letter), surrounding spaces stripped.

    Raises:
        ViewNameError: it is empty or longer than ``NAME_MAX_CHARS``, or holds a control or
            invisible character.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise ViewNameError(f"A view name needs 1 to {NAME_MAX_CHARS} characters.")
    if any(unicodedata.category(char) in INVISIBLE for char in name):
        raise ViewNameError("A view name can't hold control or invisible characters.")
    return name


def save_view(con: Connection, name: str, filters: FlightFilters) -> str:
    """Save ``filters`` under ``view_name(name)`` and commit.

    Returns:
        The name the view was saved under.

    Raises:
        ViewNameError: ``view_name`` refuses the name, or a view has it already, in any case
            ("Summer" and "summer" are one name), saved before or at the same moment.
    """
    name = view_name(name)
    _refuse_taken(con, name)
    saved_at = datetime.now(UTC).replace(tzinfo=None)  # naive UTC: no server zone applies
    row = {"name": name, "filters": json.dumps(asdict(filters)), "saved_at": saved_at}
    try:
        con.execute(insert(saved_views).values(row))
        con.commit()
    except IntegrityError:
        # The unique index refused it: another session saved the name, in some case, at the
        # same moment (its commit may not even be visible yet).
        con.rollback()
        _refuse_taken(con, name)  # names the other's spelling, once it is committed
        raise ViewNameError(f"A view named {name!r} exists already.") from None
    except OperationalError:
        # DuckDB reports the same race at the commit ("TransactionException"). If the name
        # is not taken now, the database failed for its own reasons: raise that.
        con.rollback()
        _refuse_taken(con, name)
        raise
    return name


def _refuse_taken(con: Connection, name: str) -> None:
    taken = select(saved_views.c.name).where(func.lower(saved_views.c.name) == name.lower())
    if (existing := con.execute(taken).scalar()) is not None:
        con.rollback()
        raise ViewNameError(f"A view named {existing!r} exists already.")


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
