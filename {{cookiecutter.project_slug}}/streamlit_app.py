"""The entrypoint.

It runs before the current page on every full rerun, so it only configures the page, sets
the session's state defaults and picks the page{% if cookiecutter.auth == "oidc" %} (from the visitor's sign-in state){% endif %}. No I/O, no
queries, nothing built: each page imports and loads what it needs on its first visit.
{%- if cookiecutter.auth == "oidc" %}

A signed-in visitor gets the pages only while the key that signs the sign-in cookie is safe,
and only for an account the allow-list lets in: ``auth.py`` holds both rules.
{%- endif %}
"""

import streamlit as st

{% if cookiecutter.auth == "oidc" -%}
from {{ cookiecutter.package_name }} import auth
{% endif -%}
from {{ cookiecutter.package_name }}.components.outage import outage_message
from {{ cookiecutter.package_name }}.navigation import APP_ICON, APP_NAME, PAGES
{%- if cookiecutter.server == "streamlit" %}
from {{ cookiecutter.package_name }}.resources.json_logs import json_logs
{%- endif %}
from {{ cookiecutter.package_name }}.runs import page_run
from {{ cookiecutter.package_name }}.state.session import init_session_state

st.set_page_config(page_title=APP_NAME, page_icon=APP_ICON, layout="wide")
{%- if cookiecutter.server == "streamlit" %}
json_logs()  # JSON lines when the environment asks (the image does): once per process
{%- endif %}
init_session_state()

pages = [st.Page(page.script, title=page.title, icon=page.icon, help=page.help) for page in PAGES]
{%- if cookiecutter.auth == "oidc" %}

# Sign-in is only as safe as the key that signs its cookie: with a missing, short or published
# one, anyone could write a cookie for any account. Then no page is served, and whoever opens
# the app reads what the operator must fix (auth.py holds the rules).
try:
    access = auth.access_policy(st.secrets)
except auth.SignInNotConfigured as problem:
    st.title("Sign-in isn't set up safely", anchor=False)
    st.error(str(problem), icon=":material/gpp_bad:")
    st.stop()
if not st.user.get("is_logged_in"):  # st.user reads the signed identity cookie
    # Signed-out visitors see only the sign-in page.
    pages = [st.Page("app_pages/sign_in.py", title="Sign in", icon=":material/login:")]
elif access.refusal(st.user) is not None:
    # The provider vouches for who they are, not that they belong: outside the allow-list,
    # a page that says so and signs out, and no other.
    pages = [st.Page("app_pages/not_allowed.py", title="Not allowed", icon=":material/block:")]
else:
    with st.sidebar:
        st.caption(f"Signed in as {st.user.get('email')}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
{%- endif %}

page = st.navigation(pages, position="top")
# Timed, traced and logged by page (runs.py); a database that can't answer is a message, and a
# retry.
with page_run(page.title), outage_message():
    page.run()
