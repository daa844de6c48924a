"""Background jobs: their records, the queue (``jobs/queue.py``), a worker process of its own,
and the Jobs page. A job's body runs here in-process through ``queue.run``, the task a worker
runs, so each outcome is checked without waiting for a worker; one test runs a real one."""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

{% if cookiecutter.server == "asgi" -%}
from {{ cookiecutter.package_name }} import metrics
{% endif -%}
from {{ cookiecutter.package_name }}.data import profile
from {{ cookiecutter.package_name }}.jobs import queue
from {{ cookiecutter.package_name }}.jobs.catalog import JOBS, JobSpec
{%- if cookiecutter.server == "asgi" %}
from {{ cookiecutter.package_name }}.jobs.counts import JobCounts
{%- endif %}
from {{ cookiecutter.package_name }}.jobs.records import (
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    JobRecord,
    JobState,
    utc_now,
)
from {{ cookiecutter.package_name }}.jobs.worker import Supervisor

from .conftest import ENTRYPOINT, IMPORTS_DIR_VARIABLE, SIGNED_IN

ROWS = "species,mass\nAdelie,3750\nGentoo,\nChinstrap,3800\n"
"""A data file of 3 rows and 2 columns, one mass missing."""


@pytest.fixture
def imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty queue, and ``IMPORTS_DIR`` a folder holding ``birds.csv`` (``ROWS``)."""
    (tmp_path / "birds.csv").write_text(ROWS)
    monkeypatch.setattr(profile, "IMPORTS_DIR", tmp_path)
    huey, _ = queue.broker()
    huey.flush()
    yield tmp_path
    huey.flush()


def test_a_record_reads_back_as_it_was_written() -> None:
    now = utc_now()
    record = JobRecord("1", "profile", {"file": "a.csv"}, "a.csv", now).started(now)
    assert JobRecord.from_json(record.to_json()) == record
    assert record.state is JobState.RUNNING and record.attempts == 1
    assert not record.lease_expired(now + timedelta(seconds=LEASE_SECONDS))
    assert record.lease_expired(now + timedelta(seconds=LEASE_SECONDS + 1))


def test_a_double_click_makes_one_job_and_a_queued_one_cancels_at_once(imports: Path) -> None:
    first = queue.submit("profile", {"file": "birds.csv"}, key="profile:birds.csv")
    again = queue.submit("profile", {"file": "birds.csv"}, key="profile:birds.csv")
    assert again.id == first.id
    assert queue.queue_positions() == {first.id: 1}

    cancelled = queue.cancel(first.id)
    assert cancelled is not None and cancelled.state is JobState.CANCELLED
    assert queue.queue_positions() == {first.id: 1}  # revoked: a worker skips it
    queue.run(first.id)  # what a worker does when it takes it
    record = queue.get(first.id)
    assert record is not None and record.state is JobState.CANCELLED and record.attempts == 0
    later = queue.submit("profile", {"file": "birds.csv"}, key="profile:birds.csv")
    assert later.id != first.id  # the key's job has ended: a new one


def test_a_job_ends_done_failed_or_cancelled_with_what_it_found(imports: Path) -> None:
    done = queue.submit("profile", {"file": "birds.csv"})
    queue.run(done.id)
    record = queue.get(done.id)
    assert record is not None and record.state is JobState.DONE
    assert record.percent == 100 and record.attempts == 1 and record.ended_at is not None
    assert record.result == "3 rows, 2 columns; most missing: mass (1)"

    failed = queue.submit("profile", {"file": "gone.csv"})
    queue.run(failed.id)
    record = queue.get(failed.id)
    assert record is not None and record.state is JobState.FAILED
    assert record.error.startswith("FileNotFoundError: gone.csv is not a CSV or Parquet file")

    running = queue.submit("profile", {"file": "birds.csv"})
    queue.broker()[0].storage.put_data(f"cancel:{running.id}", b"1")  # cancelled while running
    queue.run(running.id)
    record = queue.get(running.id)
    assert record is not None and record.state is JobState.CANCELLED
    assert record.error == "Cancelled while running" and record.attempts == 1


{% if cookiecutter.server == "asgi" -%}
def test_the_series_count_the_jobs_by_state_and_time_each_that_ended_once(imports: Path) -> None:
    counts = JobCounts(since=utc_now())
    registry = metrics.REGISTRY

    def timed(state: str) -> float:
        labels = {"job": "profile", "state": state}
        return registry.get_sample_value("app_job_seconds_count", labels) or 0.0

    before = {state: timed(state) for state in ("Done", "Failed")}
    for file in ("birds.csv", "gone.csv"):  # one ends Done, one Failed
        queue.run(queue.submit("profile", {"file": file}).id)
    queue.submit("profile", {"file": "birds.csv"})  # and one waits in the queue
    counts.update()
    counts.update()  # a second scrape times nothing again
    jobs = {
        state.value: registry.get_sample_value("app_jobs", {"job": "profile", "state": state})
        for state in JobState
    }
    assert jobs == {"Queued": 1, "Running": 0, "Done": 1, "Failed": 1, "Cancelled": 0}
    assert {state: timed(state) - before[state] for state in before} == {"Done": 1, "Failed": 1}
    JobCounts(since=utc_now()).update()  # a process that started after they ended
    assert timed("Done") == before["Done"] + 1


{% endif -%}
def test_a_job_whose_worker_died_runs_again_then_fails(imports: Path) -> None:
    job = queue.submit("profile", {"file": "birds.csv"})
    huey, _ = queue.broker()
    assert huey.dequeue().id == job.id  # a worker takes it
    stale = utc_now() - timedelta(seconds=LEASE_SECONDS + 1)  # its last renewal
    record = queue.get(job.id)
    assert record is not None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run_started = stale - timedelta(seconds=attempt)  # each run, its own start
        dead = replace(record.started(run_started), attempts=attempt)
        huey.storage.put_data(f"job:{job.id}", dead.to_json())
        (record,) = queue.reclaim()
        assert queue.reclaim() == []  # one worker acts on each lease
        if attempt < MAX_ATTEMPTS:
            assert record.state is JobState.QUEUED and queue.queue_positions() == {job.id: 1}
            assert huey.dequeue().id == job.id
    assert record.state is JobState.FAILED
    assert record.error == f"Its worker stopped during each of its {MAX_ATTEMPTS} runs"


def test_a_stopping_worker_hands_its_job_back_and_the_run_stops(
    imports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def waits(progress: Callable[[float, str], None]) -> str:
        progress(0.5, "Waiting")
        release.wait(10)
        progress(0.9, "Nearly done")  # raises: the run was handed back
        return "never"

    monkeypatch.setitem(JOBS, "waits", JobSpec("Wait", waits, lambda _: "nothing"))
    job = queue.submit("waits", {})
    huey, _ = queue.broker()
    assert huey.dequeue().id == job.id  # a worker takes it
    running = threading.Thread(target=queue.run, args=(job.id,))
    running.start()
    deadline = time.monotonic() + 10
    while (record := queue.get(job.id)) and record.percent < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    (handed,) = queue.hand_back()
    release.set()
    running.join(10)
    record = queue.get(job.id)
    assert record == handed and record.state is JobState.QUEUED and record.attempts == 0
    assert queue.queue_positions() == {job.id: 1}


def test_only_the_newest_ended_jobs_are_kept(imports: Path) -> None:
    huey, _ = queue.broker()
    ended = []
    for minutes in range(queue.KEPT + 2):
        at = utc_now() - timedelta(minutes=minutes)
        record = JobRecord(f"old{minutes}", "profile", {}, "", at).ended(JobState.DONE, at)
        huey.storage.put_data(f"job:{record.id}", record.to_json())
        ended.append(record.id)
    huey.storage.put_data("key:oldest", ended[-1].encode())
    queue.submit("profile", {"file": "birds.csv"})
    kept = {record.id for record in queue.recent(limit=1000)}
    assert kept >= set(ended[: queue.KEPT]) and kept.isdisjoint(ended[queue.KEPT :])
    assert not huey.storage.has_data_for_key("key:oldest")


def test_a_worker_process_runs_a_job_to_the_end(
    imports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(IMPORTS_DIR_VARIABLE, str(imports))  # for the worker process
    job = queue.submit("profile", {"file": "birds.csv"})
    workers = Supervisor(1)
    workers.start()
    try:
        deadline = time.monotonic() + 30
        while (record := queue.get(job.id)) and record.active and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        workers.stop()
    assert record is not None and record.state is JobState.DONE, record
    assert all(process.poll() is not None for process in workers.processes)


def test_the_jobs_page_submits_lists_and_cancels(imports: Path) -> None:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30)
    at.user = SIGNED_IN
    at.switch_page("app_pages/jobs.py").run()
    assert not at.exception
    assert "No jobs yet." in [caption.value for caption in at.caption]
    assert at.selectbox[0].options == ["birds.csv"]

    at.button[0].click().run()  # Profile: no worker runs here, so it stays queued
    assert not at.exception
    (record,) = queue.recent()
    assert record.state is JobState.QUEUED
    assert any("number 1 in line" in caption.value for caption in at.caption)
    at.button(key=f"cancel-{record.id}").click().run()
    assert not at.exception
    assert queue.get(record.id).state is JobState.CANCELLED  # type: ignore[union-attr]
    assert any(":orange-badge[Cancelled]" in text.value for text in at.markdown)


def test_the_jobs_page_says_so_while_the_queue_is_out_of_reach(
    imports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise queue.STORE_ERRORS[0]("the queue's store is gone")

    for method in ("result_items", "put_if_empty", "put_data"):
        monkeypatch.setattr(type(queue.broker()[0].storage), method, unreachable)
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30)
    at.user = SIGNED_IN
    at.switch_page("app_pages/jobs.py").run()
    at.button[0].click().run()  # Profile
    assert not at.exception
    reason = "The job queue can't be reached (the queue's store is gone)."
    assert [warning.value for warning in at.warning] == [
        f"{reason} Try again in a moment.",
        f"{reason} The other pages work as usual.",
    ]


def test_the_first_job_starts_the_workers_unless_a_lifespan_runs_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Under streamlit run the first job starts them; under uvicorn app.py's lifespan has.
    from {{ cookiecutter.package_name }}.jobs import worker
    from {{ cookiecutter.package_name }}.resources import job_workers as resource

    started: list[int] = []

    class Recorded(Supervisor):
        def start(self) -> None:
            started.append(self.count)

        def stop(self) -> None:
            pass

    monkeypatch.setattr(resource, "Supervisor", Recorded)
    monkeypatch.setattr(resource, "JOB_WORKERS", 2)
    resource.job_workers.clear()
    monkeypatch.setattr(worker, "_supervising", [Recorded(2)])  # a lifespan's
    assert resource.job_workers() is None and started == []
    resource.job_workers.clear()
    monkeypatch.setattr(worker, "_supervising", [])
    assert resource.job_workers() is not None and started == [2]
    resource.job_workers.clear()
