"""Wizard: build a saved view step by step; Explore can load it."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.saved_views import as_typed
from {{ cookiecutter.package_name }}.components.wizard import wizard_step
from {{ cookiecutter.package_name }}.state.session import WizardState

st.title("Save a view", anchor=False)
require_database()

if saved := WizardState.read().saved:
    st.success(
        f"Saved **{as_typed(saved)}**. Load, rename or delete it in the Explore page's sidebar.",
        icon=":material/check_circle:",
    )
    st.page_link("app_pages/explore.py", label="Open Explore", icon=":material/travel_explore:")

wizard_step()
