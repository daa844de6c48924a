"""The Explore page's results: a chart and a paged table in one fragment."""

import math

import streamlit as st

from ..data import cached
from ..data.queries import LATE_MINUTES, PAGE_SIZE
from ..runs import fragment_run
from ..state.session import ExploreState
from .charts import daily_delay_chart
from .outage import outage_message

COLUMNS = {
    "sched_dep": st.column_config.DatetimeColumn(
        "Scheduled", format="MMM D, HH:mm", pinned=True, help="Scheduled departure, New York time"
    ),
    # Narrow, so a phone shows the arrival delay beside them.
    "carrier": st.column_config.TextColumn("Airline", width=60, help="Carrier code"),
    "flight": st.column_config.NumberColumn("Flight", width=60, format="%d", alignment="left"),
    "status": st.column_config.TextColumn(
        "Status",
        help=f"Late: arrived {LATE_MINUTES} minutes or more after schedule. Cancelled: never "
        "departed. Arrival unknown: departed, but no arrival was recorded.",
    ),
    "arr_delay": st.column_config.NumberColumn(
        "Arr. delay (min)", format="%d", help="Minutes late; early is negative"
    ),
    "dep_delay": st.column_config.NumberColumn(
        "Dep. delay (min)", format="%d", help="Minutes late; early is negative"
    ),
    "origin": st.column_config.TextColumn("From", width="small"),
    "dest": st.column_config.TextColumn("To", width="small"),
}
"""Each column of ``queries.flight_page``, labelled, in the order shown: the flight, what
became of it and its delays first, so a phone shows them and scrolls sideways to the route
(the time stays pinned). A delay reads "None" when there is none: the status says why."""


def _show_page(page: int) -> None:
    ExploreState.write(page=page)


@st.fragment(key="explore_results")
@fragment_run
@outage_message()
def explore_results() -> None:
    """Delays per day and one page of matching flights for the Explore page's filters, or a
    note that nothing matches.

    A fragment: paging reruns only this section, from cached queries. The browser gets 365
    chart points and ``PAGE_SIZE`` table rows at most, whatever the filters match.
    """
    state = ExploreState.read()
    filters = state.filters()
    daily = cached.daily_delays(filters)
    total = int(daily["flights"].sum())
    if total == 0:
        st.info(
            "No flight matches these filters: widen them in the sidebar.",
            icon=":material/filter_alt_off:",
        )
        return
    pages = math.ceil(total / PAGE_SIZE)
    page = min(state.page, pages - 1)  # a stored page past the end shows the last one

    daily_delay_chart(daily)
    st.dataframe(
        cached.flight_page(filters, page),
        hide_index=True,
        column_config=COLUMNS,
        column_order=list(COLUMNS),
        alt="Table of matching flights, one page at a time",
    )
    # The caption, then the two buttons kept together: on a phone the pair wraps as one.
    with st.container(
        horizontal=True, vertical_alignment="center", horizontal_alignment="distribute"
    ):
        st.caption(f"Page {page + 1:,} of {pages:,} · {total:,} flights")
        with st.container(horizontal=True, width="content", wrap=False):
            st.button(
                "Previous",
                icon=":material/chevron_left:",
                disabled=page == 0,
                on_click=_show_page,
                args=(page - 1,),
                key="explore_previous",
            )
            st.button(
                "Next",
                icon=":material/chevron_right:",
                icon_position="right",
                disabled=page >= pages - 1,
                on_click=_show_page,
                args=(page + 1,),
                key="explore_next",
            )
