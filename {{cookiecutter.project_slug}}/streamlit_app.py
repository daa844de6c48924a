"""{{ cookiecutter.project_name }}: the entrypoint.

It runs before the current page on every full rerun, so it only configures the page, sets
the session's state defaults and picks the page{% if cookiecutter.auth == "oidc" %} (from the visitor's sign-in state){% endif %}. No I/O, no
queries, nothing built: each page imports and loads what it needs on its first visit.
"""

import streamlit as st

from {{ cookiecutter.package_name }}.navigation import APP_ICON, PAGES
from {{ cookiecutter.package_name }}.state.pages import init_session_state

st.set_page_config(page_title={{ cookiecutter.project_name | tojson }}, page_icon=APP_ICON, layout="wide")
init_session_state()

pages = [st.Page(page.script, title=page.title, icon=page.icon, help=page.help) for page in PAGES]
{%- if cookiecutter.auth == "oidc" %}

if not st.user.get("is_logged_in"):  # absent until [auth] is configured in the secrets
    # Signed-out visitors see only the sign-in page; st.user reads the signed identity cookie.
    pages = [st.Page("app_pages/sign_in.py", title="Sign in", icon=":material/login:")]
else:
    with st.sidebar:
        st.caption(f"Signed in as {st.user.get('email') or st.user.get('name')}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
{%- endif %}

st.navigation(pages, position="top").run()
