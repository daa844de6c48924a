"""The default bake installed fresh, served for real, every page driven.

The project is installed into its own new virtual environment with its README's install
command (``uv sync``) and served by its production command (uvicorn) on loopback, once for the
served, browser and websocket tests (the ``served`` fixture); and by ``streamlit run``. Each
page is loaded through Streamlit's agent API (``POST /_stcore/agent/interact``), which the
project's own config keeps off (``test_quiet.py`` checks that the production server refuses
it): the tests turn it on from outside, by a flag for ``streamlit run`` and by a user config
under a temporary HOME for uvicorn (which reads no ``STREAMLIT_*`` variables). Serving and
polling go through the bake's own client (``tools/``).
"""

import asyncio
import json
import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.bakes import project_client
from tests.support.deploy import STREAMLIT_FAMILIES, STREAMLIT_SERIES
from tests.support.served import UV, node_types, page_titles, readme_command, walk

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("served")]

UNITED = "United (UA)"  # a multiselect takes the labels a browser shows


def drive_every_page(client: ModuleType, url: str) -> dict[str, str]:
    """Open a session, switch to every page, change Explore's filter; return page -> status."""
    first, _ = client.interact(url, {})
    session, seen = first["session_id"], {}
    for page in first["pages"]:
        snapshot, _ = client.interact(url, {"session_id": session, "page": page["url_path"]})
        assert "exception" not in node_types(snapshot["tree"]), (page, snapshot)
        seen[page["title"]] = snapshot["status"]
        if page["title"] == "Explore":
            change = {"session_id": session, "widget_state": {"explore.carriers": [UNITED]}}
            snapshot, _ = client.interact(url, change)
            assert "exception" not in node_types(snapshot["tree"])
            captions = [n.get("props", {}).get("body", "") for n in walk(snapshot["tree"])]
            assert any(re.search(r"Page 1 of [\d,]+ · [\d,]+ flights", c) for c in captions)
    return seen


def test_production_command_serves_every_page(served):
    assert readme_command(served.project, "serve")[:3] == ["uv", "run", "uvicorn"]
    client = project_client(served.project)
    assert set(drive_every_page(client, served.url)) == page_titles(served.project)
    # What the README and the About page promise: Streamlit's own cache counters.
    with urllib.request.urlopen(f"{served.url}/_stcore/metrics", timeout=10) as response:
        metrics = response.read().decode()
    assert re.search(r'cache_lookups_total\{[^}]*cache="[\w.]*kpi"', metrics), metrics[:3000]


def test_streamlit_counts_each_cached_function_s_hits_and_misses(served):
    from prometheus_client.openmetrics.parser import text_string_to_metric_families

    from tests.support.session import Session

    def lookups() -> dict[tuple[str, str], float]:
        families = "&".join(f"families={family}" for family in STREAMLIT_FAMILIES)
        url = f"{served.url}/_stcore/metrics?{families}"
        with urllib.request.urlopen(url, timeout=10) as response:
            exposition = response.read().decode()
        found = list(text_string_to_metric_families(exposition))  # OpenMetrics, as served
        series = {sample.name for family in found for sample in family.samples}
        assert series >= STREAMLIT_SERIES  # what the dashboard reads
        return {
            (sample.labels["cache"].rpartition(".")[2], sample.labels["result"]): sample.value
            for family in found
            for sample in family.samples
            if sample.name == "cache_lookups_total"
        }

    async def visit_overview() -> None:
        tab = await Session.open(served.url, "/", timeout=60)
        await tab.close()

    asyncio.run(visit_overview())  # the KPIs cached, if they were not
    before = lookups()
    asyncio.run(visit_overview())
    after = lookups()
    assert after[("kpi", "hit")] == before[("kpi", "hit")] + 4  # the four cards, from the cache
    assert after[("kpi", "miss")] == before[("kpi", "miss")]


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the app's ``/metrics``, read with prometheus-client's parser: (name,
    sorted labels) -> value."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        exposition = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def runs(samples: dict, page: str) -> float:
    """The script runs of ``page`` (its title) counted in ``samples`` (from ``scrape``)."""
    return samples.get(("app_script_run_seconds_count", (("kind", "page"), ("page", page))), 0.0)


def test_metrics_count_each_visit_by_page_and_each_open_session(served):
    from tests.support.session import Session

    client = project_client(served.project)
    before = scrape(served.url)
    first, _ = client.interact(served.url, {})  # a new session, on the default page
    visited = [first["pages"][0]["title"]]
    for page in first["pages"][1:]:
        client.interact(served.url, {"session_id": first["session_id"], "page": page["url_path"]})
        visited.append(page["title"])
    after = scrape(served.url)
    assert {title: runs(after, title) - runs(before, title) for title in visited} == dict.fromkeys(
        visited, 1.0
    )
    with urllib.request.urlopen(f"{served.url}/readyz", timeout=30) as response:
        assert response.read() == b"ready"
    assert scrape(served.url)[("app_ready", ())] == 1.0  # as the last probe found it

    async def one_tab_open() -> float:
        tab = await Session.open(served.url, "/", timeout=60)
        try:
            return scrape(served.url)[("app_sessions", ())]
        finally:
            await tab.close()

    sessions = scrape(served.url)[("app_sessions", ())]
    assert asyncio.run(one_tab_open()) == sessions + 1

    # The job tier's, read from the queue's store at each scrape: a job that fails (its file
    # is not there), counted in its state and timed once it ends, by the server's worker.
    def failed() -> tuple[float, float]:
        samples = scrape(served.url)
        labels = (("job", "profile"), ("state", "Failed"))
        return samples[("app_jobs", labels)], samples.get(("app_job_seconds_count", labels), 0.0)

    jobs_before = failed()
    package = served.project.name.replace("-", "_")
    submit = f"from {package}.jobs import queue; queue.submit('profile', {{'file': 'gone.csv'}})"
    python = str(served.project / ".venv/bin/python")
    subprocess.run([python, "-c", submit], cwd=served.project, env=served.env, check=True)
    deadline = time.monotonic() + 60  # bounded: a worker takes it within a second
    while failed()[1] == jobs_before[1] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert failed() == (jobs_before[0] + 1, jobs_before[1] + 1)


