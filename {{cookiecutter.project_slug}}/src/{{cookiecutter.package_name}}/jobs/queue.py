"""The job queue, on Huey: submit, cancel and list jobs from any process, and run one in a
worker (``worker.py``).
{% if cookiecutter.__db_server %}
The queue and the records live in the app's own PostgreSQL, in Huey's ``huey_*`` tables: every
replica and every worker shares them, and a worker takes a new job at once
(``LISTEN``/``NOTIFY``).
{%- else %}
The queue and the records live in ``jobs.sqlite`` in ``DATA_DIR``, beside the database: a
file that the server and its worker process share (SQLite takes writers from several
processes; the embedded database takes one).
{%- endif %}

A record is JSON under ``job:<id>`` in Huey's key-value store (``records.JobRecord``). Only the
worker that runs a job writes its record, except to cancel one still queued; a cancel of a
running job is a flag (``cancel:<id>``) that its next checkpoint reads.
"""

import functools
import logging
{%- if not cookiecutter.__db_server %}
import sqlite3
{%- endif %}
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from uuid import uuid4

{% if cookiecutter.__db_server -%}
import psycopg
{% endif -%}
from huey import {% if cookiecutter.__db_server %}PostgresHuey{% else %}SqliteHuey{% endif %}
from huey.api import Huey, TaskWrapper
from huey.constants import EmptyData

from ..errors import JobsUnavailable
from .catalog import JOBS
from .records import (
    HEARTBEAT_SECONDS,
    MAX_ATTEMPTS,
    JobCancelled,
    JobRecord,
    JobState,
    utc_now,
)

STORE_ERRORS = ({% if cookiecutter.__db_server %}psycopg.Error{% else %}sqlite3.Error{% endif %}, OSError)
"""What the queue's store raises when it can't be reached or written."""

{%- if cookiecutter.__db_server %}

TABLE_PREFIX = "huey"
"""The queue's tables are ``huey_kv``, ``huey_task`` and so on, made by Huey itself; the
migrations leave them be (``migrations/env.py``)."""
{%- endif %}

KEPT = 100
"""Ended jobs whose records are kept, the newest; older ones are deleted on each submit."""

logger = logging.getLogger(__name__)


@functools.cache
def broker() -> tuple[Huey, TaskWrapper]:
    """The queue, made once per process, and its one task (``run``).

    Raises:
        JobsUnavailable: the queue's store can't be opened.
    """
    try:
{%- if cookiecutter.__db_server %}
        # The app's own connection settings, and its time limits (a dead server is an error).
        from ..resources.database import database, engine_options

        dsn = database().url.set(drivername="postgresql").render_as_string(hide_password=False)
        limits = engine_options()["connect_args"]
        huey: Huey = PostgresHuey(
            "jobs", dsn=dsn, table_prefix=TABLE_PREFIX, results=False, utc=True, **limits
        )
{%- else %}
        from ..config import DATA_DIR

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("jobs", filename=str(DATA_DIR / "jobs.sqlite"), results=False, utc=True)
{%- endif %}
    except STORE_ERRORS as error:
        raise JobsUnavailable(f"The job queue can't be opened ({error}).") from error
    return huey, huey.task(name="run_job")(run)


def _store() -> Huey:
    return broker()[0]


def submit(
    name: str, arguments: Mapping[str, Any], *, user: str = "", key: str | None = None
) -> JobRecord:
    """Queue a job of ``catalog.JOBS[name]`` with ``arguments`` (JSON values).

    With a ``key`` (say, the job's name and arguments), a second submit while a job of that key
    is queued or running returns that job instead: a double click makes one job.

    Returns:
        The queued job's record (or the running one's, for a repeated ``key``).

    Raises:
        KeyError: no job is named ``name``.
        JobsUnavailable: the queue can't be reached.
    """
    spec = JOBS[name]
    record = JobRecord(
        id=uuid4().hex,
        name=name,
        arguments=dict(arguments),
        summary=spec.summary(arguments),
        submitted_at=utc_now(),
        user=user,
    )
    with _unavailable_as_error():
        huey, task = broker()
        _save(record)  # before the key names it, so a second submit finds it
        if key is not None and not huey.storage.put_if_empty(f"key:{key}", record.id.encode()):
            holder = huey.storage.peek_data(f"key:{key}")
            earlier = None if holder is EmptyData else get(bytes(holder).decode())
            if earlier is not None and earlier.active:
                huey.storage.delete_data(f"job:{record.id}")
                return earlier
            huey.storage.put_data(f"key:{key}", record.id.encode())  # that one has ended
        huey.enqueue(task.s(record.id, id=record.id))
        _prune(huey)
    return record


