"""Adding one row to a table: one call on every backend, so the queries need no branch."""

{% if cookiecutter.database == "none" -%}
import pandas as pd
from sqlalchemy import Connection, Table

from .parquet import append
{%- else -%}
from sqlalchemy import Connection, Table, insert
{%- endif %}


def insert_row(con: Connection, table: Table, row: dict[str, object]) -> None:
    """Add ``row`` (column name -> value) to ``table``; the caller commits{% if cookiecutter.database == "none" %}, though the
    row's Parquet file is written at once{% endif %}.

    Raises:
        IntegrityError: ``row``'s primary key is in ``table`` already.
    """
{%- if cookiecutter.database == "none" %}
    append(con, table, pd.DataFrame([row]))
{%- else %}
    con.execute(insert(table).values(row))
{%- endif %}
