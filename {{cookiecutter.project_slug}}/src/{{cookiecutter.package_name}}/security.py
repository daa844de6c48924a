"""What the server tells browsers about its pages, and what it keeps from the internet: three
ASGI middleware for ``st.App`` (``app.py``).

All three are plain ASGI. They look at HTTP requests only and hand the websocket, which carries
every rerun, straight through, so an interaction costs nothing more. (Starlette's
``BaseHTTPMiddleware`` would run each HTTP response through a task and a stream.)
"""

from collections.abc import Iterable, Sequence

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS_MAX_AGE = 365 * 24 * 3600
"""Seconds a browser keeps to HTTPS for this host after an HTTPS response: a year."""

STREAMLIT_INLINE_SCRIPT = "'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='"
"""The hash of the one inline script in Streamlit's page (``window.prerenderReady = false``):
the policy runs it and no other. A Streamlit release that changes it fails
``tests/test_server.py``, which gives the new hash."""

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",  # whatever a directive below doesn't name: this server only
        # Scripts: this server's files and the hashed line, never 'unsafe-inline' or
        # 'unsafe-eval' (Vega draws the charts on its interpreter, which needs neither).
        # WebAssembly may compile: Long.js, in Streamlit's protobuf code, tries a tiny module
        # for 64-bit arithmetic (refused, it falls back, but the console logs a violation).
        f"script-src 'self' {STREAMLIT_INLINE_SCRIPT} 'wasm-unsafe-eval'",
        # Streamlit's frontend writes its styles at run time (Emotion): inline styles must be
        # let in, or no page is laid out. A style sheet can't run code.
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",  # the frontend ships a font inside its code, as a data: URL
        "img-src 'self' data: blob:",  # images the frontend makes in the page
        "connect-src 'self'",  # HTTP and the session's websocket, to this host and port only
        "frame-ancestors 'self'",  # no page of this app inside another site's frame
        "object-src 'none'",
        "base-uri 'self'",
    )
)
"""What a page of the app may load and run. ``'self'`` covers the websocket (``ws:``/``wss:``
on the page's host) in every browser of CSP level 3. A page that shows a map or another
site's images needs that host in ``img-src`` and ``connect-src``; to embed the app in a site
of yours, name it in ``frame-ancestors`` and in ``X-Frame-Options``."""

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    # No page of this app inside another site's frame: a click there can't be a click here.
    (b"x-frame-options", b"SAMEORIGIN"),  # the older header; CSP's frame-ancestors is newer
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),  # a file is run as the type the server says
    (b"referrer-policy", b"strict-origin-when-cross-origin"),  # other sites see no path
)
"""The headers every HTTP response gets. A proxy of the bake's (``deploy/nginx/app.conf``,
with compose) sends the same."""

METRICS_PATHS = ("/_stcore/metrics", "/metrics")
"""Streamlit's metrics, and the app's own (``metrics.py``)."""
FORWARDED = (b"x-forwarded-for", b"forwarded")
"""The headers a reverse proxy adds to what it forwards: nginx, ingress-nginx and the cloud
load balancers send ``X-Forwarded-For``; ``Forwarded`` is the standard's name."""


def came_through_a_proxy(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether a request with these raw ASGI ``headers`` came through a reverse proxy: it
    carries a header of ``FORWARDED``. A visitor can add one, never remove the proxy's."""
    return any(name.lower() in FORWARDED for name, _ in headers)


class SecurityHeaders:
    """Adds ``HEADERS`` to every HTTP response, and ``Strict-Transport-Security`` to those
    of HTTPS requests; each replaces a header of the same name the app set.

    HTTPS is the request's scheme: behind a proxy that ends TLS, uvicorn's ``--proxy-headers``
    (the Dockerfile's command) takes it from ``X-Forwarded-Proto``. Over plain HTTP no HSTS is
    sent: browsers ignore it there, and a local ``http://`` server must stay reachable.
    ``hsts_max_age``: in seconds; None sends no HSTS at all.
    """

    def __init__(self, app: ASGIApp, *, hsts_max_age: int | None = HSTS_MAX_AGE) -> None:
        self.app = app
        self.hsts = None if hsts_max_age is None else f"max-age={hsts_max_age}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = list(HEADERS)
        if self.hsts and scope.get("scheme") == "https":
            added.append((b"strict-transport-security", self.hsts))
        names = {name for name, _ in added}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in names]
                message = {**message, "headers": kept + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)


PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/_stcore/metrics"})
"""The health routes (``health.py``) and the app's metrics (``metrics.py``): a probe or a
scrape calls them by the pod's or container's own address, which no list of hosts names."""


class KnownHosts:
    """Refuses, with 400, an HTTP request or a websocket whose ``Host`` is not one of ``hosts``
    (Starlette's ``TrustedHostMiddleware``): a page reached through a name the operator did not
    give, as in DNS rebinding, or a proxy that forwards any name, gets nothing. ``"*"`` in
    ``hosts`` lets any name in; ``"*.example.com"`` any subdomain. The ``PROBE_PATHS`` answer
    any host, and tell a direct probe no more than it needs (``health.py``); a proxied
    request for the metrics gets 404 all the same (``PrivateMetrics``).
    """

    def __init__(self, app: ASGIApp, *, hosts: Sequence[str]) -> None:
        self.app = app
        self.checked = TrustedHostMiddleware(app, allowed_hosts=hosts, www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in PROBE_PATHS:
            await self.app(scope, receive, send)
            return
        await self.checked(scope, receive, send)


class PrivateMetrics:
    """Answers 404 to a request for metrics (``METRICS_PATHS``) that came through a reverse
    proxy.

    ``/_stcore/metrics`` tells how many sessions the server holds, how much memory they take
    and what each cache holds; Streamlit 1.67 serves it to anyone and has no option to stop.
    ``/metrics``, the app's own, tells which pages are used and how the database does.
    A request that carries a header of ``FORWARDED`` came from outside, through a proxy, and
    gets 404; a scrape from inside (Prometheus to the pod, a check on loopback) carries none
    and gets the metrics. A visitor can add such a header, never remove the proxy's. Behind a
    proxy that adds neither header, hide the path there (``deploy/nginx/app.conf`` does).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].rstrip("/").endswith(METRICS_PATHS)  # under any server.baseUrlPath
            and came_through_a_proxy(scope["headers"])
        ):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)
