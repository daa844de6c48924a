"""The database tables, declared once with SQLAlchemy so every backend gets the same schema.

One example table: add yours beside it. A change here reaches the databases through a
migration (``migrations/versions/``): after editing, run
``uv run alembic revision --autogenerate -m "what changed"``, read what it wrote, and the app
applies it at its next start (``migrate.py``).
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
