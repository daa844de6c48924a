"""Serve the app with its production command and poll it: this project's one serve-and-poll
client (a development tool: the image does not ship ``tools/``).

``serving`` starts a server on a free loopback port and waits for ``/_stcore/health``;
``interact`` sends one request to Streamlit's agent API, which ``agent_api_home`` turns on
for that server only. ``tools/bench.py`` times the app through them, and the template's own
tests and benchmark load this file by its path, so it imports nothing from its neighbours.
"""

import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import time
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
    """One agent API request to the server at ``url``: the finished page, and the round trip
    in ms.

    Raises:
        urllib.error.HTTPError: the request was refused (e.g. a form field without its
            submit; 403 when the server's agent API is off).
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
