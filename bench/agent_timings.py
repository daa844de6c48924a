"""Time a baked project's interactions on a real server, through Streamlit's agent API.

    python bench/agent_timings.py build/flight-delays uvicorn 20
    python bench/agent_timings.py build/flight-delays streamlit 20

Serves the project from its own ``.venv`` on loopback (uvicorn: its README's production
command; streamlit: ``streamlit run``), turns the agent API on from a user-level config in a
temporary HOME (never in the project), and prints median and p90, in ms, of each request's
round trip for: a cold first load (a new server process, then its first session; the data
already loaded), a warm first load (a new session), a page switch (cycling through every
page), and an Explore filter change (new filter combinations, then repeated ones). Load the
data once before, e.g. by opening the app. The seed of the benchmark in issue 4.
"""

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CARRIERS = [
    "United Air Lines Inc. (UA)",
    "American Airlines Inc. (AA)",
    "Delta Air Lines Inc. (DL)",
    "JetBlue Airways (B6)",
]


def post(port: int, body: dict) -> tuple[dict, float]:
    """One agent API request; its snapshot and round trip in ms. Raises on a failed run."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_stcore/agent/interact",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        snapshot = json.load(response)
    elapsed = (time.perf_counter() - start) * 1000
    if snapshot["status"] != "ready":
        raise RuntimeError(f"run ended {snapshot['status']!r}")
    return snapshot, elapsed


def serve(project: Path, server: str, port: int, home: str) -> subprocess.Popen:
    """Start the project's server and wait until ``/_stcore/health`` answers."""
    venv = project / ".venv" / "bin"
    if server == "uvicorn":
        command = [str(venv / "uvicorn"), "app:app", "--host", "127.0.0.1", "--port", str(port)]
    else:
        command = [str(venv / "streamlit"), "run", "streamlit_app.py", "--server.headless=true"]
        command += ["--server.address=127.0.0.1", f"--server.port={port}"]
    process = subprocess.Popen(
        command, cwd=project, env={"HOME": home, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    health = f"http://127.0.0.1:{port}/_stcore/health"
    while True:
        try:
            if urllib.request.urlopen(health, timeout=1).read() == b"ok":
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server exited") from None
            time.sleep(0.05)


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):7.1f}  p90 {p90:7.1f}  (n={len(ordered)})"


def main(project: Path, server: str, repetitions: int, port: int = 8621) -> None:
    home = tempfile.mkdtemp(prefix="bench-home-")
    (Path(home) / ".streamlit").mkdir()
    (Path(home) / ".streamlit" / "config.toml").write_text("[server]\nenableAgentApi = true\n")

    cold = []
    for _ in range(repetitions):
        process = serve(project, server, port, home)
        cold.append(post(port, {})[1])
        process.terminate()
        process.wait()

    process = serve(project, server, port, home)
    try:
        first, _ = post(port, {})
        session, pages = first["session_id"], [page["url_path"] for page in first["pages"]]
        warm = [post(port, {})[1] for _ in range(repetitions)]
        for page in pages:  # each page once, so what follows is warm
            post(port, {"session_id": session, "page": page})
        cycle = itertools.cycle(pages[1:] + pages[:1])
        switch = [
            post(port, {"session_id": session, "page": page})[1]
            for page in itertools.islice(cycle, repetitions)
        ]
        post(port, {"session_id": session, "page": "explore"})
        combos = [list(c) for r in (1, 2) for c in itertools.combinations(CARRIERS, r)]

        def change(carriers: list[str], months: list[int]) -> float:
            state = {"explore.carriers": carriers, "explore.months": months}
            return post(port, {"session_id": session, "widget_state": state})[1]

        new = [change(combos[i % len(combos)], [1 + i % 6, 7 + i % 6]) for i in range(repetitions)]
        repeated = [change(combos[i % 2], [1 + i % 2, 7 + i % 2]) for i in range(repetitions)]
    finally:
        process.terminate()
        process.wait()

    print(f"[{server}] cold first load:                       {summary(cold)}")
    print(f"[{server}] warm first load (new session):         {summary(warm)}")
    print(f"[{server}] page switch:                           {summary(switch)}")
    print(f"[{server}] Explore filter change, new filters:    {summary(new)}")
    print(f"[{server}] Explore filter change, cached filters: {summary(repeated)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2], int(sys.argv[3]))