def cancel(job_id: str) -> JobRecord | None:
    """Cancel a job: a queued one at once, a running one at its next checkpoint.

    Returns:
        The job's record as it is now, or None if there is no such job.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    with _unavailable_as_error():
        huey = _store()
        huey.storage.put_data(f"cancel:{job_id}", b"1")
        record = get(job_id)
        if record is not None and record.state is JobState.QUEUED:
            huey.revoke_by_id(job_id)  # the worker skips it if it takes it from the queue
            record = record.ended(JobState.CANCELLED, utc_now(), error="Cancelled while queued")
            _save(record)
        return record


def get(job_id: str) -> JobRecord | None:
    """The record of one job, or None if there is none.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    with _unavailable_as_error():
        data = _store().storage.peek_data(f"job:{job_id}")
    return None if data is EmptyData else JobRecord.from_json(bytes(data))


def recent(limit: int = 20, name: str | None = None) -> list[JobRecord]:
    """The ``limit`` newest jobs (of ``catalog.JOBS[name]`` only, if given), newest first,
    from every replica and worker.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    found = [r for r in records() if name is None or r.name == name]
    return sorted(found, key=lambda r: r.submitted_at, reverse=True)[:limit]


def queue_positions() -> dict[str, int]:
    """Each queued job's place in the queue (1 runs next), by id.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    with _unavailable_as_error():
        pending = _store().pending()
    return {task.id: place for place, task in enumerate(pending, start=1)}


def ping() -> None:
    """Reach the queue's store, for readiness.

    Raises:
        JobsUnavailable: it can't be reached.
    """
    with _unavailable_as_error():
        _store().storage.queue_size()


def run(job_id: str) -> None:
    """The task a worker runs: the job's function, with its lease renewed every
    ``HEARTBEAT_SECONDS`` while it runs and its record written at each checkpoint. A job that
    raises ends Failed, with the error; a cancelled one, Cancelled. Never raises, so Huey
    retries nothing: a job runs again only when a dead worker's lease runs out (``reclaim``).
    """
    record = get(job_id)
    if record is None or not record.active:  # cancelled, or ended elsewhere
        return
    current = _Run(record.started(utc_now()))
    beating = threading.Event()
    heart = threading.Thread(target=current.beat, args=(beating,), daemon=True)
    heart.start()
    try:
        result = JOBS[record.name].run(**record.arguments, progress=current.progress)
    except JobCancelled:
        current.end(JobState.CANCELLED, error="Cancelled while running")
    except Exception as error:
        logger.exception("Job %s (%s) failed", record.name, job_id)
        reason = "".join(traceback.format_exception_only(error)).strip()
        current.end(JobState.FAILED, error=reason)
    else:
        current.end(JobState.DONE, result=result)
    finally:
        beating.set()
        heart.join()
        _RUNS.pop(job_id, None)


