{%- if cookiecutter.server == "asgi" -%}
"""The job workers under ``streamlit run`` (the development server), which has no startup hook:
started once per server process by the first job submitted, and kept running by their
supervisor (``jobs/worker.py``). Each one stops by itself when the server is gone. Under
uvicorn, ``app.py``'s lifespan starts them instead."""
{%- else -%}
"""The job workers under ``streamlit run``, which has no startup hook: started once per server
process by the first job submitted, and kept running by their supervisor (``jobs/worker.py``).
Each one stops by itself when the server is gone."""
{%- endif %}

import streamlit as st

from ..config import JOB_WORKERS
from ..jobs.worker import Supervisor, supervising


def _stop(supervisor: Supervisor | None) -> None:
    if supervisor is not None:
        supervisor.stop()


@st.cache_resource(max_entries=1, show_spinner=False, on_release=_stop)
def job_workers() -> Supervisor | None:
    """The supervisor of ``config.JOB_WORKERS`` workers, started on the first call; None with
    ``0`` (the workers run elsewhere), or when a lifespan supervises them already."""
    if JOB_WORKERS <= 0 or supervising():
        return None
    supervisor = Supervisor(JOB_WORKERS)
    supervisor.start()
    return supervisor
