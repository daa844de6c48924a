"""One browser tab of a Streamlit 1.67 app, over the websocket the browser's frontend uses.

    session = await Session.open("http://127.0.0.1:8501")          # loads "/", like a new tab
    await session.rerun(page="explore")                            # a click in the navigation
    await session.rerun(widgets={"explore.carriers": ["United (UA)"]})
    await session.reconnect()                                      # the socket dropped
    await session.close()

What it does, step by step as the frontend does it (read from the server in
``streamlit/web/server/starlette/starlette_websocket.py``, ``streamlit/runtime/app_session.py``
and the frontend bundle in ``streamlit/static``):

- HTTP first: ``GET`` the page, then ``/_stcore/health`` (which sets the ``_streamlit_xsrf``
  cookie) and ``/_stcore/host-config``, keeping every cookie they set, a proxy's routing cookie
  included. A reconnect repeats the two ``/_stcore`` requests, as the frontend's ping does, so a
  proxy that moved the tab to another replica can set its new routing cookie.
- The websocket ``/_stcore/stream`` is opened with those cookies, an ``Origin`` of the app, and
  the subprotocols ``["streamlit", <xsrf cookie or "PLACEHOLDER_AUTH_TOKEN">, <last session
  id>]``: the server picks the first, checks the second against the cookie, and resumes the
  session named by the third if it still has it (otherwise it starts a new one).
- Each interaction is one ``BackMsg.rerun_script`` (a ``ClientState``): the query string, the
  page's ``page_script_hash`` (or, on the first load, its ``page_name`` from the URL path),
  the fragment to rerun (or none), the browser's context, and the ``WidgetStates``: every
  widget's current value, in its wire field (see ``Widget``). A page switch sends only the
  widgets the entrypoint script drew and keeps only the query parameters bound to widgets.
- The server answers with ``ForwardMsg``s: ``new_session`` starts a run (its
  ``metadata.run`` names the run and, for a fragment run, its fragments), ``navigation`` lists
  the pages, ``delta``s draw elements, ``page_info_changed`` sets the URL's query string, and
  ``script_finished`` ends a run. A rerun is done when the run it started ends with
  ``FINISHED_SUCCESSFULLY``, ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY`` (it was a fragment's) or
  ``FINISHED_WITH_COMPILE_ERROR``; ``FINISHED_EARLY_FOR_RERUN`` (``st.rerun()``) means the
  next run of the chain follows, and is waited for too.

Only what a rerun needs is read from the stream: widgets (decoded by ``widgets.py``, the
codec), exceptions, the pages, the query string, and the text of markdown, headings and alerts
(``texts``). Charts and tables are not
decoded. This client sends the timed reruns of ``st.fragment(run_every=...)``, which the
browser sends on its own clock, only when asked (``tick``), so a fragment's auto-refresh costs
the server nothing here unless a test wants it.
"""

import asyncio
import contextlib
import functools
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

import httpx
import websockets
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from streamlit.proto.AppPage_pb2 import AppPage
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from .widgets import (
    SUPPORTED,
    UNSET,
    WIDGET_ELEMENTS,
    Widget,
    checked,
    encode,
    encode_query,
    filtered_query,
    parse_widget,
    url_values,
)

RERUN_TIMEOUT: Final = 60.0
"""Seconds a rerun may take, from send to the end of its run, by default."""

HTTP_TIMEOUT: Final = 10.0
"""Seconds for each HTTP request and for the websocket handshake."""

XSRF_COOKIE: Final = "_streamlit_xsrf"
NO_TOKEN: Final = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends without an xsrf cookie
EMBED_PARAMS: Final = frozenset({"embed", "embed_options"})  # kept on a page switch

_DONE: Final = frozenset(
    {
        ForwardMsg.FINISHED_SUCCESSFULLY,
        ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
        ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    }
)


class SessionClosed(ConnectionError):
    """The websocket closed (or never opened): reconnect, or open a new session."""


