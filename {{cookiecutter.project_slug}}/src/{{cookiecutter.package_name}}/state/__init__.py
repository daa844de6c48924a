{% if cookiecutter.sample_data == "nycflights13" -%}
"""Session-state layer: typed per-page state, initialised in one place."""

from .pages import ExploreState, FilterState, WizardState, init_session_state
from .store import PageState

__all__ = ["ExploreState", "FilterState", "PageState", "WizardState", "init_session_state"]
{%- else -%}
"""Session-state layer: typed per-page state, initialised in one place."""

from .pages import HomeState, init_session_state
from .store import PageState

__all__ = ["HomeState", "PageState", "init_session_state"]
{%- endif %}
