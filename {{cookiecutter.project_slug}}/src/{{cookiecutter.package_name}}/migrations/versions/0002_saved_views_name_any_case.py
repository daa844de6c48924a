"""One saved view per name in any case ("Summer" and "summer" are one name): a unique index on
the lowered name. Where earlier versions saved both, the newest is kept.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHADOWED = (
    "EXISTS (SELECT 1 FROM saved_views AS other WHERE lower(other.name) = lower(saved_views.name)"
    " AND (other.saved_at > saved_views.saved_at"
    " OR (other.saved_at = saved_views.saved_at AND other.name > saved_views.name)))"
)
"""A view that another one of the same name in any case replaces: older, or as old and earlier
in the alphabet."""


def upgrade() -> None:
    shadowed = op.get_bind().execute(sa.text(f"SELECT count(*) FROM saved_views WHERE {SHADOWED}"))
    if shadowed.scalar_one():
        # Keep the newest of each name in a rebuilt table: DuckDB counts the rows a transaction
        # deleted against an index it then creates, and a new table has none.
        op.execute(
            f"CREATE TEMPORARY TABLE kept_views AS SELECT * FROM saved_views WHERE NOT {SHADOWED}"
        )
        op.drop_table("saved_views")
        op.create_table(
            "saved_views",
            sa.Column("name", sa.String(60), primary_key=True),
            sa.Column("filters", sa.Text(), nullable=False),
            sa.Column("saved_at", sa.DateTime(), nullable=False),
        )
        op.execute("INSERT INTO saved_views SELECT * FROM kept_views")
        op.execute("DROP TABLE kept_views")
    op.create_index(
        "saved_views_name_any_case",
        "saved_views",
        [sa.text("lower(name)")],
        unique=True,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("saved_views_name_any_case", table_name="saved_views")
