"""The first-run load as the pages start it: one per process, in a worker, retried on failure."""

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from {{ cookiecutter.package_name }}.components import loading


@pytest.fixture
def no_load_yet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The database looks empty, and the process has started no load."""
    monkeypatch.setattr(loading, "is_ready", lambda con: False)
    loading.database_load.clear()
    yield
    loading.database_load.clear()


def test_every_session_watches_the_same_load_which_runs_in_a_worker(no_load_yet, monkeypatch):
    release, threads = threading.Event(), []

    def slow_load(engine: Engine, progress: loading.Progress) -> bool:
        threads.append(threading.current_thread())
        progress(0.5, "Loading flights")
        return release.wait(timeout=30)

    monkeypatch.setattr(loading, "load_database", slow_load)
    first = loading.database_load()
    second = loading.database_load()  # another session, while the first load runs
    assert second is first and not first.result.done()
    release.set()
    assert first.result.result(timeout=30) is True
    assert len(threads) == 1 and threads[0] is not threading.current_thread()
    assert first.progress.what == "Loading flights"


def test_a_failed_load_is_dropped_so_the_next_visit_starts_another(no_load_yet, monkeypatch):
    attempts: list[int] = []

    def failing_load(engine: Engine, progress: loading.Progress) -> bool:
        attempts.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(loading, "load_database", failing_load)
    first = loading.database_load()
    assert isinstance(first.result.exception(timeout=30), OSError)
    second = loading.database_load()
    assert second is not first
    second.result.exception(timeout=30)
    assert attempts == [1, 1]
