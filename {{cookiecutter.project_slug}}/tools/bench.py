"""Time every page and keyed widget on the real server, to keep a budget (a development tool:
the image does not ship ``tools/``).

    uv run python tools/bench.py [--repetitions 20]

Starts the app with its production command on a free loopback port, with Streamlit's agent
API on (from a user config in a temporary HOME, never in the project), then visits every
page and drives each keyed widget, both ways, through the agent API: each request runs the
script on the server and returns the finished page. Prints the median and p90 round trip per
page switch and per interaction, in ms.

It uses your data folder and database like any visitor: give it the settings the server
needs in environment variables or in the project's ``.streamlit/``, as the temporary HOME
hides ``~/.streamlit/``. Form fields and submit buttons are left alone, as a submit may write
(save a view); so are widgets without a ``key``.

``serving`` and ``interact`` are the one serve-and-poll client of this project: the
template's own tests and benchmark use them too.
"""

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

Snapshot = dict[str, Any]
"""The agent API's answer: ``status``, ``session_id``, ``pages``, ``actions`` and ``tree``."""

SERVE = {{ cookiecutter.__serve | tojson }}
"""The README's serve command."""

PRODUCTION = SERVE.split()[2:]
"""The serve command's words after ``uv run``."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def production_command(port: int) -> list[str]:
    """The README's serve command, on ``port``, from this interpreter's environment."""
    command = [sys.executable, "-m", *PRODUCTION]
    flag = "--port" if "--port" in command else "--server.port"  # uvicorn, or streamlit run
    command[command.index(flag) + 1] = str(port)
    return command


class Server(NamedTuple):
    """A server that ``serving`` started: its base URL and its process ID."""

    url: str
    pid: int


@contextlib.contextmanager
def serving(
    command: list[str],
    cwd: Path,
    port: int,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 120,
) -> Iterator[Server]:
    """Run ``command``, a Streamlit server on 127.0.0.1:``port``, in ``cwd`` with ``env``
    (default: this process's); yield it once ``/_stcore/health`` answers, then stop it.

    The server's output goes to ``log`` (default: discarded).

    Raises:
        RuntimeError: the server exited, or did not answer within ``timeout`` seconds; the
            message ends with the log's last lines.
    """
    url = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("w")) if log else subprocess.DEVNULL
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        tail = log.read_text()[-3000:] if log else "(no log kept)"
                        raise RuntimeError(f"{command[:4]}: no health answer\n{tail}") from None
                    time.sleep(0.05)
            yield Server(url, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def agent_api_home() -> Iterator[str]:
    """A temporary HOME whose user config turns the agent API on, for a server's ``HOME``."""
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        (Path(home) / ".streamlit").mkdir()
        (Path(home) / ".streamlit" / "config.toml").write_text("[server]\nenableAgentApi = true\n")
        yield home


def interact(url: str, request: dict[str, Any]) -> tuple[Snapshot, float]:
    """One agent API request: the finished page, and the round trip in ms.

    Raises:
        urllib.error.HTTPError: the request was refused (e.g. a form field without its submit).
        RuntimeError: the script raised, or did not finish.
    """
    body = urllib.request.Request(
        f"{url}/_stcore/agent/interact",
        json.dumps(request).encode(),
        {"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(body, timeout=300) as response:
        snapshot = json.load(response)
    elapsed = (time.perf_counter() - start) * 1000
    if snapshot["status"] != "ready":
        raise RuntimeError(f"{request}: the run ended {snapshot['status']!r}")
    return snapshot, elapsed


def elements(tree: Snapshot) -> Iterator[Snapshot]:
    """Every element of a snapshot's tree, depth first."""
    yield tree
    for child in tree.get("children", []):
        yield from elements(child)


def other_value(element: Snapshot) -> Any:
    """A legal value for the widget ``element`` other than its current one, or None when
    there is none to pick (or the widget is of a kind this does not drive)."""
    value, props = element.get("value"), element.get("props", {})
    options = props.get("options") or []
    low, high, step = props.get("min_value"), props.get("max_value"), props.get("step") or 1
    if isinstance(value, bool):
        return not value
    if isinstance(value, list) and options:  # multiselect, multi pills
        return [] if value else options[:1]
    if isinstance(value, list) and len(value) == 2 and low is not None:  # range slider
        middle = low + (high - low) // 2 // step * step
        return [low, middle] if value != [low, middle] else [low, high]
    if isinstance(value, int | float) and low is not None and high is not None:
        return value + step if value + step <= high else value - step
    if isinstance(value, str) and options:  # selectbox, radio, select_slider, one pill
        return next((option for option in options if option != value), None)
    if isinstance(value, str):  # text input
        return "" if value else "bench"
    return None


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    return f"{statistics.median(ordered):8.1f} {p90:8.1f}"


def measure(url: str, repetitions: int) -> dict[str, list[float]]:
    """Round trips in ms per page switch (``page <title>``) and per interaction
    (``<page title>: <widget key>``), ``repetitions`` of each; skipped ones are absent."""
    first, _ = interact(url, {})
    session = first["session_id"]
    pages = {page["title"]: page["url_path"] for page in first["pages"]}
    times: dict[str, list[float]] = {}
    for _ in range(repetitions):
        for title, page in pages.items():
            _, ms = interact(url, {"session_id": session, "page": page})
            times.setdefault(f"page {title}", []).append(ms)
    for title, page in pages.items():
        snapshot, _ = interact(url, {"session_id": session, "page": page})
        widgets = {e["key"]: e for e in elements(snapshot["tree"]) if "key" in e}
        for action in snapshot["actions"]:
            key = action["key"]
            if key.startswith("$$ID-") or action["type"] == "form_submit_button":
                continue
            for _ in range(repetitions):
                if action["kind"] == "trigger":
                    request = {"session_id": session, "trigger": {"key": key}}
                else:
                    new = other_value(widgets.get(key, {}))  # gone: an earlier change hid it
                    if new is None:
                        break
                    request = {"session_id": session, "widget_state": {key: new}}
                try:
                    snapshot, ms = interact(url, request)
                except urllib.error.HTTPError as refused:
                    if refused.code >= 500:
                        raise
                    break  # e.g. a form field: it only changes with its submit
                widgets = {e["key"]: e for e in elements(snapshot["tree"]) if "key" in e}
                times.setdefault(f"{title}: {key}", []).append(ms)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every page and keyed widget.")
    parser.add_argument("--repetitions", type=int, default=20, help="requests per measure")
    args = parser.parse_args()
    project = Path.cwd()
    if not (project / "streamlit_app.py").exists():
        sys.exit("bench: run it from the project folder (where streamlit_app.py is)")
    port = free_port()
    with (
        agent_api_home() as home,
        serving(production_command(port), project, port, env={**os.environ, "HOME": home}) as app,
    ):
        interact(app.url, {})  # the first visit: loads the data if it must, warms the caches
        times = measure(app.url, args.repetitions)
    print(f"{'round trip, ms':44} {'median':>8} {'p90':>8}   (n={args.repetitions})")
    for name, values in times.items():
        print(f"{name:44} {summary(values)}")


if __name__ == "__main__":
    main()
