"""Background jobs on a bake: what a CPU-heavy job costs the other sessions, what a second
worker buys, and how soon an idle worker starts a job.

    uv run --frozen python bench/jobs.py                    # 20 repetitions
    uv run --frozen python bench/jobs.py --repetitions 4   # CI's smoke run

Bakes the default project into ``bench/.work/jobs/`` and generates CSV files for its example
job (``data/profile.py``: one column a step, on one core) in an imports folder of its own.
The bake runs from this (the template's) environment, which holds its dependencies, ``src``
first on the path; this process imports its package to submit jobs and read their records,
as a page does. Side by side in one run:

- **switch**: the bake served by its production command (uvicorn, which starts one job worker
  beside it at nice 10), one session switching between Overview and Explore through the agent
  API; laps of idle switches and of switches while the worker profiles the big file, in turn;
- **start**: a small job submitted to that idle worker, from ``submitted_at`` to
  ``started_at`` in its record;
- **workers**: a batch of profile jobs run by one worker, then by two (the bake's
  ``Supervisor``, no server), each batch timed from the first submit to the last end.

Targets: a switch while the job runs at most 1.2x the idle median; two workers at least 1.7x
faster than one; submit to start at most 200 ms (median).
"""

import argparse
import asyncio
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

if not __package__:  # run as a file: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.bakes import bake_into, project_client
from tests.support.cluster import first_visit

WORK = Path(__file__).resolve().parent / ".work" / "jobs"
PREFIX = "FLIGHT_DELAYS"  # the default bake's settings' prefix
TARGETS = {"busy / idle switch": 1.2, "one / two workers": 1.7, "submit to start (ms)": 200}
BIG_ROWS = 6_000_000  # a few seconds of profiling: longer than a lap of busy switches
BATCH = 8  # jobs per batch; each about a second
BATCH_ROWS = 2_000_000


def write_csv(path: Path, rows: int) -> None:
    """``rows`` rows of four columns, unless the file is there already."""
    import duckdb

    if not path.exists():
        select = (
            f"SELECT i AS id, i % 97 AS a, 'x' || (i % 13) AS b, i / 3 AS c FROM range({rows}) t(i)"
        )
        duckdb.sql(f"COPY ({select}) TO '{path}' (HEADER)")


def wait(jobs: ModuleType, job_id: str, states: set[str], timeout: float = 120) -> Any:
    """The job's record, once its state is one of ``states``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = jobs.get(job_id)
        if record is not None and record.state.value in states:
            return record
        time.sleep(0.005)
    raise TimeoutError(f"job {job_id} not {states} within {timeout} s")


def measure_served(project: Path, jobs: ModuleType, n: int) -> tuple[list, list, list]:
    """Idle and busy switch times (ms), and submit-to-start times (ms)."""
    client = project_client(project)
    idle: list[float] = []
    busy: list[float] = []
    starts: list[float] = []
    with client.agent_api_home() as home:
        port = client.free_port()
        env = {**os.environ, "HOME": home}
        with client.serving(
            client.production_command(port), project, port, env=env, timeout=600
        ) as server:
            asyncio.run(first_visit(server.url, 600))
            first, _ = client.interact(server.url, {})
            session = first["session_id"]

            two = [page["url_path"] for page in first["pages"]][:2]  # Overview, Explore

            def switches(count: int) -> list[float]:
                pages = two * count
                return [
                    client.interact(server.url, {"session_id": session, "page": p})[1]
                    for p in pages[:count]
                ]

            switches(4)  # each page warm
            laps = max(2, n // 5)
            for _ in range(laps):
                idle += switches(n // laps)
                job = jobs.submit("profile", {"file": "big.csv"})
                wait(jobs, job.id, {"Running"})
                busy += switches(n // laps)
                if jobs.get(job.id).state.value != "Running":
                    print("  (the job ended before the lap did: make BIG_ROWS larger)")
                jobs.cancel(job.id)
                wait(jobs, job.id, {"Cancelled", "Done", "Failed"})
            for _ in range(n):
                job = jobs.submit("profile", {"file": "small.csv"})
                record = wait(jobs, job.id, {"Done", "Failed"})
                starts.append((record.started_at - record.submitted_at).total_seconds() * 1000)
    return idle, busy, starts


def measure_batch(worker: ModuleType, jobs: ModuleType, count: int) -> float:
    """Seconds for ``count`` workers to profile ``BATCH`` copies of the batch file."""
    jobs.broker()[0].flush()
    started = time.perf_counter()
    ids = [jobs.submit("profile", {"file": "batch.csv"}).id for _ in range(BATCH)]
    supervisor = worker.Supervisor(count)
    supervisor.start()
    try:
        for job_id in ids:
            wait(jobs, job_id, {"Done", "Failed"})
    finally:
        seconds = time.perf_counter() - started
        supervisor.stop()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=20, help="switches per kind")
    args = parser.parse_args()

    project = bake_into(WORK, {})
    imports = WORK / "imports"
    imports.mkdir(exist_ok=True)
    write_csv(imports / "big.csv", BIG_ROWS)
    write_csv(imports / "batch.csv", BATCH_ROWS)
    write_csv(imports / "small.csv", 10)
    os.environ.update(
        {
            f"{PREFIX}_IMPORTS_DIR": str(imports),
            f"{PREFIX}_DATA_DIR": tempfile.mkdtemp(prefix="jobs-"),
            "PYTHONPATH": str(project / "src"),  # the servers and workers import the bake's package
        }
    )
    sys.path.insert(0, str(project / "src"))
    jobs = importlib.import_module("flight_delays.jobs.queue")
    worker = importlib.import_module("flight_delays.jobs.worker")

    print("measuring page switches, idle and beside a running job ...", flush=True)
    idle, busy, starts = measure_served(project, jobs, args.repetitions)

    print("measuring a batch of jobs on one worker and on two ...", flush=True)
    one, two = [], []  # the server, and its worker, have stopped: the queue is the batch's
    for _ in range(2):  # interleaved, so a busy spell costs each alike
        one.append(measure_batch(worker, jobs, 1))
        two.append(measure_batch(worker, jobs, 2))

    results = {
        "switch idle ms": statistics.median(idle),
        "switch busy ms": statistics.median(busy),
        "busy / idle switch": statistics.median(busy) / statistics.median(idle),
        "batch one worker s": statistics.median(one),
        "batch two workers s": statistics.median(two),
        "one / two workers": statistics.median(one) / statistics.median(two),
        "submit to start (ms)": statistics.median(starts),
    }
    print(f"\npage switch, idle:         {' '.join(f'{t:.0f}' for t in idle)} ms")
    print(f"page switch, job running:  {' '.join(f'{t:.0f}' for t in busy)} ms")
    print(f"submit to start:           {' '.join(f'{t:.0f}' for t in starts)} ms")
    print(f"batch of {BATCH} jobs:           one worker {one} s, two workers {two} s\n")
    for name, value in results.items():
        line = f"{name:24} {value:8.2f}"
        if name in TARGETS:
            at_least = name == "one / two workers"
            met = value >= TARGETS[name] if at_least else value <= TARGETS[name]
            bound = f"{'>=' if at_least else '<='} {TARGETS[name]:g}"
            line += f"  (target {bound}: {'met' if met else 'MISSED'})"
        print(line)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
