"""The app's log lines: in production, one JSON object a line, for a log collector to parse;
under the development server (``streamlit run``), Streamlit's own readable lines.

``configure_json`` sends every logger's records, Streamlit's and uvicorn's included, through
one handler on standard error, formatted by structlog's ``ProcessorFormatter``. A line holds
``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``event`` (the message), then whatever the
record carries in ``extra`` (a script run's line: see ``runs.py``); an error's line carries
its traceback in ``exception``.

Nothing secret is written: every string in a line has each query parameter's value replaced
by ``…`` (a visitor's filters are theirs, and a sign-in callback's ``code`` and ``state`` are
credentials), and each secret the app was given (``configure_json``'s ``secrets``) by
``[secret]``.
"""

import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, TextIO
from urllib.parse import urlsplit

import structlog

QUERY_VALUE = re.compile(r"([?&][^=&#\s\"']+=)[^&#\s\"']*")
"""A query parameter in a URL or a path: ``?name=`` or ``&name=`` (the group), then its value."""

SHORTEST_SECRET = 8
"""Secrets shorter than this many characters are not looked for: they would match words."""


class Redact:
    """A structlog processor: every string value of the event, with query parameters' values
    and the ``secrets`` (strings) replaced."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted(
            {secret for secret in secrets if len(secret) >= SHORTEST_SECRET}, key=len, reverse=True
        )

    def __call__(
        self, logger: object, method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key, value in event.items():
            if isinstance(value, str):
                event[key] = self.redact(value)
        return event

    def redact(self, text: str) -> str:
        """``text`` with every query parameter's value and every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, "[secret]")
        return QUERY_VALUE.sub(r"\1…", text)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler that writes to standard error as ``sys.stderr`` is when each record comes,
    not as it was when the handler was made (a test runner swaps it in and out)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def without_color(
    logger: object, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: the event without uvicorn's ``color_message`` (its message with
    terminal colour codes)."""
    event.pop("color_message", None)
    return event


def configure_json(
    secrets: Iterable[str] = (), level: int = logging.WARNING, stream: TextIO | None = None
) -> None:
    """Write every log record as one JSON line to ``stream`` (standard error by default): this
    package's from INFO up, Streamlit's and uvicorn's at the levels they set themselves (INFO),
    every other library's from ``level`` up.

    Call it once the libraries that add their own handlers have been imported (``app.py``
    calls it on import and again once Streamlit's runtime has started): each logger that has
    handlers loses them and hands its records to the root logger's JSON handler instead. A
    logger made later with a handler of its own (Streamlit makes one for a module it imports
    late, such as its file watcher's) keeps its own format until the next call; the
    template's tests check that a served app's whole log is JSON.
    ``secrets`` are strings that must never appear in a line (see ``Redact``).
    """
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            without_color,
            Redact(secrets),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )
    handler = StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    logging.getLogger(__package__).setLevel(logging.INFO)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers.clear()
            logger.propagate = True


SECRET_KEYS = re.compile(r"password|secret|token|key|dsn", re.IGNORECASE)
"""The names of the settings whose values are secrets: ``cookie_secret``, ``client_secret``,
``password``, ``api_key``, ... (a host, a dialect or a redirect URI is not)."""


def secret_strings(secrets: Mapping[str, object], urls: Iterable[str | None] = ()) -> Iterator[str]:
    """What no line may show: the values of the settings in ``secrets`` (``st.secrets``, or a
    dict shaped like it; none without a secrets file) whose names say they are secret
    (``SECRET_KEYS``), at any depth, and the password of each URL among its values and in
    ``urls``."""
    try:
        settings = list(secrets.items())
    except FileNotFoundError:  # st.secrets, when there is no secrets file
        settings = []
    texts: list[str | None] = [*urls]
    while settings:
        name, value = settings.pop()
        if isinstance(value, Mapping):
            settings.extend(value.items())
        elif isinstance(value, str):
            texts.append(value)
            if SECRET_KEYS.search(name):
                yield value
    for text in filter(None, texts):
        try:
            password = urlsplit(text).password
        except ValueError:  # not a URL
            password = None
        if password:
            yield password
