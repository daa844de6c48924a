"""Session-state layer: typed per-page state, initialised in one place."""

from .pages import ExploreState, WizardState, explore, init_session_state, wizard
from .store import PageState, field_key, write

__all__ = [
    "ExploreState",
    "PageState",
    "WizardState",
    "explore",
    "field_key",
    "init_session_state",
    "wizard",
    "write",
]
