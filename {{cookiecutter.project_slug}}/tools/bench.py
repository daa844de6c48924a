"""Time every page and keyed widget on the real server, to keep a budget (a development tool:
the image does not ship ``tools/``).

    uv run python tools/bench.py [--repetitions 20]
    uv run --group browser python tools/bench.py --browser [--repetitions 20]

Starts the app with its production command on a free loopback port, with Streamlit's agent
API on (from a user config in a temporary HOME, never in the project), then visits every
page and drives each keyed widget, both ways, through the agent API: each request runs the
script on the server and returns the finished page. Prints the median and p90 round trip per
page switch and per interaction, in ms.

``--browser`` times what a visitor waits for instead: headless Chromium (``$CHROMIUM``, else
``/usr/bin/chromium``), driven by Playwright from the ``browser`` dependency group, clicks
each menu entry in turn and times it until the page has settled (see ``SETTLE``); and opens
the app in a new browser context (an empty cache), timing the first load the same way.

It uses your data folder and database like any visitor: give it the settings the server
needs in environment variables or in the project's ``.streamlit/``, as the temporary HOME
hides ``~/.streamlit/``. Form fields and submit buttons are left alone, as a submit may write
(save a view); so are widgets without a ``key``.

``serving`` and ``interact`` are the one serve-and-poll client of this project, and
``open_app``, ``switch`` and ``first_load`` its one browser timer: the template's own tests
and benchmark use them too.
"""

import argparse
import contextlib
import importlib.util
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
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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


CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]  # fmt: skip
"""Headless in a container (no sandbox, software rendering), and no traffic but the app's."""

MENU = '[data-testid="stTopNavLink"], [data-testid="stSidebarNavLink"]'
"""The menu's entries, at the top or in the sidebar (``st.navigation``'s ``position``)."""

QUIET_MS = 400
"""How long a page must stay unchanged to count as settled."""

TIMEOUT_MS = 120_000
"""How long a page may take to settle (the first visit may load the data)."""