def test_a_fragment_s_own_reruns_count_under_its_page_as_fragments(served):
    from tests.support.session import Session

    def fragment_runs() -> float:
        key = ("app_script_run_seconds_count", (("kind", "fragment"), ("page", "Live")))
        return scrape(served.url).get(key, 0.0)

    async def three_ticks_on_live() -> tuple[float, float, float, float]:
        tab = await Session.open(served.url, "/live", timeout=60)
        try:
            (monitor,) = tab.auto_reruns  # the Live page's one timer: the monitor's
            before = fragment_runs(), runs(scrape(served.url), "Live")
            for _ in range(3):
                await tab.tick(monitor)  # as the browser's timer does, each second
            return *before, fragment_runs(), runs(scrape(served.url), "Live")
        finally:
            await tab.close()

    fragments_before, pages_before, fragments_after, pages_after = asyncio.run(
        three_ticks_on_live()
    )
    assert fragments_after == fragments_before + 3  # each tick a run of its own
    assert pages_after == pages_before  # and not one of the page's


def test_no_visitor_input_makes_a_new_series(served):
    from tests.support.session import Session

    async def tabs(*paths: str) -> None:
        for number, path in enumerate(paths):  # each runs the default page for an unknown path
            tab = await Session.open(served.url, path, f"carriers=X{number}", timeout=60)
            await tab.close()

    asyncio.run(tabs("/"))  # the default page's series, and its queries', exist from here on
    series = set(scrape(served.url))
    for number in range(1000):  # bounded: 1,000 requests, each with a path and query of its own
        url = f"{served.url}/no-such-page-{number}?carriers=X{number}&q={number}"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200  # Streamlit's page, for any path

    asyncio.run(tabs(*(f"/no-such-page-{number}" for number in range(5))))
    assert set(scrape(served.url)) == series


def test_bench_command_times_every_page_and_widget(installed):
    project, env = installed
    bench = readme_command(project, "time every page")
    assert bench == ["uv", "run", "python", "tools/bench.py"]
    run = subprocess.run(
        [UV, *bench[1:], "--repetitions", "1"], cwd=project, env=env, capture_output=True,
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
    client = project_client(project)
    port = client.free_port()
    command = [
        UV, "run", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--server.enableAgentApi=true",
    ]  # fmt: skip
    log = project.parent / "streamlit-run.log"
    with client.serving(command, project, port, env=env, log=log) as server:
        assert set(drive_every_page(client, server.url)) == page_titles(project)


RERUNS = """
import json, sys
from tools.client import interact
from tools.reruns import lookups_during
url = sys.argv[1]
first, _ = interact(url, {"page": "explore"})
session = first["session_id"]
paging = lookups_during(url, {"session_id": session, "trigger": {"key": "explore_next"}})
months = {"explore.months": [2, 11]}  # a filter: outside the results fragment
filtering = lookups_during(url, {"session_id": session, "widget_state": months})
print(json.dumps({"paging": paging, "filtering": filtering}))
"""
"""Explore's paging and a filter change, through the bake's ``tools/reruns.py``."""


def test_the_bake_s_tool_tells_a_fragment_s_rerun_from_the_page_s(served):
    run = subprocess.run(
        [str(served.project / ".venv/bin/python"), "-c", RERUNS, served.url],
        cwd=served.project, env=served.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    looked_up = json.loads(run.stdout)
    # Next reruns the results fragment alone: its queries, not the page's filter options
    assert "data.cached.flight_page" in looked_up["paging"]
    assert "data.cached.filter_options" not in looked_up["paging"]
    # a filter reruns the page: the filter options too, then the fragment inside it
    assert {"data.cached.filter_options", "data.cached.flight_page"} <= set(looked_up["filtering"])


def test_a_host_it_was_not_given_is_refused_and_the_probes_answer_any(served):
    """DNS rebinding, or a proxy that forwards any name: a page or websocket asked for by a
    name the app was not given gets 400 from the real server; a probe by a pod's address is
    answered."""
    import httpx

    upgrade = {
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }  # fmt: skip
    with httpx.Client(base_url=served.url, timeout=30) as client:
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "localhost:8501"}).status_code == 200
        stream = client.get("/_stcore/stream", headers={"Host": "evil.example", **upgrade})
        assert stream.status_code == 400
        assert client.get("/readyz", headers={"Host": "10.0.0.7:8501"}).status_code == 200
        assert client.get("/healthz", headers={"Host": "10.0.0.7:8501"}).status_code == 200
