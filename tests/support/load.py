"""K concurrent browser tabs on a Streamlit app, over its websocket (``session.py``): the load
of ``bench/load.py`` and ``bench/scale.py``, and of the replica tests.

Each tab opens on "/", then, until the deadline and with no think time, switches to a random
page among the app's pages, and on Explore changes one filter to one of a few popular views
(``filter_change``). ``LoadResult.line`` sums it up: sessions, reruns per second, p50 and
p95 latency in ms, errors, and the load generator's own CPU time per rerun (it shares the
machine with the servers).

A rerun's latency runs from sending it to the end of the run it started. An error is a rerun
whose page shows an exception, a tab that fails to open, a socket that closes, or a rerun
that does not finish in time; after one, the tab reconnects (closed socket) or opens anew.
"""

import asyncio
import math
import random
import time
from dataclasses import dataclass, field

from .session import ProtocolError, Session, SessionClosed

CARRIERS, MONTHS = "explore.carriers", "explore.months"
"""The Explore filters the tabs change (absent on other apps: those only switch pages)."""

MONTH_RANGES = ([1, 12], [1, 3], [6, 8])
"""The month ranges the tabs pick from."""

GRACE = 30.0
"""Seconds a rerun started before the deadline may still take; later, it counts as an error."""

MAX_RERUNS = 200_000
"""At most this many reruns in one call, whatever the duration."""


@dataclass
class LoadResult:
    """What ``run_load`` measured."""

    sessions: int
    seconds: float
    """Wall time from the start of the loop (all tabs open) to the last rerun's end."""
    reruns: int
    """Reruns that finished (page switches and filter changes; not the first loads)."""
    errors: int
    latencies_ms: list[float] = field(default_factory=list)
    """One per finished rerun, in ms."""
    client_cpu_s: float = 0.0
    """CPU time this process spent (user + system), from opening the tabs to the end."""
    opens: int = 0
    """Tabs opened, the first ones and those reopened after an error."""

    @property
    def per_second(self) -> float:
        """Finished reruns per second of ``seconds``."""
        return self.reruns / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50(self) -> float:
        """Median latency in ms (NaN without reruns)."""
        return percentile(self.latencies_ms, 50)

    @property
    def p95(self) -> float:
        """95th percentile latency in ms (NaN without reruns)."""
        return percentile(self.latencies_ms, 95)

    @property
    def cpu_ms_per_rerun(self) -> float:
        """The load generator's CPU time per finished rerun (first loads included), in ms."""
        done = self.reruns + self.opens
        return self.client_cpu_s * 1000 / done if done else math.nan

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"sessions={self.sessions} reruns/s={self.per_second:.1f} p50={self.p50:.1f}ms "
            f"p95={self.p95:.1f}ms errors={self.errors} reruns={self.reruns} "
            f"seconds={self.seconds:.1f} client_cpu/rerun={self.cpu_ms_per_rerun:.2f}ms"
        )


