"""What a session keeps: each page's state, as a dataclass with its defaults, and the one place
they are set (``init_session_state``)."""

from dataclasses import dataclass
from typing import ClassVar

from ..data.filters import ARR_DELAY_BOUNDS, MONTHS, FlightFilters
from .store import PageState


@dataclass(frozen=True)
class FilterState(PageState):
    """The filter fields a page binds to ``components.filters.filter_widgets``."""

    carriers: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    months: tuple[int, int] = MONTHS
    arr_delay: tuple[int, int] = ARR_DELAY_BOUNDS

    def filters(self) -> FlightFilters:
        """The query filters these fields select."""
        return FlightFilters(self.carriers, self.origins, self.months, self.arr_delay)


@dataclass(frozen=True)
class ExploreState(FilterState):
    """The Explore page: its filters, kept in the URL, and the table page shown (0-based)."""

    NAMESPACE: ClassVar[str] = "explore"
    # Not the page: buttons set it (bind needs a widget), and a shared link opens on page 1.
    URL_FIELDS: ClassVar[frozenset[str]] = frozenset({"carriers", "origins", "months", "arr_delay"})

    page: int = 0


@dataclass(frozen=True)
class WizardState(FilterState):
    """The saved-view wizard: the step shown (1..``WIZARD_STEPS``) and the answers so far.

    None of it is in the URL: a view is built in steps and saved, not shared half-made.
    """

    NAMESPACE: ClassVar[str] = "wizard"

    step: int = 1
    name: str = ""
    saved: str = ""
    """Name of the view saved last, for the confirmation; empty before the first save."""
    error: str = ""
    """Why the name or the save was refused, shown with the step's fields; empty once a step
    moves on."""


WIZARD_STEPS = 3


@dataclass(frozen=True)
class SavedViewsState(PageState):
    """The saved views in Explore's sidebar: the view picked, and renaming or deleting it."""

    NAMESPACE: ClassVar[str] = "saved_views"

    chosen: str | None = None
    """The view picked, by name; None until one is."""
    new_name: str = ""
    """What the rename box holds."""
    deleting: bool = False
    """Whether Delete was clicked once: the second click, on the confirmation, deletes."""
    error: str = ""
    """Why the last rename or delete was refused; empty once one succeeds."""


PAGE_STATES = (ExploreState, WizardState, SavedViewsState)
"""The state of every page that keeps any."""


def init_session_state() -> None:
    """Give every page's state its defaults where the session has no value yet.

    The entrypoint calls this on each run: the first sets the defaults, later ones only look
    them up (a dozen dict lookups, no I/O).
    """
    for state_type in PAGE_STATES:
        state_type.init()
