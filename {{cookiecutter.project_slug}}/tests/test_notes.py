"""The example queries, against a scratch database of the project's kind."""

import pytest

from {{ cookiecutter.package_name }}.data import queries
from {{ cookiecutter.package_name }}.data.migrate import upgrade


@pytest.fixture
def con(scratch_engine):
    with scratch_engine.connect() as con:
        upgrade(con)  # the schema, as the app makes it
        con.commit()
        yield con


def test_notes_come_back_newest_first(con):
    for body in ("first", "second", "  third  "):
        queries.add_note(con, body)
    assert queries.recent_notes(con)["body"].tolist() == ["third", "second", "first"]


def test_search_matches_any_case_and_escapes_wildcards(con):
    for body in ("Buy MILK", "milk 100%", "tea"):
        queries.add_note(con, body)
    assert set(queries.recent_notes(con, "milk")["body"]) == {"Buy MILK", "milk 100%"}
    assert queries.recent_notes(con, "100%")["body"].tolist() == ["milk 100%"]
    assert queries.recent_notes(con, "_").empty


def test_the_list_is_bounded(con, monkeypatch):
    monkeypatch.setattr(queries, "LIST_LIMIT", 2)
    for body in "abc":
        queries.add_note(con, body)
    assert len(queries.recent_notes(con)) == 2


@pytest.mark.parametrize("body", ["", "   ", "x" * (queries.NOTE_MAX_CHARS + 1)])
def test_bad_notes_are_refused(con, body):
    with pytest.raises(queries.NoteError, match="needs 1 to"):
        queries.add_note(con, body)
    assert queries.recent_notes(con).empty
