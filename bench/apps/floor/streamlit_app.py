"""The floor: the generated app's pages and keyed widgets, each page one ``st.write``.

What Streamlit itself costs for a page switch and a widget change, with no app work.
"""

import streamlit as st

CARRIERS = [  # the labels the generated app's filter shows, so one request drives both
    "American (AA)",
    "Delta (DL)",
    "JetBlue (B6)",
    "United (UA)",
]


def explore() -> None:
    st.write("Explore")
    st.multiselect("Carriers", CARRIERS, key="explore.carriers")
    st.slider("Months", 1, 12, (1, 12), key="explore.months")
    results()


@st.fragment
def results() -> None:
    st.button("Previous", key="explore_previous")
    st.button("Next", key="explore_next")


pages = [
    st.Page(lambda: st.write("Overview"), title="Overview", url_path="overview", default=True),
    st.Page(explore, title="Explore", url_path="explore"),
    st.Page(lambda: st.write("Live"), title="Live", url_path="live"),
    st.Page(lambda: st.write("Wizard"), title="Wizard", url_path="wizard"),
    st.Page(lambda: st.write("Jobs"), title="Jobs", url_path="jobs"),
    st.Page(lambda: st.write("About"), title="About", url_path="about"),
]
st.navigation(pages, position="top").run()
