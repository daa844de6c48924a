"""The Predict page's Train button, and the newest Train job with its progress: a new version
of the delay model, fitted in a worker process on the whole year (``model/training.py``),
which Predict uses once it is done (``resources/model.py``)."""

import streamlit as st

from ..errors import JobsUnavailable
from ..jobs import queue
{%- if cookiecutter.server == "streamlit" %}
from ..resources.job_workers import job_workers
{%- endif %}
from .jobs import job_list, visitor


def training() -> None:
    """The Train button{% if cookiecutter.auth == "oidc" %}, for admins{% endif %}, and the newest Train job, watched while it is queued
    or running. A second click while one is queued or running shows that one again."""
    user, admin = visitor()
    if admin:
        st.button(
            "Train a new model",
            icon=":material/model_training:",
            on_click=_train,
            args=(user,),
            key="train_model",
            help="Fits the model on every 2013 flight, in a worker process: the page stays "
            "quick, and Predict uses the new version once it is done.",
        )
    job_list("train", limit=1, empty="")


def _train(user: str) -> None:
{%- if cookiecutter.server == "streamlit" %}
    job_workers()  # under streamlit run, started by the first job
{%- endif %}
    try:
        queue.submit("train", {}, user=user, key="train")
    except JobsUnavailable as error:
        st.toast(f"{error} Not started; try again.", icon=":material/cloud_off:")
