"""``uv run bench``: time every page and keyed widget on the real server, to keep a budget.

Starts the app with its production command on a free loopback port, with Streamlit's agent
API on (from a user config in a temporary HOME, never in the project), then visits every
page and drives each keyed widget, both ways, through the agent API: each request runs the
script on the server and returns the finished page. Prints the median and p90 round trip per
page switch and per interaction, in ms.

It uses your data folder and database like any visitor: give it the settings the server
needs in environment variables or in the project's ``.streamlit/``, as the temporary HOME
hides ``~/.streamlit/``. Form fields and submit buttons are left alone, as a submit may write
(save a view); so are widgets without a ``key``.
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
from typing import Any

Snapshot = dict[str, Any]
"""The agent API's answer: ``status``, ``session_id``, ``pages``, ``actions`` and ``tree``."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(project: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the app from ``project`` as production does; yield its base URL, then stop it.

    Raises:
        RuntimeError: the server exited, or did not answer its health check within a minute.
    """
    port = _free_port()
{%- if cookiecutter.server == "asgi" %}
    command = ["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)]
{%- else %}
    command = ["-m", "streamlit", "run", "streamlit_app.py", "--server.address=127.0.0.1"]
    command += [f"--server.port={port}"]
{%- endif %}
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        (Path(home) / ".streamlit").mkdir()
        (Path(home) / ".streamlit" / "config.toml").write_text("[server]\nenableAgentApi = true\n")
        server = subprocess.Popen(
            [sys.executable, *command],
            cwd=project,
            env={**os.environ, "HOME": home, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        message = "the app's server did not start; run it to see why"
                        raise RuntimeError(message) from None
                    time.sleep(0.05)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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
    with served(project) as url:
        interact(url, {})  # the first visit: loads the data if it must, warms the caches
        times = measure(url, args.repetitions)
    print(f"{'round trip, ms':44} {'median':>8} {'p90':>8}   (n={args.repetitions})")
    for name, values in times.items():
        print(f"{name:44} {summary(values)}")
