"""Throughput of one replica against two behind nginx, with K browser tabs on loopback.

    uv run --frozen python bench/scale.py                    # 20 tabs, 30 s a measure
    uv run --frozen python bench/scale.py --sessions 6 --seconds 5 --warmup 3   # CI's smoke run

Needs nginx (Debian's package) and a PostgreSQL server named by ``TEMPLATE_POSTGRES_URL`` (a
role that may create databases): ``.ci/run`` sets up both. Bakes ``deployment=compose``,
``database=postgresql`` into ``bench/.work/``, and serves its replicas from this (the
template's locked) environment by the bake's production command, on a scratch database.
A first visit loads the flights; then, for one replica direct and for two behind the
bake's nginx (``tests/support/cluster.py``): a warm-up, not counted, then the tabs of
``tests/support/load.py`` for the measured seconds. Prints reruns/s, p50 and p95 latency,
errors and each replica's resident memory after the warm-up and after the run; writes them as
JSON.
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a file, bench/scale.py: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import cluster
from tests.support.bakes import bake_into, project_client
from tests.support.load import LoadResult, run_load
from tests.support.postgres import scratch_database

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"


def measure(url: str, pids: list[int], args: argparse.Namespace) -> dict[str, object]:
    """Warm ``url`` up, then load it; the figures, with the RSS of each replica in ``pids``."""
    asyncio.run(run_load(url, args.sessions, args.warmup, seed=1))
    warm = [round(cluster.rss_mib(pid)) for pid in pids]
    result: LoadResult = asyncio.run(run_load(url, args.sessions, args.seconds))
    print(result.line(), flush=True)
    return {
        "replicas": len(pids),
        "reruns_per_s": round(result.per_second, 1),
        "p50_ms": round(result.p50),
        "p95_ms": round(result.p95),
        "errors": result.errors,
        "reruns": result.reruns,
        "rss_mib_after_warmup": warm,
        "rss_mib_after_run": [round(cluster.rss_mib(pid)) for pid in pids],
        "client_cpu_ms_per_rerun": round(result.cpu_ms_per_rerun, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent tabs")
    parser.add_argument("--seconds", type=float, default=30, help="length of each measure")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load not counted")
    parser.add_argument("--json", type=Path, default=BENCH / "results-scale.json")
    args = parser.parse_args()
    server_url = os.environ.get("TEMPLATE_POSTGRES_URL")
    if not server_url:
        sys.exit("bench/scale.py: set TEMPLATE_POSTGRES_URL to a PostgreSQL server (see .ci/run)")

    project = bake_into(WORK, {"deployment": "compose", "database": "postgresql"})
    client = project_client(project)
    rows = []
    with (
        scratch_database(server_url) as database,
        tempfile.TemporaryDirectory(prefix="bench-scale-") as work,
        contextlib.ExitStack() as stack,
    ):
        env = cluster.replica_env(project, database, secrets.token_urlsafe(32), Path(work))
        ports = [client.free_port(), client.free_port()]
        servers = []
        for index, port in enumerate(ports):
            log = Path(work) / f"replica-{index}.log"
            serving = client.serving(client.production_command(port), project, port, env, log,
                                     timeout=900)  # fmt: skip
            servers.append(stack.enter_context(serving))
        started = time.perf_counter()
        asyncio.run(cluster.first_visit(servers[0].url))  # loads the flights, once
        first_visit_s = time.perf_counter() - started
        print(f"first visit, loading the flights into PostgreSQL: {first_visit_s:.1f} s")
        print(f"{args.sessions} tabs, {args.seconds:.0f} s a measure after {args.warmup:.0f} s")
        print("1 replica, direct:", flush=True)
        rows.append(measure(servers[0].url, [servers[0].pid], args))
        conf = project / "deploy" / "nginx" / "app.conf"
        proxy = stack.enter_context(
            cluster.nginx(conf, client.free_port(), ports, Path(work) / "nginx")
        )
        print("2 replicas behind nginx:", flush=True)
        rows.append(measure(proxy.url, [s.pid for s in servers], args))

    one, two = rows
    ratio = float(str(two["reruns_per_s"])) / max(float(str(one["reruns_per_s"])), 1e-9)
    print(f"\nthroughput, 2 replicas behind nginx / 1 direct: {ratio:.2f} (target >= 1.7)")
    args.json.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/scale.py", *sys.argv[1:]]),
                "cores": os.cpu_count(),
                "sessions": args.sessions,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "first_visit_s": round(first_visit_s, 1),
                "runs": rows,
                "ratio": round(ratio, 2),
                "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
