"""Flight filter widgets, bound to a page's state by key."""

from collections.abc import Callable
from dataclasses import asdict
from typing import NamedTuple

import streamlit as st

from ..data import cached
from ..data.filters import ARR_DELAY_BOUNDS, carrier_label, month_span
from ..state.session import ExploreState, FilterState

LABELS = {
    "carriers": "Carriers",
    "origins": "Origin",
    "months": "Months",
    "arr_delay": "Arrival delay (min)",
}
"""Each filter field's widget label."""

RANGES = ("months", "arr_delay")
"""The filter fields that are ranges, ``(low, high)``."""


def filter_widgets(
    state_type: type[FilterState], on_change: Callable[[], None] | None = None
) -> None:
    """Carrier, origin, month and delay widgets bound to ``state_type``'s fields.

    The widgets keep their values for the whole session (``persist_state``), so a page switch
    and back finds them as they were; ``state_type``'s URL fields also live in the URL's
    query string (``bind``, which then takes over from ``persist_state``). ``on_change`` runs
    when any of them changes.
    """
    options = cached.filter_options()
    st.multiselect(
        LABELS["carriers"],
        list(options.carriers),
        default=state_type.initial("carriers"),
        format_func=lambda code: carrier_label(code, options.carriers[code]),
        placeholder="All carriers",
        key=state_type.key("carriers"),
        on_change=on_change,
        bind=state_type.bind("carriers"),
        persist_state="session",
    )
    st.pills(
        LABELS["origins"],
        options.origins,
        selection_mode="multi",
        default=state_type.initial("origins"),
        help="New York airport the flight left from; none selected means all three.",
        key=state_type.key("origins"),
        on_change=on_change,
        bind=state_type.bind("origins"),
        persist_state="session",
    )
    # Month numbers, so the URL reads months=3&months=8; their names show under the slider.
    months = st.slider(
        LABELS["months"],
        1,
        12,
        value=state_type.initial("months"),
        key=state_type.key("months"),
        on_change=on_change,
        bind=state_type.bind("months"),
        persist_state="session",
    )
    st.caption(month_span(months))
    st.slider(
        LABELS["arr_delay"],
        *ARR_DELAY_BOUNDS,
        value=state_type.initial("arr_delay"),
        step=5,
        help="The full range keeps cancelled flights; any narrower range drops them.",
        key=state_type.key("arr_delay"),
        on_change=on_change,
        bind=state_type.bind("arr_delay"),
        persist_state="session",
    )


def _back_to_first_page() -> None:
    ExploreState.write(page=0)


_LINK_FIX = "explore_filters.link_fix"
"""Session-state key of the ``LinkFix`` a run leaves for the rerun it asks for."""


class LinkFix(NamedTuple):
    """What the URL's values lost when the filter widgets took them."""

    ordered: dict[str, tuple[int, int]]
    """The ranges the URL gave high to low, in order: field -> ``(low, high)``."""
    changed: list[str]
    """The labels of the filters whose values were dropped, clamped or put in order."""


def _link_fix(linked: dict[str, list[str]]) -> LinkFix:
    """What the URL had wrong, once the widgets have taken its values. ``linked`` is the query
    string as it was before (field -> values), empty unless this was their first render in the
    session; a range high to low is found on any run (browser history can bring one back)."""
    kept = ExploreState.url_values() if linked else {}
    dropped = {f for f, values in linked.items() if values and values != kept[f]}
    state = asdict(ExploreState.read())
    ordered = {f: (state[f][1], state[f][0]) for f in RANGES if state[f][0] > state[f][1]}
    changed = [LABELS[f] for f in LABELS if f in dropped or f in ordered]
    return LinkFix(ordered, changed)


def explore_filters() -> None:
    """The Explore page's filters, kept in the URL; any change goes back to the table's
    first page.

    On their first render in a session the widgets take their values from the link, and
    Streamlit drops or clamps what they can't hold: an unknown carrier or airport, a month
    outside 1..12, a number that isn't one, a range with one or three ends. It keeps a range
    given high to low (``months=8&months=3``, from a link or from browser history), which a
    slider can't show: this puts it in order on a rerun, the only extra run, and only for
    such a URL. A toast names the filters that the URL had wrong.
    """
    fix: LinkFix | None = st.session_state.pop(_LINK_FIX, None)
    if fix:
        ExploreState.write(**fix.ordered)  # before the widgets render, as a callback would
    linked = {} if ExploreState.has_url_fields() else ExploreState.url_values()
    with st.container(border=True, key="explore_filters"):
        filter_widgets(ExploreState, on_change=_back_to_first_page)
    if not fix:
        fix = _link_fix(linked)
        if fix.ordered:
            # The widgets have rendered: only the next run may set them. On a first load the
            # address bar keeps the reversed range until the slider moves (Streamlit puts a
            # write into the URL only for a widget that has finished a run before).
            st.session_state[_LINK_FIX] = fix
            st.rerun()
    if fix.changed:
        st.toast(
            f"Part of this link didn't fit the filters and was adjusted: {', '.join(fix.changed)}.",
            icon=":material/link_off:",
        )
