"""Once per run: the default bake installed fresh, served for real, every page driven.

The project is installed into its own new virtual environment with its README's install
command (``uv sync``), then served on loopback twice: by its production command (uvicorn) and
by ``streamlit run``. Each page is loaded through Streamlit's agent API
(``POST /_stcore/agent/interact``). The agent API is off in the project's own config; the test
turns it on from outside: a flag for ``streamlit run``, a user-level config under a temporary
HOME for uvicorn (which reads no ``STREAMLIT_*`` variables).
"""

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from uv import find_uv_bin

pytestmark = pytest.mark.served

UV = find_uv_bin()
UNITED = "United Air Lines Inc. (UA)"  # a multiselect takes the labels a browser shows


def readme_command(project: Path, comment: str) -> list[str]:
    """The README's command on the line that ends with ``# <comment>``."""
    for line in (project / "README.md").read_text().splitlines():
        command, _, note = line.partition("#")
        if note.strip().startswith(comment) and command.strip():
            return command.split()
    raise AssertionError(f"no '# {comment}' command in the README")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(
    port: int, path: str, body: dict | None = None, timeout: float = 120
) -> tuple[int, dict | str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, text


def walk(node: dict) -> Iterator[dict]:
    """Every node of an agent API snapshot's tree, depth first."""
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def node_types(node: dict) -> set[str]:
    return {child.get("type", "") for child in walk(node)}


@contextmanager
def serving(command: list[str], cwd: Path, env: dict[str, str], port: int) -> Iterator[Path]:
    log = cwd / f"server-{port}.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            try:
                if call(port, "/_stcore/health", timeout=2) == (200, "ok"):
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError(f"no health answer within 120 s:\n{log.read_text()}")
        yield log
    finally:
        server.terminate()
        server.wait(timeout=30)


def drive_every_page(port: int) -> dict[str, str]:
    """Open a session, switch to every page, change Explore's filter; return page -> status."""
    status, first = call(port, "/_stcore/agent/interact", {})
    assert status == 200, first
    session, seen = first["session_id"], {}
    for page in first["pages"]:
        status, snapshot = call(
            port, "/_stcore/agent/interact", {"session_id": session, "page": page["url_path"]}
        )
        assert status == 200, snapshot
        assert "exception" not in node_types(snapshot["tree"]), (page, snapshot)
        seen[page["title"]] = snapshot["status"]
        if page["title"] == "Explore":
            status, snapshot = call(
                port,
                "/_stcore/agent/interact",
                {"session_id": session, "widget_state": {"explore.carriers": [UNITED]}},
            )
            assert status == 200 and snapshot["status"] == "ready", snapshot
            assert "exception" not in node_types(snapshot["tree"])
            captions = [n.get("props", {}).get("body", "") for n in walk(snapshot["tree"])]
            assert any(re.search(r"Page 1 of [\d,]+ · [\d,]+ flights", c) for c in captions)
    return seen


@pytest.fixture(scope="module")
def installed(cookies_session, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh default bake, installed by its README's install command; and a clean env."""
    project = cookies_session.bake().project_path
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "STREAMLIT_"))}
    env["UV_CACHE_DIR"] = subprocess.run(
        [UV, "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env["HOME"] = str(tmp_path_factory.mktemp("home"))  # no user config but the test's own
    env["UV_PYTHON_DOWNLOADS"] = "never"
    install = readme_command(project, "install")
    assert install == ["uv", "sync"]
    subprocess.run([UV, *install[1:]], cwd=project, env=env, check=True, capture_output=True)
    assert (project / ".venv").is_dir()
    return project, env


def test_production_command_serves_every_page(installed):
    project, env = installed
    command = readme_command(project, "serve")
    assert command[:3] == ["uv", "run", "uvicorn"]
    port = free_port()
    command = [UV, *command[1:]]
    command[command.index("--port") + 1] = str(port)

    # Off as deployed: the project's own config does not serve the agent API.
    with serving(command, project, env, port):
        status, body = call(port, "/_stcore/agent/interact", {})
        assert status == 403 and body["error"]["code"] == "not_available"
        assert call(port, "/healthz") == (200, {"status": "ok"})

    user_config = Path(env["HOME"]) / ".streamlit" / "config.toml"
    user_config.parent.mkdir(parents=True, exist_ok=True)
    user_config.write_text("[server]\nenableAgentApi = true\n")
    try:
        with serving(command, project, env, port):
            assert set(drive_every_page(port)) == {"Overview", "Explore", "Live", "Wizard", "About"}
    finally:
        user_config.unlink()


def test_bench_command_times_every_page_and_widget(installed):
    project, env = installed
    bench = readme_command(project, "time every page")
    assert bench == ["uv", "run", "bench"]
    run = subprocess.run(
        [UV, *bench[1:], "--repetitions", "2"], cwd=project, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    timed = {line.rsplit(maxsplit=2)[0] for line in run.stdout.splitlines()[1:]}
    pages = {f"page {page}" for page in ("Overview", "Explore", "Live", "Wizard", "About")}
    widgets = {f"Explore: explore.{name}" for name in ("carriers", "origins", "months")}
    assert pages | widgets | {"Explore: explore_next", "Live: live_refresh"} <= timed


def test_streamlit_run_serves_every_page(installed):
    project, env = installed
    port = free_port()
    command = [
        UV, "run", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--server.enableAgentApi=true",
    ]  # fmt: skip
    with serving(command, project, env, port):
        assert set(drive_every_page(port)) == {"Overview", "Explore", "Live", "Wizard", "About"}