def percentile(values: list[float], percent: float) -> float:
    """The nearest-rank ``percent`` percentile of ``values`` (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def filter_change(session: Session, rng: random.Random) -> dict[str, object] | None:
    """One Explore filter change, to one of a few popular views: no carrier or one of the first
    three, all months, the first quarter or the summer. None when the page has neither filter.

    Few views, as when users share links: after the warm-up, reruns read the caches, so the
    load measures the app's processes, not a stream of database queries.
    """
    widgets = session.widgets
    choices: list[dict[str, object]] = []
    if (carriers := widgets.get(CARRIERS)) is not None:
        choices.append({CARRIERS: rng.choice([[], *([o] for o in carriers.options[:3])])})
    if (months := widgets.get(MONTHS)) is not None and months.min is not None:
        low, high = int(months.min), int(months.max if months.max is not None else months.min)
        ranges = [r for r in MONTH_RANGES if low <= r[0] <= r[1] <= high] or [[low, high]]
        choices.append({MONTHS: rng.choice(ranges)})
    return rng.choice(choices) if choices else None


@dataclass
class _Tally:
    reruns: int = 0
    errors: int = 0
    opens: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    loop_end: float = 0.0
    """When the last tab stopped rerunning (monotonic seconds)."""


async def _tab(
    base_url: str, rng: random.Random, start: asyncio.Event, deadline: list[float], tally: _Tally
) -> None:
    """One tab: open, wait until every tab is open, then rerun until the deadline."""

    def left() -> float:  # seconds until the hard stop: the deadline (once set) plus GRACE
        return max(0.1, (deadline[0] or time.monotonic() + GRACE) + GRACE - time.monotonic())

    async def reopen() -> Session | None:
        try:
            opened = await Session.open(base_url, timeout=left())
        except (SessionClosed, ProtocolError, TimeoutError):
            tally.errors += 1
            await asyncio.sleep(0.2)  # a server that refuses tabs is not hammered
            return None
        tally.opens += 1
        tally.errors += len(opened.errors)
        return opened

    session = await reopen()
    try:
        await start.wait()
        while time.monotonic() < deadline[0] and tally.reruns < MAX_RERUNS:
            if session is None:
                session = await reopen()
                continue
            shown = len(session.errors)
            change = filter_change(session, rng) if session.page == "explore" else None
            page: str | None = None
            if change is None or rng.random() < 0.5:  # on Explore, half the reruns are filters
                page, change = rng.choice(sorted(session.pages)), None
            try:
                ms = await session.rerun(page, change, timeout=min(session.timeout, left()))
                tally.reruns += 1
                tally.latencies_ms.append(ms)
            except SessionClosed:  # the socket dropped: come back as the browser does
                tally.errors += 1
                try:
                    await session.reconnect(timeout=left())
                except (SessionClosed, TimeoutError):
                    tally.errors += 1
                    await session.close()
                    session = None
            except (TimeoutError, ProtocolError):  # the stream is unusable: a new tab
                tally.errors += 1
                await session.close()
                session = None
            if session is not None:
                tally.errors += len(session.errors) - shown
        tally.loop_end = max(tally.loop_end, time.monotonic())
    finally:
        if session is not None:
            await session.close()


async def run_load(base_url: str, sessions: int, seconds: float, seed: int = 0) -> LoadResult:
    """Drive ``base_url`` with ``sessions`` concurrent tabs for ``seconds`` seconds.

    The tabs open first (at most ``GRACE`` s, failures counted as errors), then all rerun
    until the deadline; a rerun under way at the deadline may finish within ``GRACE`` s, after
    which it counts as an error. At most ``MAX_RERUNS`` reruns in all. ``seed`` makes the
    choices of pages and filters repeatable (not their interleaving).

    Returns:
        The counts, every latency, and this process's CPU time. Never raises for what the
        server does: failures are counted in ``errors``.
    """
    tally, start, deadline = _Tally(), asyncio.Event(), [0.0]
    cpu = time.process_time()
    tasks = [
        asyncio.create_task(_tab(base_url, random.Random(f"{seed}-{i}"), start, deadline, tally))
        for i in range(sessions)
    ]
    opening_until = time.monotonic() + GRACE
    while tally.opens + tally.errors < sessions and time.monotonic() < opening_until:
        await asyncio.sleep(0.05)
    began = time.monotonic()
    deadline[0] = began + seconds
    start.set()
    # Each rerun's own timeout ends it by deadline + GRACE; this bounds the rest (closing).
    done, late = await asyncio.wait(tasks, timeout=seconds + 2 * GRACE)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for task in done:
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error  # a bug in this client, not the server's doing
    return LoadResult(
        sessions=sessions,
        seconds=(tally.loop_end or time.monotonic()) - began,
        reruns=tally.reruns,
        errors=tally.errors + len(late),
        latencies_ms=tally.latencies_ms,
        client_cpu_s=time.process_time() - cpu,
        opens=tally.opens,
    )
