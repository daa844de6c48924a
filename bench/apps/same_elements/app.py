"""The same-elements app as an ASGI application, for uvicorn: ``uvicorn app:app``.

Served as the generated app serves itself (its ``app.py``): what the pages import is loaded
at startup and frozen out of the garbage collector's reach, so that Streamlit's collection
after each run does not walk pandas and numpy (about 100 ms a run on the benchmark's machine).
"""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import numpy  # noqa: F401 (loaded here, to be frozen)
import pandas  # noqa: F401
import streamlit as st


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    gc.freeze()
    yield


app = st.App(Path(__file__).with_name("streamlit_app.py"), lifespan=lifespan)
