"""The migrations, on a scratch database of the project's kind: they build what ``schema.py``
declares, a database made before them adopts them, and the app's start applies them once."""

from datetime import datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select, text

from {{ cookiecutter.package_name }}.data import migrate
{%- if cookiecutter.sample_data == "nycflights13" %}
from {{ cookiecutter.package_name }}.data.schema import metadata, saved_views
{%- if cookiecutter.__db_parquet %}
from {{ cookiecutter.package_name }}.data.source import load_database
{%- endif %}
{%- else %}
from {{ cookiecutter.package_name }}.data.schema import metadata, notes
{%- endif %}
from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable


def upgraded(engine: Engine) -> None:
    """``engine``'s database brought to the newest migration, as the app does at its start."""
    with engine.connect() as con:
        migrate.upgrade(con)
        con.commit()


def test_the_migrations_build_what_the_schema_declares(scratch_engine):
    upgraded(scratch_engine)
    with scratch_engine.connect() as con:
        assert migrate.is_current(con)
        command.check(migrate.alembic_config(con))  # raises on any difference, a table missing


def test_an_upgrade_with_nothing_to_do_changes_nothing(scratch_engine):
    upgraded(scratch_engine)
    upgraded(scratch_engine)  # the next start: one query finds it current
    with scratch_engine.connect() as con:
        assert migrate.is_current(con)


def test_a_migration_that_fails_leaves_nothing_behind(scratch_engine, monkeypatch):
    real_upgrade = command.upgrade

    def upgrade_then_fail(config: Config, revision: str) -> None:
        real_upgrade(config, revision)  # every step ran, in the caller's transaction
        raise RuntimeError("a later step failed")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with scratch_engine.connect() as con, pytest.raises(RuntimeError, match="later step"):
        migrate.upgrade(con)
    with scratch_engine.connect() as con:  # rolled back whole: no table, no version
        assert inspect(con).get_table_names() == []


def test_a_database_a_newer_version_migrated_is_refused_with_a_message(scratch_engine):
    upgraded(scratch_engine)
    with scratch_engine.begin() as con:
        con.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with scratch_engine.connect() as con, pytest.raises(DatabaseUnavailable) as refused:
        migrate.upgrade(con)
    assert "migration 0099, newer than this version of the app" in str(refused.value)
    assert refused.value.retry is False  # an operator must act


def test_a_database_made_before_the_migrations_adopts_them_and_keeps_its_rows(scratch_engine):
    with scratch_engine.begin() as con:
        metadata.create_all(con)  # as earlier versions of the app made their tables
{%- if cookiecutter.sample_data == "nycflights13" %}
        row = {"name": "Summer", "filters": "{}", "saved_at": datetime(2025, 7, 1)}
        con.execute(saved_views.insert().values(row))
{%- else %}
        row = {"id": "a" * 32, "body": "kept", "created_at": datetime(2025, 7, 1)}
        con.execute(notes.insert().values(row))
{%- endif %}
    upgraded(scratch_engine)
    with scratch_engine.connect() as con:
        assert migrate.is_current(con)
{%- if cookiecutter.sample_data == "nycflights13" %}
        assert con.execute(select(saved_views.c.name)).scalars().all() == ["Summer"]
{%- else %}
        assert con.execute(select(notes.c.body)).scalars().all() == ["kept"]
{%- endif %}
{%- if cookiecutter.sample_data == "nycflights13" %}


def test_views_saved_twice_in_two_cases_keep_the_newer_when_the_index_arrives(scratch_engine):
    with scratch_engine.connect() as con:
        command.upgrade(migrate.alembic_config(con), "0001")  # before the unique index
        for name, day in (("Summer", 1), ("summer", 2), ("Winter", 3)):
            row = {"name": name, "filters": "{}", "saved_at": datetime(2025, 7, day)}
            con.execute(saved_views.insert().values(row))
        con.commit()
    upgraded(scratch_engine)
    with scratch_engine.connect() as con:
        names = con.execute(select(saved_views.c.name)).scalars().all()
        assert sorted(names) == ["Winter", "summer"]
{%- if cookiecutter.__db_parquet %}


def test_a_loaded_database_from_before_the_migrations_adopts_them(scratch_engine):
    load_database(scratch_engine)  # the bulk tables now views over Parquet files
    with scratch_engine.begin() as con:
        con.execute(text("DROP TABLE alembic_version"))  # as earlier versions left it
    upgraded(scratch_engine)
    with scratch_engine.connect() as con:
        assert migrate.is_current(con)
        assert con.execute(text("SELECT count(*) FROM flights")).scalar_one() == 336_776
{%- endif %}
{%- endif %}
