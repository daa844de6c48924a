"""Predict: a flight's arrival delay from its carrier, airport, time and departure delay."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.prediction import delay_metric, flight_form
from {{ cookiecutter.package_name }}.model.delay import predict
from {{ cookiecutter.package_name }}.resources.model import delay_model

st.title("Predict an arrival delay", anchor=False)
require_database()

flight = flight_form()  # a form: one rerun per prediction, not one per widget change
if flight is not None:
    model = delay_model()  # trained on the first prediction in this process, then shared
    delay_metric(predict(model, **flight), flight, model)