SETTLE = """
(options) => {
  if (window.top !== window || window.benchSettled) return;
  const {menu, quiet, timeout} = options;

  // When runs start and end, from the server's messages (ForwardMsg protobufs): field 4 is
  // new_session, a run's start (a fragment's too); field 6 is script_finished: 0 a full run
  // ended, 1 it did not compile, 2 it stopped for a rerun, 3 a fragment's run ended.
  const started = [], ended = [];
  const read = (bytes) => {
    let at = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      const value = wire === 0 || wire === 2 ? varint() : wire === 1 ? 8 : 4;
      if (wire !== 0) at += value;
      if (field === 4) started.push(performance.now());
      if (field === 6 && wire === 0 && value < 2) ended.push(performance.now());
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);  // listening first, before the app does, times each message's arrival
      this.addEventListener("message", ({data}) => {
        if (data instanceof ArrayBuffer) read(new Uint8Array(data));
      });
    }
  };

  const app = () => document.querySelector('[data-testid="stApp"]');
  const state = () => app()?.getAttribute("data-test-script-state");
  const leftovers = '[data-stale="true"], [data-testid="stSkeleton"]';
  const afterPaint = (then) => requestAnimationFrame(() => setTimeout(then, 0));

  // Resolves to two times in ms since `since` (a performance.now() reading; 0 is the
  // navigation's start): `script`, the paint after the first full run that started since then
  // has ended, with the page at `path` showing nothing stale and no skeleton; `settled`, the
  // paint after the page's last change, once it has stayed unchanged for `quiet` ms (a chart
  // drawn after the run included; what a later run, a fragment's on a timer, changes is not).
  window.benchSettled = (path, since, quiet, timeout) => new Promise((resolve, reject) => {
    let over = false, script = null, changed = since, painted = since;
    const end = () => ended.find((time) => time > since);
    const later = () => started.some((time) => time > (end() ?? Infinity));
    const observer = new MutationObserver((records) => {
      if (later()) return;
      // What a canvas holds is never painted (the data grid's table for screen readers).
      const seen = records.some(({target}) => {
        const element = target.nodeType === Node.ELEMENT_NODE ? target : target.parentElement;
        return !element?.closest("canvas");
      });
      if (seen) {
        changed = performance.now();
        afterPaint(() => { painted = performance.now(); });
      }
    });
    observer.observe(document, {subtree: true, childList: true, attributes: true,
                                characterData: true});
    const check = () => {
      const now = performance.now();
      // The app shows the run's end after its last message came; or it had nothing to change.
      const shown = end() < changed || now - end() >= quiet;
      const done = shown && state() === "notRunning" && location.pathname === path
        && !document.querySelector(leftovers);
      if (done && !over) {
        over = true;
        setTimeout(() => { script = performance.now(); }, 0);  // after this frame's paint
      }
      if (script !== null && (done || later()) && now - changed >= quiet && painted >= changed) {
        observer.disconnect();
        resolve({script: script - since, settled: Math.max(script, painted) - since});
      } else if (now - since > timeout) {
        observer.disconnect();
        const seen = {ended: end() !== undefined, state: state(), path: location.pathname,
                      leftovers: document.querySelectorAll(leftovers).length};
        reject(new Error(`${path} not settled in ${timeout} ms: ${JSON.stringify(seen)}`));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });

  window.benchFirstLoad = window.benchSettled(location.pathname, 0, quiet, timeout);
  window.benchFirstLoad.catch(() => {});  // read only when timed
  window.benchMenu = () => [...document.querySelectorAll(menu)].map((link) => {
    const label = link.cloneNode(true);
    label.querySelectorAll('[data-testid="stIconMaterial"]').forEach((icon) => icon.remove());
    return [label.textContent.trim(), new URL(link.href).pathname];
  });
  window.benchSwitch = (path) => {
    const link = [...document.querySelectorAll(menu)]
      .find((entry) => new URL(entry.href).pathname === path);
    const since = performance.now();
    const settled = window.benchSettled(path, since, quiet, timeout);
    link.click();
    return settled;
  };
}
"""
"""A function of ``{menu, quiet, timeout}`` that ``new_tab`` runs in every page it opens. It
defines ``benchFirstLoad``: how long the page took to settle since its navigation started;
and ``benchSwitch(path)``: a click on the menu's entry for ``path``, and how long the page
took to settle since. Settled: the run that the click (or the visit) started has ended (the
server says so), nothing on the page is stale, no skeleton waits, and the page has not
changed for ``quiet`` ms. Each gives two times in ms: ``script``, until the run had ended
with no leftovers shown, and ``settled``, until the page's last change was painted (charts
and tables draw after the run)."""


class Settled(NamedTuple):
    """How long a page took to settle in the browser (see ``SETTLE``), in ms."""

    script: float
    settled: float


def chromium() -> Path:
    """The Chromium that ``--browser`` drives: ``$CHROMIUM``, else Debian's package."""
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def browser_missing() -> str | None:
    """Why the browser mode can't run here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return (
            "Playwright is not installed; it comes with the browser dependency group: "
            "uv run --group browser python tools/bench.py --browser"
        )
    if not os.access(chromium(), os.X_OK):
        return (
            f"no Chromium at {chromium()}: install your system's chromium package, or set "
            "CHROMIUM to a Chromium or Chrome executable"
        )
    return None


def new_tab(browser: "Browser") -> "Page":
    """A tab in a new browser context (an empty cache, no cookies) on a desktop screen, with
    ``SETTLE`` in each page it opens. Close its ``context`` when done."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    options = {"menu": MENU, "quiet": QUIET_MS, "timeout": TIMEOUT_MS}
    context.add_init_script(f"({SETTLE})({json.dumps(options)})")
    return context.new_page()


