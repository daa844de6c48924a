"""The job tier's series (``metrics.JOBS``, ``metrics.JOB_SECONDS``), brought up to date from
the queue's store before each scrape of ``/metrics`` (``app.py``'s route).

Jobs run in worker processes that serve no HTTP, and their records are in the store that
every replica shares: so each replica reads the store, and reports the same values (a
dashboard takes their ``max``, not their sum). A replica times only the jobs that ended after
it started, once each.
"""

import threading
from collections import Counter
from datetime import datetime

from .. import metrics
from ..errors import JobsUnavailable
from . import queue
from .catalog import JOBS
from .records import JobState, utc_now


class JobCounts:
    """The job series of this process, and the ended jobs it has timed."""

    def __init__(self, since: datetime) -> None:
        self.since = since
        """Jobs that ended before this (UTC) are not timed: another process's to count."""
        self.timed: set[str] = set()
        """The ids of the jobs timed so far, among those still in the store."""
        self.lock = threading.Lock()  # scrapes may overlap

    def update(self) -> None:
        """Count the store's jobs by job and state, and time each job that ended since the
        last update (from its start to its end). A store out of reach changes nothing: the
        series keep their last values until the next scrape."""
        with self.lock:  # one scrape at a time: an older read must not undo a newer one
            try:
                records = queue.records()
            except JobsUnavailable:
                return
            counts = Counter((record.name, record.state) for record in records)
            for name in JOBS:
                for state in JobState:
                    metrics.JOBS.labels(name, state.value).set(counts[name, state])
            ended = {
                record.id: (record, (record.ended_at - record.started_at).total_seconds())
                for record in records
                if record.started_at and record.ended_at and record.ended_at > self.since
            }
            for job_id, (record, seconds) in ended.items():
                if job_id not in self.timed:
                    metrics.JOB_SECONDS.labels(record.name, record.state.value).observe(seconds)
            self.timed = set(ended)  # the ids pruned from the store go


JOB_COUNTS = JobCounts(since=utc_now())
"""This process's, made when ``app.py`` imports it at the server's start: it times the jobs
that end from then on."""
