"""Sign in: the only page a signed-out visitor sees."""

import streamlit as st

st.title({{ cookiecutter.project_name | tojson }}, anchor=False)
st.markdown("Sign in with your organisation's account{{ ' to see the flights' if cookiecutter.sample_data == 'nycflights13' }}.")
st.button("Sign in", icon=":material/login:", type="primary", on_click=st.login)
