"""The Explore page's results: a chart and a paged table in one fragment."""

import math

import streamlit as st

from ..data import cached
from ..data.queries import PAGE_SIZE
from ..state.pages import ExploreState
from .charts import daily_delay_chart
from .outage import outage_message


def _show_page(page: int) -> None:
    ExploreState.write(page=page)


@st.fragment(key="explore_results")
@outage_message()
def explore_results() -> None:
    """Delays per day and one page of matching flights for the Explore page's filters.

    A fragment: paging reruns only this section, from cached queries. The browser gets 365
    chart points and ``PAGE_SIZE`` table rows at most, whatever the filters match.
    """
    state = ExploreState.read()
    filters = state.filters()
    daily = cached.daily_delays(filters)
    total = int(daily["flights"].sum())
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(state.page, pages - 1)  # a stored page past the end shows the last one

    daily_delay_chart(daily)
    st.dataframe(
        cached.flight_page(filters, page),
        hide_index=True,
        column_config={
            "sched_dep": st.column_config.DatetimeColumn("Scheduled", format="MMM D, HH:mm"),
            "dep_delay": st.column_config.NumberColumn("Dep. delay (min)"),
            "arr_delay": st.column_config.NumberColumn("Arr. delay (min)"),
        },
        alt="Table of matching flights, one page at a time",
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(
            "Previous",
            icon=":material/chevron_left:",
            disabled=page == 0,
            on_click=_show_page,
            args=(page - 1,),
            key="explore_previous",
        )
        st.caption(f"Page {page + 1:,} of {pages:,} · {total:,} flights")
        st.button(
            "Next",
            icon=":material/chevron_right:",
            disabled=page >= pages - 1,
            on_click=_show_page,
            args=(page + 1,),
            key="explore_next",
        )
