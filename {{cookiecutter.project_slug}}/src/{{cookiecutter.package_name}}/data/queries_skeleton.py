"""Pure queries: a connection in, plain values or a small frame out. No Streamlit here.

Written with SQLAlchemy Core, so the same query runs on every supported database, with every
value sent as a bound parameter. The examples: notes, added and listed newest first; and the
Penguins page's filter, counts and pages over a table loaded from a file, as
``tools/new.py page`` writes them.
"""

import unicodedata
from datetime import UTC, datetime
from uuid import uuid4

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, insert, select, true

from .schema import notes, penguins

NOTE_MAX_CHARS = 280
LIST_LIMIT = 50
"""The most notes a query returns, so what reaches the browser stays bounded."""


class NoteError(ValueError):
    """A note is empty, too long, or holds a control character."""


def add_note(con: Connection, body: str) -> None:
    """Store ``body`` (surrounding spaces stripped) as a new note, and commit.

    Raises:
        NoteError: the note is empty or longer than ``NOTE_MAX_CHARS``, or holds a control
            character other than a line break or a tab (NUL, which PostgreSQL can't store).
    """
    body = body.strip()
    if not body or len(body) > NOTE_MAX_CHARS:
        raise NoteError(f"A note needs 1 to {NOTE_MAX_CHARS} characters.")
    if any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in body):
        raise NoteError("A note can't hold control characters.")
    created_at = datetime.now(UTC).replace(tzinfo=None)  # naive UTC: no server zone applies
    row = {"id": uuid4().hex, "body": body, "created_at": created_at}
    con.execute(insert(notes).values(row))
    con.commit()


def recent_notes(con: Connection, search: str = "") -> pd.DataFrame:
    """The newest ``LIST_LIMIT`` notes whose body contains ``search`` (any case).

    Returns:
        Columns ``created_at`` (UTC datetime) and ``body`` (str), newest first.
    """
    query = select(notes.c.created_at, notes.c.body).order_by(notes.c.created_at.desc())
    if search:
        query = query.where(notes.c.body.icontains(search, autoescape=True))
    return pd.read_sql(query.limit(LIST_LIMIT), con, parse_dates=["created_at"])
{% with page = cookiecutter.__example_page %}{% include "tools/templates/queries.py.jinja" %}{% endwith %}