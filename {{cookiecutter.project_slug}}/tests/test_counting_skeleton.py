"""The cache's promises, pinned by counting: queries run and rows sent to the browser.
Nothing here is timed."""

from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import cached, queries
from {{ cookiecutter.package_name }}.data.queries import LIST_LIMIT
from {{ cookiecutter.package_name }}.data.source import load_database
from {{ cookiecutter.package_name }}.resources.database import database

from .conftest import ENTRYPOINT, SIGNED_IN


def _session() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    return at.run()  # the one page: Home


def test_a_cached_query_runs_once_per_distinct_key_across_reruns_and_sessions(monkeypatch):
    runs: list[str] = []
    query = queries.recent_notes

    def counted(con, search=""):
        runs.append(search)
        return query(con, search)

    monkeypatch.setattr(queries, "recent_notes", counted)
    cached.recent_notes.clear()
    for _ in range(2):  # two sessions, each searching the same words in turn
        at = _session()
        for search in ("milk", "tea", "milk", ""):
            at.text_input(key="home.search").input(search).run()
        assert not at.exception
    assert sorted(runs) == ["", "milk", "tea"]


def test_the_browser_gets_no_more_notes_than_the_list_cap():
    load_database(database())  # the schema, as a page gets it
    with database().connect() as con:
        for n in range(LIST_LIMIT + 1):
            queries.add_note(con, f"note {n}")
    cached.recent_notes.clear()
    at = _session()
    assert len(at.dataframe[0].value) == LIST_LIMIT
