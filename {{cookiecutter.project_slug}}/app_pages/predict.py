"""Predict: a flight's arrival delay from its carrier, airport, time and departure delay; and
a new version of the model, trained in a background job."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.prediction import delay_metric, flight_form
from {{ cookiecutter.package_name }}.components.training import training
from {{ cookiecutter.package_name }}.model.delay import predict
from {{ cookiecutter.package_name }}.resources.model import delay_model

st.title("Predict an arrival delay", anchor=False)
require_database()

flight = flight_form()  # a form: one rerun per prediction, not one per widget change
if flight is not None:
    model, version = delay_model()  # the newest trained version, shared by every session
    delay_metric(predict(model, **flight), flight, model, version)
training()  # the Train button, and the newest Train job, watched while it runs