class _Run:
    """A running job's record, in the worker: its progress and heartbeat write the whole
    record, one at a time, until it ends or is handed back."""

    def __init__(self, record: JobRecord) -> None:
        self.record = record
        self.lock = threading.Lock()
        self.handed_back = False
        _save(record)
        _RUNS[record.id] = self

    def progress(self, fraction: float, step: str) -> None:
        if self.handed_back or _store().storage.has_data_for_key(f"cancel:{self.record.id}"):
            raise JobCancelled(self.record.id)
        percent = max(0, min(100, round(fraction * 100)))
        self._write(percent=percent, step=step, heartbeat_at=utc_now())

    def beat(self, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            self._write(heartbeat_at=utc_now())

    def end(self, state: JobState, *, result: str = "", error: str = "") -> None:
        with self.lock:
            if self.handed_back:
                return
            self.record = self.record.ended(state, utc_now(), result=result, error=error)
            _save(self.record)
        _store().storage.delete_data(f"cancel:{self.record.id}")

    def hand_back(self) -> JobRecord:
        with self.lock:
            self.handed_back = True  # nothing more of this run reaches the record
            # Not counted against MAX_ATTEMPTS: the worker stopped on request, not by a fault.
            self.record = replace(self.record.requeued(), attempts=self.record.attempts - 1)
            _save(self.record)
        return self.record

    def _write(self, **changes: Any) -> None:
        with self.lock:
            if self.handed_back or not self.record.active:
                return
            self.record = replace(self.record, **changes)
            _save(self.record)


_RUNS: dict[str, _Run] = {}
"""The jobs running in this process, by id."""


def hand_back() -> list[JobRecord]:
    """Queue again every job still running in this process, for another worker to run from
    the start; a worker that must stop calls it once its jobs had their time to end. Each
    stops at its next checkpoint.

    Returns:
        The records as queued again.

    Raises:
        JobsUnavailable: the queue can't be reached (the jobs' leases then run out).
    """
    with _unavailable_as_error():
        huey, task = broker()
        records = [run.hand_back() for run in list(_RUNS.values())]
        for record in records:
            huey.enqueue(task.s(record.id, id=record.id))
    return records


def reclaim() -> list[JobRecord]:
    """Take back each running job whose worker stopped renewing its lease: queue it again if
    it has had fewer than ``MAX_ATTEMPTS`` runs, else end it Failed. Every worker calls this
    now and then; a lock per job and run makes one of them act.

    Returns:
        The records as reclaimed.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    with _unavailable_as_error():
        huey, task = broker()
        now, reclaimed = utc_now(), []
        for record in records():
            if not record.lease_expired(now):
                continue
            run = f"reclaim:{record.id}:{record.started_at}"  # one key per run of the job
            if not huey.storage.put_if_empty(run, b"1"):
                continue  # another worker took this one
            if record.attempts < MAX_ATTEMPTS:
                record = record.requeued()
                _save(record)
                huey.enqueue(task.s(record.id, id=record.id))
            else:
                error = f"Its worker stopped during each of its {record.attempts} runs"
                record = record.ended(JobState.FAILED, now, error=error)
                _save(record)
            reclaimed.append(record)
    return reclaimed


def records() -> list[JobRecord]:
    """Every job record in the store, in no order: the active ones and the ``KEPT`` newest
    ended ones, from every replica and worker.

    Raises:
        JobsUnavailable: the queue can't be reached.
    """
    with _unavailable_as_error():
        items = _store().storage.result_items()
    records = (value for key, value in items.items() if key.startswith("job:"))
    return [JobRecord.from_json(bytes(value)) for value in records]


def _save(record: JobRecord) -> None:
    _store().storage.put_data(f"job:{record.id}", record.to_json())


def _prune(huey: Huey) -> None:
    # The ended jobs past the KEPT newest go, with every key that names them.
    items = huey.storage.result_items()
    records = [JobRecord.from_json(bytes(v)) for k, v in items.items() if k.startswith("job:")]
    ended = sorted((r for r in records if not r.active), key=lambda r: r.submitted_at)
    gone = {record.id for record in ended[: max(0, len(ended) - KEPT)]}
    for key, value in items.items():
        kind, _, rest = key.partition(":")
        named = bytes(value).decode() if kind == "key" else rest.split(":")[0]
        if named in gone:
            huey.storage.delete_data(key)


@contextmanager
def _unavailable_as_error() -> Iterator[None]:
    try:
        yield
    except STORE_ERRORS as error:
        raise JobsUnavailable(f"The job queue can't be reached ({error}).") from error
