"""The job workers under ``streamlit run``, which has no startup hook: started once per server
process by the first page that submits or lists jobs, and kept running by their supervisor
(``jobs/worker.py``). Each one stops by itself when the server is gone."""

import streamlit as st

from ..config import JOB_WORKERS
from ..jobs.worker import Supervisor


def _stop(supervisor: Supervisor | None) -> None:
    if supervisor is not None:
        supervisor.stop()


@st.cache_resource(max_entries=1, show_spinner=False, on_release=_stop)
def job_workers() -> Supervisor | None:
    """The supervisor of ``config.JOB_WORKERS`` workers, started on the first call; None with
    ``0`` (the workers run elsewhere)."""
    if JOB_WORKERS <= 0:
        return None
    supervisor = Supervisor(JOB_WORKERS)
    supervisor.start()
    return supervisor
