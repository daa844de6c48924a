"""The floor app as an ASGI application, for uvicorn: ``uvicorn app:app``."""

from pathlib import Path

import streamlit as st

app = st.App(Path(__file__).with_name("streamlit_app.py"))
