"""Huey's two stores that the bakes use, side by side: how soon an idle worker starts a job,
and how many small jobs a second one worker runs.

    uv run --frozen python bench/brokers.py      # needs $TEMPLATE_POSTGRES_URL

- **SQLite**: ``SqliteHuey`` on a file in a temporary folder, as ``jobs.sqlite`` beside an
  embedded database; a worker polls it every 0.1 s (the bake's ``worker.POLL_SECONDS``).
- **PostgreSQL**: ``PostgresHuey`` on a scratch database of the PostgreSQL the tests use, as a
  bake on a database server has it; ``LISTEN``/``NOTIFY`` wakes the worker.

One Huey consumer runs in this process, one worker thread, polling as the bake's worker does.
**start**: a job enqueued while the worker is idle, from the enqueue to the first line of its
body; ``--jobs`` of them, one at a time. **throughput**: ``--batch`` jobs enqueued at once,
timed from the first enqueue to the last job's end. The figures back the choice written in
CONTRIBUTING.md (the library table).
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from huey import Huey, PostgresHuey, SqliteHuey
from sqlalchemy import make_url

if not __package__:  # run as a file: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.postgres import scratch_postgres

POLL_SECONDS = 0.1  # the bake's worker.POLL_SECONDS
WAIT_SECONDS = 30  # the longest wait for one job, or for a batch, before the run fails


@contextmanager
def sqlite_store() -> Iterator[Huey]:
    with tempfile.TemporaryDirectory() as folder:
        yield SqliteHuey("bench", filename=str(Path(folder) / "jobs.sqlite"), results=False)


@contextmanager
def postgres_store() -> Iterator[Huey]:
    with scratch_postgres() as url:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        huey = PostgresHuey("bench", dsn=dsn, table_prefix="huey", results=False)
        yield huey
        huey.storage.close()


def measure(huey: Huey, jobs: int, batch: int) -> tuple[list[float], float]:
    """Start latencies (ms, one per job) and a batch's throughput (jobs/s) on ``huey``."""
    started: dict[int, float] = {}

    @huey.task()  # type: ignore[untyped-decorator]  # Huey has no type hints
    def mark(number: int, enqueued: float) -> None:
        started[number] = (time.monotonic() - enqueued) * 1000

    consumer = huey.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        initial_delay=POLL_SECONDS,
        max_delay=POLL_SECONDS,
    )
    consumer.start()
    try:
        for number in range(jobs):
            time.sleep(POLL_SECONDS * 1.5)  # the worker idle, between two polls
            mark(number, time.monotonic())
            wait_for(started.__len__, number + 1, f"job {number}")
        latencies = [started[number] for number in range(jobs)]
        begun = time.monotonic()
        for number in range(jobs, jobs + batch):
            mark(number, time.monotonic())
        wait_for(started.__len__, jobs + batch, "the batch")
        throughput = batch / (time.monotonic() - begun)
    finally:
        consumer.stop(graceful=True)
    return latencies, throughput


def wait_for(count: Callable[[], int], reached: int, what: str) -> None:
    """Wait until ``count()`` is ``reached``, for ``WAIT_SECONDS`` at most."""
    deadline = time.monotonic() + WAIT_SECONDS
    while count() < reached:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not run within {WAIT_SECONDS} s")
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=40, help="jobs timed one at a time")
    parser.add_argument("--batch", type=int, default=400, help="jobs enqueued at once")
    args = parser.parse_args()
    print(f"{'store':<12} {'start median / p90 ms':>22} {'throughput jobs/s':>18}")
    for name, store in (("SQLite", sqlite_store), ("PostgreSQL", postgres_store)):
        with store() as huey:
            latencies, throughput = measure(huey, args.jobs, args.batch)
        p90 = statistics.quantiles(latencies, n=10)[-1]
        median = statistics.median(latencies)
        print(f"{name:<12} {median:>12.1f} / {p90:>6.1f} {throughput:>18.0f}")


if __name__ == "__main__":
    main()
