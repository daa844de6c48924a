"""The production server's additions around the app: startup and error hooks, security headers,
hosts it was not given refused, and metrics kept from requests that came through a proxy."""

import asyncio
import base64
import hashlib
import importlib
import logging
import re
from importlib.resources import files

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Scope

import app  # at the project's top, on pytest's pythonpath
from {{ cookiecutter.package_name }}.security import (
    CONTENT_SECURITY_POLICY,
    HSTS_MAX_AGE,
    KnownHosts,
    PrivateMetrics,
    SecurityHeaders,
)


def test_script_errors_are_logged_with_their_traceback(caplog):
    try:
        raise ValueError("boom")
    except ValueError as error:
        with caplog.at_level(logging.ERROR):
            # Its return type, None (checked by mypy), lets Streamlit still show its error box.
            app.log_script_error(error)
    assert caplog.records[0].exc_info[1].args == ("boom",)


@pytest.mark.parametrize("module", app.PRELOAD)
def test_preloaded_modules_exist(module):
    assert importlib.util.find_spec(module) is not None


# --- Security headers and private metrics (security.py) ----------------------------------------

SECURITY_HEADERS = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def directives(policy: str) -> dict[str, list[str]]:
    """``policy`` as ``{directive: [source, ...]}``."""
    parsed = [part.split() for part in policy.split(";")]
    return {name: sources for name, *sources in parsed}


def test_the_policy_runs_no_script_but_the_servers_own():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    script = policy["script-src"]
    assert "'unsafe-eval'" not in script and "'unsafe-inline'" not in script
    assert [s for s in script if not s.startswith("'sha256-")] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_policy_runs_each_inline_script_of_streamlits_page():
    # The page Streamlit serves at every path; a new release may change its inline script.
    page = (files("streamlit") / "static" / "index.html").read_text()
    inline = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)  # no src=
    hashes = {
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in inline
    }
    script_src = directives(CONTENT_SECURITY_POLICY)["script-src"]
    allowed = {source for source in script_src if source.startswith("'sha256-")}
    assert allowed == hashes, f"STREAMLIT_INLINE_SCRIPT (security.py) should be {hashes}"


def page(request: Request) -> PlainTextResponse:
    # A header the policy also sets: the middleware must send its own, once.
    return PlainTextResponse("page", headers={"X-Frame-Options": "ALLOWALL"})


def metrics(request: Request) -> PlainTextResponse:
    return PlainTextResponse("cache_hits_total 1")


def wrapped(middleware: list[Middleware] = app.MIDDLEWARE) -> ASGIApp:
    """A small app with a page, Streamlit's metrics route and the app's own, behind
    ``middleware`` (by default ``app.py``'s, as ``st.App`` stacks it)."""
    routes = [
        Route("/", page),
        Route("/_stcore/metrics", metrics),
        Route("/metrics", metrics),
        Route("/healthz", page),
    ]
    return Starlette(routes=routes, middleware=middleware)


def get(
    asgi: ASGIApp, path: str = "/", headers: dict[str, str] | None = None, scheme: str = "http"
) -> tuple[int, list[tuple[str, str]]]:
    """One GET request straight to ``asgi``, for ``127.0.0.1:8501`` unless ``headers`` name
    another ``Host``: the status and the headers (lowercase names)."""
    headers = {"Host": "127.0.0.1:8501", **(headers or {})}
    scope: Scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": scheme, "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "client": ("10.0.0.7", 40000), "server": ("127.0.0.1", 8501),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def request() -> None:
        await asgi(scope, receive, send)

    asyncio.run(request())
    start = sent[0]
    return start["status"], [(k.decode().lower(), v.decode()) for k, v in start["headers"]]


def test_every_response_carries_each_security_header_once():
    status, headers = get(wrapped())
    assert status == 200
    for name, value in SECURITY_HEADERS.items():
        assert [v for k, v in headers if k == name] == [value], name  # the app's one replaced
    assert "strict-transport-security" not in dict(headers)  # plain HTTP


