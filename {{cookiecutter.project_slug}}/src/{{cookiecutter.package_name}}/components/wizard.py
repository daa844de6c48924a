"""The saved-view wizard: one form per step, driven by the wizard's page state."""

import streamlit as st

from ..data import cached
from ..data.filters import describe
from ..data.views import NAME_MAX_CHARS, ViewNameError
from ..errors import DatabaseUnavailable
from ..state.session import WIZARD_STEPS, WizardState
from .filters import filter_widgets
from .saved_views import as_typed

STEP_TITLES = ("Name the view", "Choose flights", "Review and save")


def _go(step: int) -> None:
    WizardState.write(step=step, error="", saved="")


def _check_name() -> None:
    # Refuse a bad or taken name here, by the field, not after the filters; the save checks
    # again, as another visitor may take the name meanwhile.
    try:
        name = cached.new_view_name(WizardState.read().name)
    except ViewNameError as error:
        WizardState.write(error=str(error), saved="")
    except DatabaseUnavailable as error:  # stay: Next checks again
        message = f"{error} The name wasn't checked; try again in a moment."
        WizardState.write(error=message, saved="")
    else:
        WizardState.write(step=2, name=name, error="", saved="")


def _save() -> None:
    state = WizardState.read()
    try:
        saved = cached.save_view(state.name, state.filters())
    except ViewNameError as error:
        WizardState.write(step=1, error=str(error))  # back to the name
    except DatabaseUnavailable as error:
        WizardState.write(error=f"{error} Try again in a moment.")  # stay, to save again
    else:
        WizardState.write(step=1, saved=saved, name="", error="")


def _review(state: WizardState) -> None:
    """The view to be saved: its name, and the flights it selects in words."""
    with st.container(border=True):
        st.markdown(f"**{as_typed(state.name)}**")
        st.text(describe(state.filters(), cached.filter_options().carriers))  # no Markdown


def wizard_step() -> None:
    """Show the current step's form; its buttons move between steps and save at the end.

    Values are committed to session state when a step's form is submitted, and each step's
    widgets keep them for the session, so Back and a page switch lose nothing. Why the name
    or the save was refused shows under the step's fields.
    """
    state = WizardState.read()
    st.progress(state.step / WIZARD_STEPS, f"Step {state.step} of {WIZARD_STEPS}")
    with st.form(f"wizard_step_{state.step}"):
        st.subheader(STEP_TITLES[state.step - 1])
        if state.step == 1:
            st.text_input(
                "View name",
                max_chars=NAME_MAX_CHARS,
                required=True,
                placeholder="e.g. JFK evenings, summer",
                key=WizardState.key("name"),
                persist_state="session",
            )
        elif state.step == 2:
            filter_widgets(WizardState)
        else:
            _review(state)
        if state.error:
            st.error(state.error, icon=":material/error:")
        with st.container(horizontal=True):
            if state.step > 1:
                st.form_submit_button("Back", on_click=_go, args=(state.step - 1,))
            if state.step == 1:
                st.form_submit_button("Next", type="primary", on_click=_check_name)
            elif state.step < WIZARD_STEPS:
                st.form_submit_button("Next", type="primary", on_click=_go, args=(state.step + 1,))
            else:
                st.form_submit_button("Save view", type="primary", on_click=_save)
