"""Pick a saved view and load its filters into the Explore page."""

from dataclasses import asdict

import streamlit as st

from ..data import cached
from ..state.pages import ExploreState


def _load_chosen_view() -> None:
    # A callback runs before the widgets render, so it may set the filter widgets' values.
    name = st.session_state["explore_view"]
    if name:
        ExploreState.write(**asdict(cached.load_view(name)), page=0)


def saved_view_loader() -> None:
    """A saved-view picker and a Load button; a hint when nothing is saved yet."""
    names = cached.view_names()
    if not names:
        st.caption("No saved views yet: build one on the Wizard page.")
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(
            "Saved view", names, index=None, placeholder="Choose a view", key="explore_view"
        )
        st.button("Load", icon=":material/download:", on_click=_load_chosen_view)
