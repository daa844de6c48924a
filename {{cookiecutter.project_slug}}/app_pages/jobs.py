"""Jobs: heavy work in a worker process of its own, with its progress. The example job
profiles a data file of ``imports/``; Import again loads a registered one anew."""

import streamlit as st

from {{ cookiecutter.package_name }}.components.jobs import (
    import_form,
    job_list,
    may_change_data,
    profile_form,
)

st.title("Jobs", anchor=False)
st.caption(
    "Each job runs in a worker process, never in the server's: the pages stay fast while it "
    "works, and it goes on when you leave this page or close the tab."
)
profile_form()  # a form: one rerun per job submitted
if may_change_data():
    import_form()  # for a data file that tools/new.py table registered
job_list()  # a fragment that reruns every second while a job is queued or running
