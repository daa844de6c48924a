"""Flight filter widgets, bound to a page's state by key."""

from collections.abc import Callable

import streamlit as st

from ..data import cached
from ..data.filters import ARR_DELAY_BOUNDS
from ..state.pages import ExploreState, FilterState


def filter_widgets(
    state_type: type[FilterState], on_change: Callable[[], None] | None = None
) -> None:
    """Carrier, origin, month and delay widgets bound to ``state_type``'s fields.

    The widgets keep their values for the whole session (``persist_state``), so a page switch
    and back finds them as they were. ``on_change`` runs when any of them changes.
    """
    options = cached.filter_options()
    st.multiselect(
        "Carriers",
        list(options.carriers),
        format_func=lambda code: f"{options.carriers[code]} ({code})",
        placeholder="All carriers",
        key=state_type.key("carriers"),
        on_change=on_change,
        persist_state="session",
    )
    st.pills(
        "Origin",
        options.origins,
        selection_mode="multi",
        help="New York airport the flight left from; none selected means all three.",
        key=state_type.key("origins"),
        on_change=on_change,
        persist_state="session",
    )
    st.slider(
        "Months",
        1,
        12,
        key=state_type.key("months"),
        on_change=on_change,
        persist_state="session",
    )
    st.slider(
        "Arrival delay (min)",
        *ARR_DELAY_BOUNDS,
        step=5,
        help="The full range keeps cancelled flights; any narrower range drops them.",
        key=state_type.key("arr_delay"),
        on_change=on_change,
        persist_state="session",
    )


def _back_to_first_page() -> None:
    ExploreState.write(page=0)


def explore_filters() -> None:
    """The Explore page's filters; any change goes back to the table's first page."""
    with st.container(border=True, key="explore_filters"):
        filter_widgets(ExploreState, on_change=_back_to_first_page)
