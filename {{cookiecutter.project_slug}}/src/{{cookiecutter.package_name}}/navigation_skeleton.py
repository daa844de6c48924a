"""The app's pages, in menu order: the entrypoint builds ``st.navigation`` from this table, and
the tests visit every page in it. A new page is a script in ``app_pages/`` and a row here."""

from typing import NamedTuple

APP_ICON = ":material/home:"
"""The browser tab's icon."""


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
    PageSpec(
        "app_pages/home.py",
        "Home",
        ":material/home:",
        "An example page: add notes and search them.",
    ),
)
"""The first is the default page."""
