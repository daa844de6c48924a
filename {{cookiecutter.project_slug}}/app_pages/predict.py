"""Predict: a flight's arrival delay from its carrier, airport, time and departure delay; and
a new version of the model, trained in a background job."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.jobs import job_button, visitor
from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.prediction import delay_metric, flight_form
from {{ cookiecutter.package_name }}.model.delay import predict
from {{ cookiecutter.package_name }}.resources.model import delay_model

st.title("Predict an arrival delay", anchor=False)
require_database()

flight = flight_form()  # a form: one rerun per prediction, not one per widget change
if flight is not None:
    model, version = delay_model()  # the newest trained version, shared by every session
    delay_metric(predict(model, **flight), flight, model, version)
job_button(  # the Train button, and the newest Train job, watched while it runs
    "train",
    "Train a new model",
    icon=":material/model_training:",
    help="Fits the model on every 2013 flight, in a worker process: the page stays quick, "
    "and Predict uses the new version once it is done.",
    allowed=visitor()[1],  # {% if cookiecutter.auth == "oidc" %}an admin{% else %}anyone: without sign-in nobody can be told apart{% endif %}
)
