"""A job's record: what every replica and every session reads about one job, stored as JSON
beside the queue (``queue.py``). No Streamlit and no queue here, so each rule is tested alone."""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self

Progress = Callable[[float, str], None]
"""What a job calls at each checkpoint: the fraction done (0.0..1.0) and the step it starts.
It raises ``JobCancelled`` once someone has cancelled the job."""

HEARTBEAT_SECONDS = 5.0
"""How often a worker renews the lease of the job it runs."""

LEASE_SECONDS = 30.0
"""A running job whose worker has not renewed it for this long is taken back: its worker
died (killed, out of memory, its machine gone)."""

MAX_ATTEMPTS = 2
"""Runs of one job, at most: a job taken back from a dead worker runs once more, then fails."""


class JobCancelled(Exception):
    """Raised at a checkpoint of a job that someone cancelled: the job stops there."""


class JobState(StrEnum):
    """Where a job is; its value is what the screen shows."""

    QUEUED = "Queued"
    RUNNING = "Running"
    DONE = "Done"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


ACTIVE = frozenset({JobState.QUEUED, JobState.RUNNING})
"""The states a job can still leave: it may be cancelled, and its page keeps watching it."""


@dataclass(frozen=True)
class JobRecord:
    """One job, as submitted and as its worker last reported it. Times are UTC."""

    id: str
    name: str
    """Its name in ``catalog.JOBS``."""
    arguments: dict[str, Any]
    """Its keyword arguments, JSON values."""
    summary: str
    """What it works on, for the screen (from its arguments)."""
    submitted_at: datetime
    user: str = ""
    """Who submitted it: the signed-in email, or empty without sign-in."""
    state: JobState = JobState.QUEUED
    percent: int = 0
    """Progress, 0..100."""
    step: str = ""
    """What it is doing now (or did last)."""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    heartbeat_at: datetime | None = None
    """When its worker last renewed its lease (running jobs only)."""
    attempts: int = 0
    """Runs started so far."""
    result: str = ""
    """What it found or made, in a line, once done."""
    error: str = ""
    """Why it failed, once failed."""

    @property
    def active(self) -> bool:
        """Whether it is queued or running."""
        return self.state in ACTIVE

    def lease_expired(self, now: datetime) -> bool:
        """Whether it runs on a worker that stopped renewing its lease ``LEASE_SECONDS`` ago."""
        if self.state is not JobState.RUNNING or self.heartbeat_at is None:
            return False
        return (now - self.heartbeat_at).total_seconds() > LEASE_SECONDS

    def started(self, now: datetime) -> Self:
        """It, as a worker starts a run of it."""
        return replace(
            self,
            state=JobState.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=self.attempts + 1,
            percent=0,
            step="Starting",
        )

    def requeued(self) -> Self:
        """It, queued again after its worker stopped during a run."""
        return replace(
            self, state=JobState.QUEUED, heartbeat_at=None, step="Queued again: its worker stopped"
        )

    def ended(self, state: JobState, now: datetime, *, result: str = "", error: str = "") -> Self:
        """It, ended in ``state`` (done, failed or cancelled)."""
        percent = 100 if state is JobState.DONE else self.percent
        return replace(self, state=state, ended_at=now, percent=percent, result=result, error=error)

    def to_json(self) -> bytes:
        """Its stored form: a JSON object, times as ISO 8601 strings."""
        return json.dumps(asdict(self), default=datetime.isoformat).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Self:
        """A record read back from ``to_json``'s bytes.

        Raises:
            ValueError: not JSON, or a state or time that does not parse.
            TypeError: a field missing or unknown (a record of another version of this code).
        """
        values = json.loads(data)
        for field in ("submitted_at", "started_at", "ended_at", "heartbeat_at"):
            if values.get(field) is not None:
                values[field] = datetime.fromisoformat(values[field])
        values["state"] = JobState(values["state"])
        return cls(**values)


def utc_now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)
