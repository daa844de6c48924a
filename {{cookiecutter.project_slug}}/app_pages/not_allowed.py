"""Not allowed: the only page a signed-in account outside the allow-list sees."""

import streamlit as st

from {{ cookiecutter.package_name }}.auth import access_policy

reason = access_policy(st.secrets).refusal(st.user)  # the entrypoint sent them here: not None
st.title("This account isn't let in", anchor=False)
st.markdown(f"{reason} Sign out to use another account, or ask the app's operator to add yours.")
st.button("Sign out", icon=":material/logout:", type="primary", on_click=st.logout)
