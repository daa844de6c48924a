"""Pick a saved view and load its filters into the Explore page."""

from dataclasses import asdict

import streamlit as st

from ..data import cached
from ..errors import DatabaseUnavailable
from ..state.pages import ExploreState


def _load_chosen_view() -> None:
    # A callback runs before the widgets render, so it may set the filter widgets' values.
    name = st.session_state["explore_view"]
    if not name:
        return
    try:
        filters = cached.load_view(name)
    except DatabaseUnavailable as error:
        st.toast(str(error), icon=":material/cloud_off:")
    except KeyError:  # deleted since the list was read
        st.toast(f"No view is named {name!r} any more.", icon=":material/error:")
    else:
        ExploreState.write(**asdict(filters), page=0)


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
