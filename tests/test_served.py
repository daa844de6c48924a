"""Once per run: the default bake installed fresh, served for real, every page driven.

The project is installed into its own new virtual environment with its README's install
command (``uv sync``), then served on loopback twice: by its production command (uvicorn) and
by ``streamlit run``. Each page is loaded through Streamlit's agent API
(``POST /_stcore/agent/interact``). The agent API is off in the project's own config; the test
turns it on from outside: a flag for ``streamlit run``, a user-level config under a temporary
HOME for uvicorn (which reads no ``STREAMLIT_*`` variables). Serving and polling go through
the bake's own client, ``tools/bench.py``.
"""

import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from uv import find_uv_bin

from .conftest import import_file, load_bench

pytestmark = pytest.mark.served

UV = find_uv_bin()
UNITED = "United (UA)"  # a multiselect takes the labels a browser shows


def readme_command(project: Path, comment: str) -> list[str]:
    """The README's command on the line that ends with ``# <comment>``."""
    for line in (project / "README.md").read_text().splitlines():
        command, _, note = line.partition("#")
        if note.strip().startswith(comment) and command.strip():
            return command.split()
    raise AssertionError(f"no '# {comment}' command in the README")


def page_titles(project: Path) -> set[str]:
    """The titles of the pages in the bake's navigation table."""
    path = next((project / "src").glob("*/navigation.py"))
    return {page.title for page in import_file(path, "project_navigation").PAGES}


def walk(node: dict) -> Iterator[dict]:
    """Every node of an agent API snapshot's tree, depth first."""
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def node_types(node: dict) -> set[str]:
    return {child.get("type", "") for child in walk(node)}


def drive_every_page(bench: ModuleType, url: str) -> dict[str, str]:
    """Open a session, switch to every page, change Explore's filter; return page -> status."""
    first, _ = bench.interact(url, {})
    session, seen = first["session_id"], {}
    for page in first["pages"]:
        snapshot, _ = bench.interact(url, {"session_id": session, "page": page["url_path"]})
        assert "exception" not in node_types(snapshot["tree"]), (page, snapshot)
        seen[page["title"]] = snapshot["status"]
        if page["title"] == "Explore":
            change = {"session_id": session, "widget_state": {"explore.carriers": [UNITED]}}
            snapshot, _ = bench.interact(url, change)
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
    bench = load_bench(project)
    command = readme_command(project, "serve")
    assert command[:3] == ["uv", "run", "uvicorn"]
    port = bench.free_port()
    command = [UV, *command[1:]]
    command[command.index("--port") + 1] = str(port)
    log = project / "server.log"

    # Off as deployed: the project's own config does not serve the agent API.
    with bench.serving(command, project, port, env=env, log=log) as server:
        with pytest.raises(urllib.error.HTTPError) as refused:
            bench.interact(server.url, {})
        assert refused.value.code == 403

    with (
        bench.agent_api_home() as home,
        bench.serving(command, project, port, env={**env, "HOME": home}, log=log) as server,
    ):
        assert set(drive_every_page(bench, server.url)) == page_titles(project)
        # What the README and the About page promise: Streamlit's own cache counters.
        with urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=10) as response:
            metrics = response.read().decode()
    assert re.search(r'cache_lookups_total\{[^}]*cache="[\w.]*kpi"', metrics), metrics[:3000]


def test_bench_command_times_every_page_and_widget(installed):
    project, env = installed
    bench = readme_command(project, "time every page")
    assert bench == ["uv", "run", "python", "tools/bench.py"]
    run = subprocess.run(
        [UV, *bench[1:], "--repetitions", "2"], cwd=project, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    timed = {line.rsplit(maxsplit=2)[0] for line in run.stdout.splitlines()[1:]}
    pages = {f"page {title}" for title in page_titles(project)}
    widgets = {f"Explore: explore.{name}" for name in ("carriers", "origins", "months")}
    assert pages | widgets | {"Explore: explore_next", "Live: live_refresh"} <= timed

    # The browser mode, with the browser group: a click on every menu entry, and a first load.
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        return  # .ci/run installs Debian's chromium; tests/test_browser.py skips without it too
    browser = [UV, "run", "--group", "browser", *bench[2:], "--browser", "--repetitions", "1"]
    run = subprocess.run(
        browser, cwd=project, env=env, capture_output=True, text=True, timeout=600
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    timed = {line.rsplit(maxsplit=2)[0] for line in run.stdout.splitlines()[1:]}
    assert timed == {f"browser {page}" for page in pages} | {"browser first load"}


def test_streamlit_run_serves_every_page(installed):
    project, env = installed
    bench = load_bench(project)
    port = bench.free_port()
    command = [
        UV, "run", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--server.enableAgentApi=true",
    ]  # fmt: skip
    with bench.serving(command, project, port, env=env, log=project / "server.log") as server:
        assert set(drive_every_page(bench, server.url)) == page_titles(project)
