"""KPI cards that load side by side."""

import streamlit as st

from ..data import cached
from .outage import outage_message


@st.fragment(parallel=True)
@outage_message(retry=False)  # the page around the cards retries
def kpi_card(label: str, name: str, number_format: str, help: str) -> None:
    """A bordered ``st.metric`` for KPI ``name`` (see ``queries.KPIS``).

    A parallel fragment: on a full rerun the cards' queries run concurrently, each card
    showing a skeleton until its value is ready. ``number_format`` is a ``format()`` spec,
    e.g. ``",.0f"`` or ``".1%"``.
    """
    with st.container(border=True, height="stretch"):
        with st.skeleton(height=72):
            value = cached.kpi(name)
        st.metric(label, format(value, number_format), help=help)
