"""The delay model that Predict uses: the newest version the Train job saved
(``model/versions.py``), shared by every session; before the first, one trained in this
process from the flights database.

Invalidation: the newest version's number is read from the store at most every
``VERSION_SECONDS`` (``st.cache_data``), and each version's model is loaded once per process,
keyed by that number, so a finished Train job reaches every session and replica within that
time. The model trained here is never refreshed while the process runs (the 2013 flights
never change), and is not trained at all once a saved version exists.
"""

import streamlit as st

from ..data import queries
from ..errors import JobsUnavailable
from ..model import versions
from ..model.delay import DelayModel, train
from ..model.versions import ModelVersion
from .database import database

TRAINING_ROWS = 50_000
"""At most this many flights are read for training here (about 46,800: every 7th of the
year's 327,346 arrived flights), a fifth of them held out for scoring: enough for a stable
error, read and fitted in about half a second."""

VERSION_SECONDS = 10
"""How long a session may go on with the previous version after a new one is saved."""


def delay_model() -> tuple[DelayModel, ModelVersion | None]:
    """The newest saved version's model and what it is; or, with none saved (or the store
    out of reach), the model trained in this process and None.

    The flights must be loaded already (``require_database``), in case it trains here.

    Raises:
        ValueError: the database holds too few arrived flights to train on.
    """
    try:
        version = newest_version()
    except JobsUnavailable:  # Predict still predicts, with what this process can make
        version = None
    if version is None:
        return model_trained_here(), None
    return saved_model(version.number), version


@st.cache_data(ttl=VERSION_SECONDS, max_entries=1, show_spinner=False)
def newest_version() -> ModelVersion | None:
    """``versions.latest()``, read at most every ``VERSION_SECONDS``.

    Raises:
        JobsUnavailable: the store can't be reached (nothing is cached).
    """
    return versions.latest()


@st.cache_resource(max_entries=2, show_spinner="Loading the newest delay model")
def saved_model(number: int) -> DelayModel:
    """Version ``number``'s model, loaded once per process (the newest two stay).

    Raises:
        KeyError: no such version is kept.
        JobsUnavailable: the store can't be reached.
    """
    return versions.load(number)


@st.cache_resource(max_entries=1, show_spinner="Training the delay model (first use only)")
def model_trained_here() -> DelayModel:
    """The delay model, fitted on ``TRAINING_ROWS`` arrived flights of the flights database
    (``queries.training_flights``); the first call trains it, later calls return the same
    object to every session.

    Raises:
        ValueError: the database holds too few arrived flights to train on.
    """
    with database().connect() as con:
        frame = queries.training_flights(con, TRAINING_ROWS)
    return train(frame)