def test_hsts_goes_with_https_only_and_can_be_turned_off():
    _, headers = get(wrapped(), scheme="https")  # what uvicorn's --proxy-headers sets
    assert dict(headers)["strict-transport-security"] == f"max-age={HSTS_MAX_AGE}"
    _, headers = get(wrapped([Middleware(SecurityHeaders, hsts_max_age=None)]), scheme="https")
    assert "strict-transport-security" not in dict(headers)


@pytest.mark.parametrize(
    "forwarded", [{"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}]
)
@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "/metrics"])
def test_metrics_requested_through_a_proxy_are_not_found(forwarded, path):
    status, headers = get(wrapped(), path, forwarded)
    assert status == 404
    assert dict(headers)["x-frame-options"] == "SAMEORIGIN"  # the 404 is a response like any


def test_metrics_scraped_from_inside_are_served():
    assert get(wrapped(), "/_stcore/metrics")[0] == get(wrapped(), "/metrics")[0] == 200
    assert get(wrapped(), "/", {"X-Forwarded-For": "203.0.113.9"})[0] == 200  # pages: served


@pytest.mark.parametrize("kind", ["websocket", "lifespan"])
def test_the_middleware_hands_other_traffic_through_untouched(kind):
    # The websocket carries every rerun: not one wrapper around its messages.
    seen: list[object] = []

    async def inner(scope: Scope, receive: object, send: object) -> None:
        seen.extend([receive, send])

    async def receive() -> Message:
        return {}

    async def send(message: Message) -> None:
        pass

    scope: Scope = {"type": kind, "path": "/_stcore/metrics", "headers": [(b"forwarded", b"")]}
    for middleware in (SecurityHeaders(inner), PrivateMetrics(inner)):
        seen.clear()
        asyncio.run(middleware(scope, receive, send))
        assert seen == [receive, send]


# --- Known hosts (security.KnownHosts, config.ALLOWED_HOSTS) ------------------------------------


@pytest.mark.parametrize("host", ["localhost:8501", "127.0.0.1", "[::1]:8501"])
def test_the_loopback_names_are_served_by_default(host):
    assert get(wrapped(), "/", {"Host": host})[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8501", "10.0.0.7:8501", ""])
def test_a_host_the_app_was_not_given_is_refused(host):
    status, headers = get(wrapped(), "/", {"Host": host})
    assert status == 400
    assert dict(headers)["x-frame-options"] == "SAMEORIGIN"  # the refusal is a response like any


def test_a_probe_or_a_scrape_by_the_pod_s_address_is_answered():
    assert get(wrapped(), "/healthz", {"Host": "10.0.0.7:8501"})[0] == 200
    assert get(wrapped(), "/metrics", {"Host": "10.0.0.7:8501"})[0] == 200  # Prometheus's


def test_the_names_given_are_served_and_others_not():
    given = wrapped([Middleware(KnownHosts, hosts=["app.example.com", "*.apps.example.com"])])
    assert get(given, "/", {"Host": "app.example.com"})[0] == 200
    assert get(given, "/", {"Host": "blue.apps.example.com"})[0] == 200
    assert get(given, "/", {"Host": "localhost"})[0] == 400


def test_a_websocket_for_a_host_the_app_was_not_given_is_refused():
    opened: list[Scope] = []
    sent: list[Message] = []

    async def inner(scope: Scope, receive: object, send: object) -> None:
        opened.append(scope)

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    for host, refused in ((b"evil.example", True), (b"127.0.0.1:8501", False)):
        headers = [(b"host", host)]
        scope: Scope = {"type": "websocket", "path": "/_stcore/stream", "headers": headers}
        asyncio.run(KnownHosts(inner, hosts=["127.0.0.1"])(scope, receive, send))
        assert bool(opened) is not refused
        opened.clear()
    assert sent[0]["type"] == "websocket.http.response.start" and sent[0]["status"] == 400
