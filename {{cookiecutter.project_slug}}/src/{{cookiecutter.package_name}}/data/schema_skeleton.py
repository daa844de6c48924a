"""The database tables, declared once with SQLAlchemy so every backend gets the same schema.

One example table: add yours beside it.
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
