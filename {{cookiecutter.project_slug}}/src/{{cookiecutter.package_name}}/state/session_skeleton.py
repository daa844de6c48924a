"""What a session keeps: each page's state, as a dataclass with its defaults, and the one place
they are set (``init_session_state``)."""

from dataclasses import dataclass
from typing import ClassVar

from .store import PageState


@dataclass(frozen=True)
class HomeState(PageState):
    """The Home page: the search over its notes."""

    NAMESPACE: ClassVar[str] = "home"

    search: str = ""
{% with page = cookiecutter.__example_page %}{% include "tools/templates/state.py.jinja" %}{% endwith %}

PAGE_STATES = (HomeState, PenguinsState)
"""The state of every page that keeps any."""


def init_session_state() -> None:
    """Give every page's state its defaults where the session has no value yet.

    The entrypoint calls this on each run: the first sets the defaults, later ones only look
    them up (dict lookups, no I/O).
    """
    for state_type in PAGE_STATES:
        state_type.init()
