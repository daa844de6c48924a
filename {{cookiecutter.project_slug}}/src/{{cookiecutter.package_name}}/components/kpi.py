"""KPI cards that load side by side."""

import math

import streamlit as st

from ..data import cached
from ..runs import fragment_run
from .outage import outage_message


@st.fragment(parallel=True)
@fragment_run
@outage_message(retry=False)  # the page around the cards retries
def kpi_card(label: str, name: str, template: str, help: str) -> None:
    """A bordered ``st.metric`` for KPI ``name`` (see ``queries.KPIS``).

    A parallel fragment: on a full rerun the cards' queries run concurrently, each card
    showing a skeleton until its value is ready. ``template`` is a ``str.format`` template
    that gives the value its unit, e.g. ``"{:,.0f}"``, ``"{:.1%}"`` or ``"{:.1f} min"``; a KPI
    with no value (NaN: no flight arrived) shows a dash.
    """
    with st.container(border=True, height="stretch"):
        with st.skeleton(height=72):
            value = cached.kpi(name)
        st.metric(label, "—" if math.isnan(value) else template.format(value), help=help)
