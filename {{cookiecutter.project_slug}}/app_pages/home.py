"""Home: an example page that uses every layer; make it yours."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.notes import note_form, notes_list
from {{ cookiecutter.package_name }}.navigation import APP_TITLE

st.title(APP_TITLE, anchor=False)
require_database()

note_form()  # st.form: one rerun per note added
notes_list()  # a fragment: searching reruns only the list
