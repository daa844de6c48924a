"""The example's widgets: a form that adds a note, and a fragment that lists them."""

import streamlit as st

from ..data import cached
from ..data.queries import NOTE_MAX_CHARS, NoteError
from ..errors import DatabaseUnavailable
from ..runs import fragment_run
from ..state.session import HomeState
from .outage import outage_message


def _add_note() -> None:
    # A callback runs before the page reruns, so the list below already shows the new note.
    try:
        cached.add_note(st.session_state["home_note"])
    except NoteError as error:
        st.toast(str(error), icon=":material/error:")
    except DatabaseUnavailable as error:
        st.toast(str(error), icon=":material/cloud_off:")


def note_form() -> None:
    """A text box and an Add button; the page reruns once per note, not once per keystroke."""
    with st.form("home_add_note", clear_on_submit=True, border=False):
        st.text_area("New note", max_chars=NOTE_MAX_CHARS, required=True, key="home_note")
        st.form_submit_button("Add", icon=":material/add:", on_click=_add_note)


@st.fragment
@fragment_run
@outage_message()
def notes_list() -> None:
    """A search box and the newest matching notes; typing reruns only this fragment."""
    st.text_input(
        "Search",
        placeholder="Words in a note",
        key=HomeState.key("search"),
        persist_state="session",
    )
    st.dataframe(
        cached.recent_notes(HomeState.read().search),
        hide_index=True,
        column_config={"created_at": st.column_config.DatetimeColumn("Added (UTC)")},
        alt="Table of the newest notes",
    )
