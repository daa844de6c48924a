"""The worker: a process of its own that runs jobs one at a time, at a lower priority than the
server; and the supervisor that keeps ``config.JOB_WORKERS`` of them running beside a server.
One worker, in the foreground:

    uv run python -m {{ cookiecutter.package_name }}.jobs.worker
{% if cookiecutter.server == "asgi" %}
The server starts a supervisor of ``config.JOB_WORKERS`` workers: ``app.py``'s lifespan, or
under ``streamlit run``, which has none, ``resources/job_workers.py``. With ``0``, workers run
as processes (or pods) of their own, each started by the command above. A worker the server
started stops when the server is gone.
{%- else %}
The server starts a supervisor of ``config.JOB_WORKERS`` workers (``resources/job_workers.py``).
With ``0``, workers run as processes (or pods) of their own, each started by the command above.
A worker the server started stops when the server is gone.
{%- endif %}

On SIGTERM or SIGINT a worker gives its job ``STOP_SECONDS`` to end, then hands it back to the
queue (``queue.hand_back``) and exits. One killed mid-job leaves the job running with a lease
that nobody renews: the next worker to look (``queue.reclaim``, every
``records.HEARTBEAT_SECONDS``) queues it again, or fails it after ``records.MAX_ATTEMPTS`` runs.
"""

import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .. import logs
from ..config import DATABASE_URL, JOB_WORKERS, LOG_JSON
from ..errors import JobsUnavailable
from .records import HEARTBEAT_SECONDS

NICE = 10
"""How much lower a worker's CPU priority is than the server's: a job never slows a page."""

POLL_SECONDS = 0.1
"""How often an idle worker looks at the queue{% if cookiecutter.__db_server %} when no notice of a new job has come{% endif %}."""

STOP_SECONDS = 10.0
"""How long a stopping worker lets its job run on before it hands the job back to the queue;
the supervisor kills a worker that has not exited ``STOP_SECONDS`` later still."""

ALIVE = Path(tempfile.gettempdir()) / "job-worker-alive"
"""Touched every ``records.HEARTBEAT_SECONDS`` while a worker runs: a container's liveness
probe reads its age (a worker serves no HTTP)."""

PARENT = "JOB_WORKER_PARENT"
"""The environment variable that names the server's process to the workers it starts."""

RESTART_SECONDS = (1.0, 30.0)
"""The supervisor's wait before it restarts a worker that died: the first, then doubled to
the second at most while workers keep dying."""

logger = logging.getLogger(__name__)


def main() -> None:
    """Run one worker until SIGTERM or SIGINT, or until the process that started it is gone."""
    # Imported here: the server imports this module for ``supervised`` alone.
    from .queue import broker, hand_back, reclaim

    if LOG_JSON:
        logs.configure_json(logs.secret_strings({}, [DATABASE_URL]), level=logging.INFO)
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    os.nice(NICE)
    huey, _ = broker()
    server = os.environ.get(PARENT)  # none for a worker started on its own

    def look_after() -> None:
        while True:
            ALIVE.touch()
            try:
                reclaim()
            except JobsUnavailable as error:  # try again on the next round
                logger.warning("Reclaiming jobs failed: %s", error)
            if server and os.getppid() != int(server):
                os.kill(os.getpid(), signal.SIGTERM)  # its server died: stop with it
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=look_after, daemon=True).start()
    consumer = huey.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        initial_delay=POLL_SECONDS,
        max_delay=POLL_SECONDS,
        graceful_signal="TERM",  # SIGTERM (Kubernetes, compose, the supervisor) ends the job first
        shutdown_timeout=STOP_SECONDS,
    )
    consumer.run()  # until a signal, then the job's STOP_SECONDS
    for record in hand_back():
        logger.warning("Handed job %s back to the queue: this worker is stopping", record.id)


class Supervisor:
    """Keeps ``count`` worker processes running: starts them, restarts one that dies, and
    stops them all (SIGTERM, then SIGKILL after ``STOP_SECONDS``)."""

    def __init__(self, count: int, env: Mapping[str, str] | None = None) -> None:
        self.count = count
        self.env = dict(env) if env is not None else None
        self.processes: list[subprocess.Popen[bytes]] = []
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="job-workers", daemon=True)

    def start(self) -> None:
        """Start the workers, and the thread that restarts them."""
        self.processes = [self._spawn() for _ in range(self.count)]
        self.watcher.start()

    def stop(self) -> None:
        """Stop every worker: each ends its job first, for ``STOP_SECONDS`` at most."""
        self.stopping.set()
        if self.watcher.is_alive():
            self.watcher.join()  # within a second: it restarts nothing from now on
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 2 * STOP_SECONDS
        for process in self.processes:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = {**(self.env if self.env is not None else os.environ), PARENT: str(os.getpid())}
        return subprocess.Popen([sys.executable, "-m", __name__], env=env)

    def _watch(self) -> None:
        wait = RESTART_SECONDS[0]
        while not self.stopping.wait(1.0):
            for index, process in enumerate(self.processes):
                if process.poll() is None or self.stopping.is_set():
                    continue
                logger.warning(
                    "Job worker %d exited (%s); restarting it", process.pid, process.returncode
                )
                if self.stopping.wait(wait):
                    return
                self.processes[index] = self._spawn()
                wait = min(wait * 2, RESTART_SECONDS[1])


_supervising: list[Supervisor] = []  # the supervised() blocks open in this process


@contextmanager
def supervised(count: int = JOB_WORKERS) -> Iterator[Supervisor | None]:
    """``count`` workers kept running for the ``with`` block, then stopped; none for 0."""
    if count <= 0:
        yield None
        return
    supervisor = Supervisor(count)
    supervisor.start()
    _supervising.append(supervisor)
    try:
        yield supervisor
    finally:
        _supervising.remove(supervisor)
        supervisor.stop()


def supervising() -> bool:
    """Whether a ``supervised`` block keeps workers running in this process (a lifespan)."""
    return bool(_supervising)


if __name__ == "__main__":
    main()
