"""Explore: filter the flights, see daily delays and page through the matches."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.filters import explore_filters
from {{ cookiecutter.package_name }}.components.loading import require_database
from {{ cookiecutter.package_name }}.components.results import explore_results
from {{ cookiecutter.package_name }}.components.saved_views import saved_view_loader

st.title("Explore flights", anchor=False)
require_database()

with st.sidebar:
    saved_view_loader()
    explore_filters()  # a change reruns the page; the queries behind it are cached

explore_results()  # a fragment: paging reruns only the results
