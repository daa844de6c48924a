"""Live: departures in the last hour, replayed from the same moment of 2013."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.live import live_monitor, refresh_now
from {{ cookiecutter.package_name }}.components.loading import require_database

st.title("Live departures", anchor=False)
require_database()

live_monitor()  # a fragment that reruns itself each second, from the cache
# The callback reruns only the monitor fragment, not this page.
st.button("Refresh now", icon=":material/refresh:", on_click=refresh_now, key="live_refresh")
