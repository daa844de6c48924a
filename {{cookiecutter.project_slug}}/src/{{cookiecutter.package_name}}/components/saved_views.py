"""Saved views in Explore's sidebar: pick one to load its filters, or to rename or delete it.

Views are shared: every visitor sees, loads, renames and deletes the same ones. Each write
runs in a callback, before the page reruns, so the picker already shows its outcome.
"""

import re
from dataclasses import asdict

import streamlit as st

from ..data import cached
from ..data.views import NAME_MAX_CHARS, ViewNameError
from ..errors import DatabaseUnavailable
from ..state.session import ExploreState, SavedViewsState


def as_typed(name: str) -> str:
    """``name`` with every Markdown mark escaped, for a label or message that Streamlit reads as
    Markdown: a view named ``*JFK*`` or ``[x](https://…)`` shows as typed, not as emphasis or
    a link."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=^])", r"\\\1", name)


def _gone(name: str) -> None:
    # Renamed or deleted by another visitor since the list was read: the picker lets go of it.
    SavedViewsState.write(chosen=None, new_name="", deleting=False, error="")
    gone = f"No view is named **{as_typed(name)}** any more: another visitor renamed or deleted it."
    st.toast(gone, icon=":material/error:")


def _load_chosen_view() -> None:
    # A callback runs before the widgets render, so it may set the filter widgets' values.
    name = SavedViewsState.read().chosen
    if name is None:
        return
    try:
        filters = cached.load_view(name)
    except DatabaseUnavailable as error:
        st.toast(str(error), icon=":material/cloud_off:")
    except KeyError:
        _gone(name)
    else:
        ExploreState.write(**asdict(filters), page=0)


def _another_view_chosen() -> None:
    SavedViewsState.write(new_name="", deleting=False, error="")


def _ask_to_delete() -> None:
    SavedViewsState.write(deleting=True, error="")


def _keep() -> None:
    SavedViewsState.write(deleting=False, error="")


def _rename() -> None:
    state = SavedViewsState.read()
    if state.chosen is None:
        return
    try:
        renamed = cached.rename_view(state.chosen, state.new_name)
    except ViewNameError as error:
        SavedViewsState.write(error=str(error))
    except KeyError:
        _gone(state.chosen)
    except DatabaseUnavailable as error:
        SavedViewsState.write(error=f"{error} Nothing was renamed; try again in a moment.")
    else:
        SavedViewsState.write(chosen=renamed, new_name="", error="")
        st.toast(f"Renamed to **{as_typed(renamed)}**.", icon=":material/check_circle:")


def _delete() -> None:
    state = SavedViewsState.read()
    if state.chosen is None:
        return
    try:
        cached.delete_view(state.chosen)
    except KeyError:
        _gone(state.chosen)
    except DatabaseUnavailable as error:  # the confirmation stays, to click again
        SavedViewsState.write(error=f"{error} Nothing was deleted; try again in a moment.")
    else:
        SavedViewsState.write(chosen=None, deleting=False, error="")
        st.toast(f"Deleted **{as_typed(state.chosen)}**.", icon=":material/delete:")


def _view_actions(name: str) -> None:
    """Rename ``name``, or delete it after a confirming second click; the outcome's message."""
    state = SavedViewsState.read()
    with st.form("saved_views_rename", border=False):
        st.text_input(
            "New name",
            max_chars=NAME_MAX_CHARS,
            required=True,
            key=SavedViewsState.key("new_name"),
        )
        st.form_submit_button("Rename", icon=":material/edit:", on_click=_rename)
    st.divider()
    if state.deleting:
        st.warning(f"Delete **{as_typed(name)}** for every visitor? It can't be undone.")
        with st.container(horizontal=True):
            st.button("Delete", type="primary", icon=":material/delete:", on_click=_delete)
            st.button("Cancel", on_click=_keep)
    else:
        st.button("Delete view…", icon=":material/delete:", on_click=_ask_to_delete)
    if state.error:
        st.error(state.error, icon=":material/error:")


def saved_view_loader() -> None:
    """A saved-view picker, then a Load button and an Edit popover that renames or deletes the
    view picked; a hint when nothing is saved yet. Reads the cached list of names only."""
    names = cached.view_names()
    if not names:
        st.caption("No saved views yet: build one on the Wizard page.")
        return
    chosen = st.selectbox(
        "Saved view",
        names,
        index=None,
        placeholder="Choose a view",
        key=SavedViewsState.key("chosen"),
        on_change=_another_view_chosen,
    )
    with st.container(horizontal=True):
        st.button(
            "Load", icon=":material/download:", disabled=chosen is None, on_click=_load_chosen_view
        )
        with st.popover("Edit", icon=":material/edit:", disabled=chosen is None):
            if chosen is not None:
                _view_actions(chosen)