def first_load(browser: "Browser", url: str) -> Settled:
    """Open ``url`` in a new browser context (an empty cache and no session) and time it from
    the navigation's start until the page has settled.

    Raises:
        playwright.sync_api.Error: the page did not settle within ``TIMEOUT_MS``.
    """
    page = new_tab(browser)
    try:
        page.goto(url, wait_until="commit")
        return Settled(**page.evaluate("window.benchFirstLoad"))
    finally:
        page.context.close()


def open_app(browser: "Browser", url: str) -> tuple["Page", list[tuple[str, str]]]:
    """A new tab on ``url``, once its first page has settled; and the app's menu, in order:
    ``(title, path)`` per entry. Close the tab's ``context`` when done.

    Raises:
        playwright.sync_api.Error: the page did not settle within ``TIMEOUT_MS``.
    """
    page = new_tab(browser)
    page.goto(url, wait_until="commit")
    page.evaluate("window.benchFirstLoad")
    return page, [(title, path) for title, path in page.evaluate("window.benchMenu()")]


def switch(page: "Page", path: str) -> Settled:
    """Click the menu entry for ``path`` in ``page`` (a tab from ``open_app``), and time it
    until the page has settled.

    Raises:
        playwright.sync_api.Error: the page did not settle within ``TIMEOUT_MS``.
    """
    return Settled(**page.evaluate("window.benchSwitch", path))


def page_switches(browser: "Browser", url: str, repetitions: int) -> dict[str, list[Settled]]:
    """Menu entry -> ``repetitions`` switches to its page, each a click in the menu and the
    time until the page has settled.

    One visitor in one tab clicks the entries in menu order, round and round from the first
    page, so each page is always reached from the one before it; a first round, untimed, loads
    what each page needs (its code in the browser, the caches on the server).

    Raises:
        playwright.sync_api.Error: a page did not settle within ``TIMEOUT_MS``.
    """
    page, menu = open_app(browser, url)
    try:
        times: dict[str, list[Settled]] = {title: [] for title, _ in menu}
        order = menu[1:] + menu[:1]  # the app opens on the first
        for lap in range(repetitions + 1):
            for title, path in order:
                settled = switch(page, path)
                if lap:  # the first lap only warms up
                    times[title].append(settled)
        return times
    finally:
        page.context.close()


def browser_times(url: str, repetitions: int) -> dict[str, list[float]]:
    """Settled times in ms, ``repetitions`` of each, in headless Chromium: the first load
    (``browser first load``) and the switch to each page (``browser page <title>``).

    Raises:
        ImportError: Playwright is not installed (see ``browser_missing``).
        playwright.sync_api.Error: Chromium did not start, or a page did not settle.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            loads = [first_load(browser, url).settled for _ in range(repetitions)]
            switches = page_switches(browser, url, repetitions)
        finally:
            browser.close()
    times = {"browser first load": loads}
    for title, settled in switches.items():
        times[f"browser page {title}"] = [each.settled for each in settled]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every page and keyed widget.")
    parser.add_argument("--repetitions", type=int, default=20, help="requests per measure")
    parser.add_argument(
        "--browser", action="store_true", help="time page switches in headless Chromium instead"
    )
    args = parser.parse_args()
    project = Path.cwd()
    if not (project / "streamlit_app.py").exists():
        sys.exit("bench: run it from the project folder (where streamlit_app.py is)")
    if args.browser and (problem := browser_missing()):
        sys.exit(f"bench --browser: {problem}")
    port = free_port()
    with (
        agent_api_home() as home,
        serving(production_command(port), project, port, env={**os.environ, "HOME": home}) as app,
    ):
        interact(app.url, {})  # the first visit: loads the data if it must, warms the caches
        if args.browser:
            times = browser_times(app.url, args.repetitions)
        else:
            times = measure(app.url, args.repetitions)
    kind = "click to settled" if args.browser else "round trip"
    print(f"{kind + ', ms':44} {'median':>8} {'p90':>8}   (n={args.repetitions})")
    for name, values in times.items():
        print(f"{name:44} {summary(values)}")


if __name__ == "__main__":
    main()
