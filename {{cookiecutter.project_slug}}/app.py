"""The production entrypoint: the app as an ASGI application, served by uvicorn.

    uv run uvicorn app:app --host 127.0.0.1 --port 8501

Same pages as ``streamlit run streamlit_app.py`` (the development server, with hot reload),
but faster per interaction: Streamlit's own server leaves Nagle's algorithm on, so each rerun
waits for a delayed ACK (~44 ms a rerun under ``streamlit run``, ~15 ms under uvicorn).
"""

from pathlib import Path

import streamlit as st

app = st.App(Path(__file__).with_name("streamlit_app.py"))
