"""Saved views: a name plus ``FlightFilters``, kept in the ``saved_views`` table.

They live in the database with the flights, in a table of their own, so they survive a
restart. Any visitor may save, rename and delete them; each write commits on its own. No
Streamlit here.
"""

import json
import unicodedata
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select, update
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


def new_view_name(con: Connection, name: str) -> str:
    """``view_name(name)``, checked to be free: what the wizard's first step asks before the
    filters. Reads only; ``save_view`` checks again, as another visitor may save it meanwhile.

    Raises:
        ViewNameError: ``view_name`` refuses the name, or a view has it already, in any case.
    """
    name = view_name(name)
    _refuse_taken(con, name)
    return name


def save_view(con: Connection, name: str, filters: FlightFilters) -> str:
    """Save ``filters`` under ``view_name(name)`` and commit.

    Returns:
        The name the view was saved under.

    Raises:
        ViewNameError: ``view_name`` refuses the name, or a view has it already, in any case
            ("Summer" and "summer" are one name), saved before or at the same moment.
    """
    name = new_view_name(con, name)
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


def rename_view(con: Connection, name: str, new_name: str) -> str:
    """Rename the view ``name`` to ``view_name(new_name)`` and commit; its filters and saved
    time stay. A new spelling of the same name ("summer" to "Summer") is a rename too.

    Returns:
        The view's new name.

    Raises:
        ViewNameError: ``view_name`` refuses ``new_name``, or another view has it, in any case,
            saved before or at the same moment.
        KeyError: no view is named ``name`` (another visitor renamed or deleted it).
    """
    new_name = view_name(new_name)
    if new_name.lower() != name.lower():
        _refuse_taken(con, new_name)
    renamed = update(saved_views).where(saved_views.c.name == name).values(name=new_name)
    try:
        if con.execute(renamed).rowcount == 0:
            con.rollback()
            raise KeyError(name)
        con.commit()
    except IntegrityError:
        # The unique index refused it: another session took the name at the same moment.
        con.rollback()
        raise ViewNameError(f"A view named {new_name!r} exists already.") from None
    except OperationalError as error:
        _refuse_a_race(con, error, name, new_name)
        raise
    return new_name


def delete_view(con: Connection, name: str) -> None:
    """Delete the view ``name`` and commit.

    Raises:
        KeyError: no view is named ``name`` (another visitor renamed or deleted it).
    """
    try:
        if con.execute(delete(saved_views).where(saved_views.c.name == name)).rowcount == 0:
            con.rollback()
            raise KeyError(name)
        con.commit()
    except OperationalError as error:
        _refuse_a_race(con, error, name)
        raise


def _refuse_a_race(
    con: Connection, error: OperationalError, name: str, new_name: str | None = None
) -> None:
    # DuckDB refuses a write of a row that another session wrote too (TransactionException):
    # at once while that session's change is not committed, at the commit once it is. Raise
    # what the other did; return when it was none of that, for the caller to raise the
    # database's own failure. PostgreSQL waits for the other session instead.
    con.rollback()
    _refuse_missing(con, name)
    if new_name is not None and new_name.lower() != name.lower():
        _refuse_taken(con, new_name)
    if type(error.orig).__name__ == "TransactionException":
        raise KeyError(name) from None  # renamed or deleted, not committed yet


def _refuse_missing(con: Connection, name: str) -> None:
    if con.execute(select(saved_views.c.name).where(saved_views.c.name == name)).first() is None:
        con.rollback()
        raise KeyError(name)


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