class ProtocolError(Exception):
    """The server sent a frame that is not a ``ForwardMsg`` (a text frame, or bytes that do
    not parse): not Streamlit's protocol, e.g. a proxy's error page on the socket."""


@dataclass
class _Run:
    """The run in progress, from its ``new_session``."""

    id: str = ""
    fragments: frozenset[str] = frozenset()


@dataclass
class Session:
    """One browser tab: a websocket to the app and what the page shows.

    Open it with ``Session.open``; not for concurrent use (one rerun at a time). Every wait is
    bounded: a rerun by its ``timeout`` (``TimeoutError``), HTTP and the websocket handshake by
    ``HTTP_TIMEOUT`` each (``SessionClosed``).
    """

    base_url: str
    """The app's URL without a trailing slash, e.g. ``http://127.0.0.1:8501`` (or a prefix)."""
    query_string: str = ""
    """The query string the browser's address bar holds (without ``?``): as opened, then as
    the server sets it (``page_info_changed``) and as bound widgets rewrite it."""
    cookies: dict[str, str] = field(default_factory=dict)
    """Every cookie the server and any proxy set, sent with each request and the websocket."""
    page: str = ""
    """The current page's url path, e.g. ``"explore"``; the default page's is ``""``."""
    pages: dict[str, str] = field(default_factory=dict)
    """Url path -> ``page_script_hash``, for every page the navigation lists."""
    errors: list[str] = field(default_factory=list)
    """Every error the app showed this tab: uncaught exceptions (``exception`` elements that
    are not warnings), compile errors and unknown pages, as ``"<type>: <message>"``."""
    session_id: str = ""
    """The server's id of this tab's session (it changes when another server takes the tab)."""
    first_load_ms: float = 0.0
    """The first load's rerun, in ms (what ``open`` waited for)."""
    auto_reruns: dict[str, float] = field(default_factory=dict)
    """Fragment id -> seconds, for each ``run_every`` fragment (never sent: see the module)."""
    timeout: float = RERUN_TIMEOUT
    _ws: ClientConnection | None = None
    _by_id: dict[str, Widget] = field(default_factory=dict)
    _texts: dict[tuple[int, ...], str] = field(default_factory=dict)
    _titles: dict[str, str] = field(default_factory=dict)  # lowercase title -> url path
    _run: _Run = field(default_factory=_Run)
    _page_hash: str = ""
    _main_hash: str = ""
    _busy: bool = False

    @classmethod
    async def open(
        cls,
        base_url: str,
        path: str = "/",
        query_string: str = "",
        cookies: dict[str, str] | None = None,
        *,
        timeout: float = RERUN_TIMEOUT,
    ) -> "Session":
        """Open a tab on ``base_url`` + ``path`` (+ ``?query_string``) and wait for its first run.

        ``path`` is the page's URL path (``"/"`` for the default page, ``"/explore"``);
        ``cookies`` start the cookie jar (e.g. a proxy's routing cookie, to pin a replica).
        The first load's time is ``first_load_ms``.

        Raises:
            SessionClosed: an HTTP request failed or answered an error status, or the
                websocket did not open or closed before the run ended.
            TimeoutError: the first run did not end within ``timeout`` seconds.
            ProtocolError: the server sent a frame that is no ``ForwardMsg``.
        """
        session = cls(base_url.rstrip("/"), query_string.lstrip("?"), dict(cookies or {}))
        session.timeout = timeout
        await session._fetch(path)
        await session._connect()
        session.page = path.strip("/")  # until the server names the page
        state = session._client_state(session._all_widgets())
        state.page_name = path.strip("/")
        try:
            session.first_load_ms = await session._send(state, f"first load of {path!r}")
        except BaseException:
            await session.close()
            raise
        return session

    @property
    def widgets(self) -> dict[str, Widget]:
        """The widgets on the page by their ``key=`` (widgets without a key are left out)."""
        return {w.key: w for w in self._by_id.values() if w.key is not None}

    def widget_id(self, label: str, kind: str = "form_submit_button") -> str:
        """The element id of the widget of ``kind`` labelled ``label``, for a widget without a
        ``key=`` (a form's submit button, by default).

        Raises:
            AssertionError: the page shows no such widget.
        """
        for widget in self._by_id.values():
            if widget.kind == kind and widget.label == label:
                return widget.id
        raise AssertionError(f"no {kind} {label!r}; the page shows {self.texts}")

    @property
    def texts(self) -> list[str]:
        """The page's markdown, captions, headings and alerts (``st.warning`` and its kind), in
        page order, as the last runs drew them."""
        return [self._texts[path] for path in sorted(self._texts)]

    @property
    def connected(self) -> bool:
        """Whether the websocket is open (it may still have dropped without a word)."""
        return self._ws is not None and self._ws.state is websockets.State.OPEN

    async def rerun(
        self,
        page: str | None = None,
        widgets: dict[str, object] | None = None,
        *,
        timeout: float | None = None,
    ) -> float:
        """Rerun the app as the browser does after a click; return ms from send to the run's end.

        ``page``: switch to the page with this url path (a key of ``pages``, e.g.
        ``"explore"``; the default page's is ``""``) or, failing that, this title, in any
        case (``"overview"`` for the page titled "Overview"). ``widgets``: widget ``key=``
        (or element id) -> new value, in the form ``Widget.value`` documents (``True`` clicks
        a button); the other widgets keep their values, and all are sent. A change to widgets
        that are all in one fragment reruns only that fragment; a form's fields are sent when
        its submit button is clicked (in the same call or a later one). Neither: a plain rerun,
        as on a reconnect.

        The errors the run shows are added to ``errors``: they do not raise.

        Raises:
            ValueError: both ``page`` and ``widgets``; a value the widget cannot take.
            KeyError: an unknown page or widget key.
            UnsupportedWidget: a value for a widget kind outside ``SUPPORTED``.
            SessionClosed: the websocket closed (call ``reconnect``).
            TimeoutError: the run did not end within ``timeout`` (default: the session's)
                seconds; the session's state is then unknown: reconnect or close it.
            ProtocolError: the server sent a frame that is no ``ForwardMsg`` (then likewise).
        """
        if page is not None and widgets:
            raise ValueError("rerun: a page switch and widget changes are two interactions")
        if page is not None:
            return await self._switch_page(page, timeout)
        if not widgets:
            what = f"rerun of page {self.page!r}"
            return await self._send(self._client_state(self._all_widgets()), what, timeout)
        return await self._change(widgets, timeout)

    async def tick(self, fragment_id: str, *, timeout: float | None = None) -> float:
        """Rerun fragment ``fragment_id`` (a key of ``auto_reruns``) as the browser's timer
        does for ``st.fragment(run_every=...)``; return ms from send to the run's end.

        Raises:
            KeyError: no ``run_every`` fragment has that id.
            SessionClosed, TimeoutError, ProtocolError: as ``rerun``.
        """
        if fragment_id not in self.auto_reruns:
            raise KeyError(f"no run_every fragment {fragment_id!r}: {sorted(self.auto_reruns)}")
        state = self._client_state(self._all_widgets())
        state.fragment_id = fragment_id
        return await self._send(state, f"timed rerun of fragment {fragment_id!r}", timeout)

    async def reconnect(self, *, timeout: float | None = None) -> bool:
        """Open a new websocket for this tab and rerun its page, as the browser does when the
        socket drops; return True when the server resumed the same session.

        The handshake names the old session, so the server that has it resumes it; another
        server (behind a proxy, after a failover) starts a new one, and the rerun sends it the
        page, the query string and every widget value, so the tab comes back as it was.
        (The browser sends that rerun right away only when a run was under way, otherwise with
        the next click; this sends it at once, so the caller sees whether the tab works.)

        Raises:
            SessionClosed: the new websocket did not open, or closed before the run ended.
            TimeoutError: the rerun did not end within ``timeout`` seconds.
            ProtocolError: the server sent a frame that is no ``ForwardMsg``.
        """
        old = self.session_id
        await self._drop_socket()
        await self._fetch(None)
        await self._connect(old)
        state = self._client_state(self._all_widgets())
        await self._send(state, f"rerun of page {self.page!r} after a reconnect", timeout)
        return self.session_id == old

    async def close(self) -> None:
        """Close the websocket (the server then ends the session after its grace period)."""
        await self._drop_socket()

    # --- interactions ----------------------------------------------------------------------

    async def _switch_page(self, page: str, timeout: float | None) -> float:
        path = page if page in self.pages else self._titles.get(page.lower())
        if path is None:
            raise KeyError(f"no page with url path or title {page!r}; "
                           f"the url paths are {sorted(self.pages)}")  # fmt: skip
        target = self.pages[path]
        # The frontend clears the page's elements and sends only the entrypoint's widgets.
        state = self._client_state(
            self._all_widgets(lambda w: w.script_hash == self._main_hash), target
        )
        if target != self._page_hash:
            # ... and keeps only the embed and widget-bound parameters; the server then drops
            # the ones bound to another page's widgets, and says so (page_info_changed).
            bound = {w.query_param_key for w in self._by_id.values() if w.query_param_key}
            state.query_string = filtered_query(
                self.query_string, lambda name: name.lower() in EMBED_PARAMS or name in bound
            )
            self.query_string = state.query_string
        return await self._send(state, f"switch to page {page!r}", timeout)

    async def _change(self, changes: dict[str, object], timeout: float | None) -> float:
        by_key = self.widgets
        resolved: list[tuple[Widget, Any]] = []
        for key, value in changes.items():
            widget = by_key.get(key) or self._by_id.get(key)
            if widget is None:
                raise KeyError(f"no widget with key {key!r} on page {self.page!r}; "
                               f"the keys are {sorted(by_key)}")  # fmt: skip
            resolved.append((widget, checked(widget, value)))
        clicked: list[Widget] = []
        for widget, value in resolved:
            if widget.kind in ("button", "form_submit_button"):
                if value:
                    clicked.append(widget)
                continue
            widget.value = value
            if not widget.form_id:
                widget.committed = value
                self._bind_url(widget)
        for button in clicked:
            if button.kind == "form_submit_button":  # the form's fields go with its submit
                for field_ in self._by_id.values():
                    if field_.form_id == button.form_id and field_.kind != "form_submit_button":
                        field_.committed = field_.value
                        self._bind_url(field_)
        state = self._client_state(self._all_widgets(), triggers=clicked)
        # One fragment for every change: rerun only it (the frontend's rule), else the app.
        fragments = {widget.fragment_id for widget, _ in resolved}
        if len(fragments) == 1:
            state.fragment_id = fragments.pop()
        return await self._send(state, f"change of {sorted(changes)}", timeout)

    def _bind_url(self, widget: Widget) -> None:
        """Write a bound widget's value into the query string, as the frontend does on a change:
        the parameter repeated for each item of a list, and dropped at the default value."""
        if not widget.query_param_key:
            return
        values = url_values(widget, widget.committed)
        if values is not None and values == url_values(widget, widget.default):
            values = None
        pairs = [p for p in parse_qsl(self.query_string, keep_blank_values=True)
                 if p[0] != widget.query_param_key]  # fmt: skip
        pairs += [(widget.query_param_key, value) for value in values or ()]
        pairs.sort(key=lambda pair: pair[0])  # the frontend's query-string library sorts keys
        self.query_string = encode_query(pairs)

    def _client_state(
        self, widgets: WidgetStates, page_hash: str | None = None, triggers: Sequence[Widget] = ()
    ) -> ClientState:
        state = ClientState(
            query_string=self.query_string,
            page_script_hash=self._page_hash if page_hash is None else page_hash,
        )
        state.widget_states.CopyFrom(widgets)
        for button in triggers:
            state.widget_states.widgets.append(WidgetState(id=button.id, trigger_value=True))
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        query = f"?{self.query_string}" if self.query_string else ""
        info.url = f"{self.base_url}/{self.page}{query}"
        info.color_scheme = "light"
        return state

    def _all_widgets(self, keep: Callable[[Widget], bool] | None = None) -> WidgetStates:
        """The ``WidgetStates`` the frontend sends: every widget's committed value (buttons
        only when clicked; kinds this client cannot encode are left to the server)."""
        states = WidgetStates()
        for widget in self._by_id.values():
            if widget.kind in SUPPORTED and (keep is None or keep(widget)):
                encoded = encode(widget, widget.committed)
                if encoded is not None:
                    states.widgets.append(encoded)
        return states

    # --- the stream ------------------------------------------------------------------------

    async def _send(self, state: ClientState, what: str, timeout: float | None = None) -> float:
        """Send ``state`` as a rerun and read the stream until the run it starts has ended."""
        if self._busy:
            raise RuntimeError(f"{what}: another rerun of this session is under way")
        if self._ws is None:
            raise SessionClosed(f"{what}: the session is closed")
        limit = self.timeout if timeout is None else timeout
        self._busy = True
        try:
            message = BackMsg()
            message.rerun_script.CopyFrom(state)
            started = time.perf_counter()
            try:
                async with asyncio.timeout(limit):
                    await self._ws.send(message.SerializeToString())
                    await self._read_until_done()
            except TimeoutError:
                raise TimeoutError(f"{what}: the run did not end within {limit:g} s") from None
            except websockets.ConnectionClosed as closed:
                self._ws = None
                raise SessionClosed(f"{what}: the websocket closed ({closed})") from closed
            return (time.perf_counter() - started) * 1000
        finally:
            self._busy = False

    async def _read_until_done(self) -> None:
        assert self._ws is not None
        ours: str | None = None  # the run our rerun started, then the chain's later runs
        while True:
            data = await self._ws.recv(decode=False)
            try:
                message = ForwardMsg.FromString(data)
            except DecodeError as error:
                raise ProtocolError(f"a frame of {len(data)} bytes is no ForwardMsg") from error
            kind = message.WhichOneof("type")
            if kind == "delta":
                self._on_delta(message)
            elif kind == "new_session":
                ours = self._on_new_session(message)
            elif kind == "script_finished":
                run = message.metadata.run.script_run_id
                if ours is None or (run and run != ours):
                    continue  # the end of a run from before this rerun
                status = message.script_finished
                if status in _DONE:
                    self._on_finished(status)
                    return
            elif kind == "navigation":
                self._on_navigation(message)
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "page_not_found":
                self.errors.append(f"PageNotFound: {message.page_not_found.page_name!r}")
            elif kind == "auto_rerun":
                self.auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "session_event":
                event = message.session_event
                if event.WhichOneof("type") == "script_compilation_exception":
                    compiled = event.script_compilation_exception
                    self.errors.append(f"{compiled.type}: {compiled.message}")

    def _on_new_session(self, message: ForwardMsg) -> str:
        run = message.metadata.run
        self._run = _Run(run.script_run_id, frozenset(run.fragment_ids))
        new = message.new_session
        self.session_id = new.initialize.session_id
        self._main_hash = new.main_script_hash
        if not self._run.fragments:
            self._texts.clear()  # a full run draws the page anew
        if new.app_pages and not self.pages:  # a pages/ app; st.navigation sends `navigation`
            self._set_pages(new.app_pages, new.page_script_hash)
        return self._run.id

    def _on_navigation(self, message: ForwardMsg) -> None:
        self._set_pages(message.navigation.app_pages, message.navigation.page_script_hash)

    def _set_pages(self, pages: Iterable[AppPage], current: str) -> None:
        self.pages = {page.url_pathname: page.page_script_hash for page in pages}
        self._titles = {page.page_name.lower(): page.url_pathname for page in pages}
        self._page_hash = current
        shown = [path for path, hash_ in self.pages.items() if hash_ == current]
        self.page = shown[0] if shown else self.page

    def _on_delta(self, message: ForwardMsg) -> None:
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind in WIDGET_ELEMENTS:
            self._on_widget(element, kind, message, delta.fragment_id)
        elif kind == "exception":
            if not element.exception.is_warning:
                self.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "markdown":
            self._texts[tuple(message.metadata.delta_path)] = element.markdown.body
        elif kind == "heading":
            self._texts[tuple(message.metadata.delta_path)] = element.heading.body
        elif kind == "alert":  # st.error, st.warning, st.info, st.success
            self._texts[tuple(message.metadata.delta_path)] = element.alert.body

    def _on_widget(self, element: Element, kind: str, message: ForwardMsg, fragment: str) -> None:
        parsed = parse_widget(element, kind)
        if parsed is None:
            return
        drawn, current = parsed
        known = self._by_id.get(drawn.id)
        if known is None:  # new to the page: the server's value, or the default
            drawn.value = drawn.default if current is UNSET else current
        elif current is not UNSET:  # the server set it (session state, URL, a reset)
            drawn.value = current
        else:  # the browser keeps what it holds
            drawn.value, drawn.committed = known.value, known.committed
        if known is None or current is not UNSET:
            drawn.committed = drawn.value
        drawn.fragment_id = fragment
        drawn.script_hash = message.metadata.active_script_hash
        drawn.run_id = self._run.id
        self._by_id[drawn.id] = drawn

    def _on_finished(self, status: int) -> None:
        """Drop the widgets the finished run was responsible for and did not draw (the
        frontend's ``removeInactive``): all others for a full run, the fragment's for a
        fragment run; nothing after a compile error, which leaves the page as it was."""
        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            return
        run = self._run
        for id_, widget in list(self._by_id.items()):
            owned = not run.fragments or widget.fragment_id in run.fragments
            if owned and widget.run_id != run.id:
                del self._by_id[id_]

    # --- connections -----------------------------------------------------------------------

    async def _fetch(self, path: str | None) -> None:
        """The browser's HTTP requests before a websocket: the page (``path``; None on a
        reconnect, which only pings), ``/_stcore/health`` and ``/_stcore/host-config``."""
        query = f"?{self.query_string}" if self.query_string else ""
        urls = [] if path is None else [f"{self.base_url}/{path.lstrip('/')}{query}"]
        urls += [f"{self.base_url}/_stcore/health", f"{self.base_url}/_stcore/host-config"]
        async with httpx.AsyncClient(
            cookies=self.cookies, timeout=HTTP_TIMEOUT, follow_redirects=True, verify=_tls()
        ) as client:
            for url in urls:
                try:
                    response = await client.get(url)
                except httpx.HTTPError as error:
                    raise SessionClosed(f"GET {url}: {error!r}") from error
                if response.status_code >= 400:
                    raise SessionClosed(f"GET {url} answered {response.status_code}")
            self.cookies = {cookie.name: cookie.value or "" for cookie in client.cookies.jar}

    async def _connect(self, session_id: str = "") -> None:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"
        tokens = ["streamlit", self.cookies.get(XSRF_COOKIE, NO_TOKEN)]
        if session_id:
            tokens.append(session_id)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            self._ws = await connect(
                url,
                origin=Origin(f"{parts.scheme}://{parts.netloc}"),
                subprotocols=[Subprotocol(token) for token in tokens],
                additional_headers=headers if self.cookies else None,
                open_timeout=HTTP_TIMEOUT,
                close_timeout=2,
                max_size=2**28,  # Streamlit's own limit is server.maxMessageSize (200 MB)
            )
        except (OSError, TimeoutError, websockets.WebSocketException) as error:
            raise SessionClosed(f"websocket {url}: {error!r}") from error

    async def _drop_socket(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(OSError, websockets.WebSocketException):
                await ws.close()  # may be gone already: that is what a drop is


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every HTTP client: building one costs ~40 ms of CPU."""
    return ssl.create_default_context()
