"""Overview: headline KPIs for all 2013 flights, and flights per month."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.charts import monthly_flights_chart
from {{ cookiecutter.package_name }}.components.kpi import kpi_card
from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.data import cached

st.title("Flights out of New York, 2013", anchor=False)
require_database()

with st.container(horizontal=True):
    kpi_card("Flights", "flights", "{:,.0f}", help="Scheduled departures from EWR, JFK and LGA.")
    kpi_card("On time", "on_time", "{:.1%}", help="Arrived flights less than 15 minutes late.")
    kpi_card(
        "Mean arrival delay",
        "mean_arr_delay",
        "{:.1f} min",
        help="Minutes late, averaged over arrived flights; an early arrival counts as negative.",
    )
    kpi_card("Cancelled", "cancelled", "{:,.0f}", help="Flights that never departed.")

st.subheader("Flights per month", anchor=False)
monthly_flights_chart(cached.monthly_flights())
