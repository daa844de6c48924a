"""Each page's state, as a dataclass with its defaults, and the one place they are set."""

from dataclasses import dataclass
from typing import ClassVar

from ..data.filters import DELAY_BOUNDS, MONTHS, FlightFilters
from . import store


@dataclass(frozen=True)
class ExploreState:
    """The Explore page: its filter widgets and the table page shown (0-based)."""

    NAMESPACE: ClassVar[str] = "explore"

    carriers: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    months: tuple[int, int] = MONTHS
    delay: tuple[int, int] = DELAY_BOUNDS
    page: int = 0

    def filters(self) -> FlightFilters:
        """The query filters this state selects."""
        return FlightFilters(self.carriers, self.origins, self.months, self.delay)


@dataclass(frozen=True)
class WizardState:
    """The saved-view wizard: the step shown (1..``WIZARD_STEPS``) and the answers so far."""

    NAMESPACE: ClassVar[str] = "wizard"

    step: int = 1
    name: str = ""
    carriers: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    months: tuple[int, int] = MONTHS
    delay: tuple[int, int] = DELAY_BOUNDS
    saved: str = ""
    """Name of the view saved last, for the confirmation; empty before the first save."""
    error: str = ""
    """Why the last save failed; empty once a step moves on."""

    def filters(self) -> FlightFilters:
        """The filters the wizard's answers select."""
        return FlightFilters(self.carriers, self.origins, self.months, self.delay)


WIZARD_STEPS = 3

PAGE_STATES = (ExploreState, WizardState)
"""The state of every page that keeps any."""


def init_session_state() -> None:
    """Give every page's state its defaults where the session has no value yet.

    The entrypoint calls this on each run: the first sets the defaults, later ones only look
    them up (a dozen dict lookups, no I/O).
    """
    for state_type in PAGE_STATES:
        store.init(state_type)


def explore() -> ExploreState:
    """The Explore page's state in this session."""
    return store.read(ExploreState)


def wizard() -> WizardState:
    """The wizard's state in this session."""
    return store.read(WizardState)
