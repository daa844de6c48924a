"""Time what a visitor waits for: headless Chromium (``$CHROMIUM``, else
``/usr/bin/chromium``), driven by Playwright from the ``browser`` dependency group, clicks each
menu entry in turn and times it until the page has settled (``settle.js``, beside this file);
and opens the app in a new browser context (an empty cache), timing the first load the same
way.

``open_app``, ``switch`` and ``first_load`` are this project's one browser timer:
``tools/bench.py --browser`` uses them, and the template's own benchmark loads this file by
its path, so it imports nothing from its neighbours.
"""

import importlib.util
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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

SETTLE = Path(__file__).with_name("settle.js")
"""The script that times a page until it has settled: one JavaScript function of
``{menu, quiet, timeout}`` that defines ``benchFirstLoad``, ``benchMenu`` and ``benchSwitch``
in the page (its head says what each gives)."""


class Settled(NamedTuple):
    """How long a page took to settle in the browser (see ``SETTLE``), in ms: until the run
    had ended with no leftovers shown, and until the page's last change was painted."""

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


def init_script() -> str:
    """``SETTLE`` called with ``MENU``, ``QUIET_MS`` and ``TIMEOUT_MS``: the JavaScript that
    each tab from ``new_tab`` runs in every page it opens.

    Raises:
        OSError: ``settle.js`` is not beside this file.
    """
    options = {"menu": MENU, "quiet": QUIET_MS, "timeout": TIMEOUT_MS}
    return f"({SETTLE.read_text()})({json.dumps(options)})"


def new_tab(browser: "Browser") -> "Page":
    """A tab in a new browser context (an empty cache, no cookies) on a desktop screen, with
    ``init_script`` in each page it opens. Close its ``context`` when done."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(init_script())
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
