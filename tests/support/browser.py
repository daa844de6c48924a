"""Debian's Chromium, driven by Playwright, for the tests that open a bake's pages.

Playwright comes from PyPI and never downloads a browser here: ``.ci/run`` installs Debian's
``chromium``, and every launch names it (``executable_path``). A page opened by its link has
*settled* when its first run has ended and no skeleton waits for a fragment.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser here
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]  # fmt: skip
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = "iPhone 13"  # 390x844 CSS pixels, and a mobile browser's user agent and touch
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy violation: ${event.effectiveDirective} ${event.blockedURI}`
));
"""
"""Logs every refusal of the page's content security policy as a console error: Chromium logs
most of them itself, but not all (a WebAssembly module refused, for one)."""


def settle(page) -> None:
    """Wait until the page's script has run to its end and no skeleton is left: for a page
    just opened, whose first run starts with the page."""
    page.wait_for_selector(SETTLED, timeout=60_000)
    page.wait_for_selector('[data-testid="stSkeleton"]', state="detached", timeout=30_000)


@pytest.fixture(scope="module")
def playwright():
    """Playwright, once Debian's Chromium is known to be there. Skips without it, except
    under CI, where it fails."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"no {CHROMIUM}: .ci/run should have installed chromium")
        pytest.skip(f"no {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright):
    """Debian's Chromium, headless."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


class Visits:
    """Opens pages of the app at ``url``, each in a new browser context holding ``cookies``
    (name: value), and records across them every URL requested (``requests``), every response
    with an error status (``refused``) and every console warning and error (``console``), each
    refusal of the content security policy included."""

    def __init__(self, playwright, browser, url: str, cookies: dict[str, str] | None = None):
        self.playwright, self.browser, self.url = playwright, browser, url
        self.cookies = [{"name": k, "value": v, "url": url} for k, v in (cookies or {}).items()]
        self.contexts: list = []
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.console: list[str] = []

    def __call__(self, path: str, phone: bool = False):
        """``path`` of the app, on a desktop or on a phone, once the page has settled."""
        devices = self.playwright.devices
        context = self.browser.new_context(**(devices[PHONE] if phone else DESKTOP))
        context.add_cookies(self.cookies)
        context.add_init_script(REPORT_VIOLATIONS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", self._record_refusal)
        page.on("console", self._record_console)
        page.goto(f"{self.url}/{path}", timeout=60_000)
        settle(page)
        page.locator("h1").first.wait_for(timeout=30_000)
        return page

    def _record_refusal(self, response) -> None:
        if response.status >= 400:
            self.refused.append(f"{response.status} {response.url}")

    def _record_console(self, message) -> None:
        if message.type in ("warning", "error"):
            self.console.append(f"{message.type}: {message.text}")
