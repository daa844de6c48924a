"""The database tables, declared once with SQLAlchemy so every backend gets the same schema.

One example table: add yours beside it. A change here reaches the databases through a
migration (``migrations/versions/``): after editing, run
``uv run alembic revision --autogenerate -m "what changed"``, read what it wrote, and the app
applies it at its next start (``migrate.py``).

Rules that keep a table the same on DuckDB, SQLite and PostgreSQL:

- **Ids** made in Python (``uuid4().hex`` in a ``String(32)``) are known before the insert
  and the same everywhere; an ``Integer`` primary key works too, numbered by each database
  its own way (a sequence on DuckDB and PostgreSQL, the row id on SQLite).
- **NULL** is a missing value: write ``None`` (a pandas NaN or NaT must become None before an
  insert), and say ``nullable=False`` where a value is required.
- **Types**: ``String``, ``Integer``, ``Float``, ``Boolean``, ``Date`` and ``DateTime`` mean
  the same on all three. ``DateTime`` holds UTC without a zone (SQLite has none). ``Text``
  is ``VARCHAR`` to DuckDB. Leave JSON, arrays and enums to one backend's own types, or store
  them as text.
"""

from sqlalchemy import Column, DateTime, MetaData, String, Table

metadata = MetaData()

notes = Table(
    "notes",
    metadata,
    Column("id", String(32), primary_key=True, doc="uuid4 hex, made in Python: portable"),
    Column("body", String(280), nullable=False),
    Column("created_at", DateTime, nullable=False, index=True, doc="UTC, without a zone"),
)
