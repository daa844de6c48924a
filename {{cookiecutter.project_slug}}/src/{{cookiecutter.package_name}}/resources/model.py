"""The delay model: trained once per process from the flights database, shared by every
session.

Invalidation: none while the process runs, since the 2013 flights never change. A restart
retrains it, and so does ``st.cache_resource.clear()`` (on the next call); nothing is saved
to disk, so every replica trains its own, the same model from the same flights.
"""

import streamlit as st

from ..data import queries
from ..model.delay import DelayModel, train
from .database import database

TRAINING_ROWS = 50_000
"""At most this many flights are read for training (about 46,800: every 7th of the year's
327,346 arrived flights), a fifth of them held out for scoring: enough for a stable error,
read and fitted in about half a second."""


@st.cache_resource(max_entries=1, show_spinner="Training the delay model (first use only)")
def delay_model() -> DelayModel:
    """The delay model, fitted on ``TRAINING_ROWS`` arrived flights of the flights database
    (``queries.training_flights``); the first call trains it, later calls return the same
    object to every session.

    The flights must be loaded already (``require_database``).

    Raises:
        ValueError: the database holds too few arrived flights to train on.
    """
    with database().connect() as con:
        frame = queries.training_flights(con, TRAINING_ROWS)
    return train(frame)
