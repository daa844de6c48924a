"""The wizard's name check and review, and renaming and deleting a view in Explore's sidebar,
through AppTest on the full database. Names are unique per test: the data folder may be
reused, and it keeps its views."""

from uuid import uuid4

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import cached, views
from {{ cookiecutter.package_name }}.data.filters import FlightFilters
from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable
from {{ cookiecutter.package_name }}.resources.database import database

CHOSEN, NEW_NAME = "saved_views.chosen", "saved_views.new_name"
"""The keys of the sidebar's view picker and rename box."""


@pytest.fixture
def name() -> str:
    """A view saved for this test (no filter), by this name."""
    return cached.save_view(f"View {uuid4().hex[:8]}", FlightFilters())


def _click(at: AppTest, label: str) -> AppTest:
    """Click the button (or form submit button) labelled ``label``, and rerun."""
    (button,) = [b for b in at.button if b.label == label]
    button.click()
    return at.run()


def _name_the_view(at: AppTest, name: str) -> AppTest:
    at.switch_page("app_pages/wizard.py").run()
    at.text_input(key="wizard.name").input(name)
    return _click(at, "Next")


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [("{name}", "exists already"), ("{upper}", "exists already"), ("A\u200bB", "invisible")],
    ids=["taken", "taken-in-another-case", "invisible"],
)
def test_the_wizard_refuses_a_bad_name_at_the_first_step(app, name, typed, refusal):
    _name_the_view(app, typed.format(name=name, upper=name.upper()))
    assert not app.exception
    assert app.session_state["wizard.step"] == 1
    assert app.text_input(key="wizard.name")  # the error shows with the field
    assert refusal in app.error[0].value

    _name_the_view(app, f"  Fresh {uuid4().hex[:8]} ")
    assert app.session_state["wizard.step"] == 2
    assert app.session_state["wizard.name"].startswith("Fresh ")  # as it will be saved
    assert not app.error


def test_the_wizard_reviews_the_view_in_words(app):
    name = f"JFK spring {uuid4().hex[:8]}"
    _name_the_view(app, name)
    app.multiselect(key="wizard.carriers").set_value(["DL", "B6"])
    app.pills(key="wizard.origins").set_value(["JFK"])
    app.slider(key="wizard.months").set_range(3, 8)
    app.slider(key="wizard.arr_delay").set_range(-60, 120)
    _click(app, "Next")
    assert app.session_state["wizard.step"] == 3
    assert f"**{name}**" in [markdown.value for markdown in app.markdown]
    assert [text.value for text in app.text] == [
        "JetBlue (B6) and Delta (DL), from JFK, March to August, arrival delay -60 to 120 min"
    ]
    assert not app.get("json")


def test_the_save_checks_the_name_again(app):
    # The name is free at the first step, and taken by someone else before the save.
    name = f"Raced {uuid4().hex[:8]}"
    _name_the_view(app, name)
    _click(app, "Next")
    cached.save_view(name.upper(), FlightFilters())
    _click(app, "Save view")
    assert app.session_state["wizard.step"] == 1
    assert "exists already" in app.error[0].value


def _explore_choosing(at: AppTest, name: str) -> AppTest:
    at.switch_page("app_pages/explore.py").run()
    return at.selectbox(key=CHOSEN).select(name).run()


def _rename(at: AppTest, new_name: str) -> AppTest:
    at.text_input(key=NEW_NAME).input(new_name)
    return _click(at, "Rename")


def _rename_or_delete(at: AppTest, name: str, action: str) -> AppTest:
    """``action`` "Rename": rename ``name`` to ``"<name> renamed"``; "Delete": delete it,
    confirmed."""
    if action == "Rename":
        return _rename(at, f"{name} renamed")
    _click(at, "Delete view…")
    return _click(at, "Delete")


def test_rename_in_the_sidebar(app, name):
    _explore_choosing(app, name)
    _rename(app, f"{name} renamed")
    assert not app.exception and not app.error
    assert app.selectbox(key=CHOSEN).value == f"{name} renamed"  # still picked
    assert f"{name} renamed" in app.selectbox(key=CHOSEN).options
    assert name not in app.selectbox(key=CHOSEN).options
    assert app.text_input(key=NEW_NAME).value == ""
    assert "Renamed to" in app.toast[0].value
    _click(app, "Load")
    assert not app.exception


@pytest.mark.parametrize(
    ("new_name", "refusal"), [("{other}", "exists already"), ("a\x00b", "invisible")]
)
def test_rename_refuses_a_taken_or_invalid_name_and_changes_nothing(app, name, new_name, refusal):
    other = cached.save_view(f"Other {uuid4().hex[:8]}", FlightFilters())
    _explore_choosing(app, name)
    _rename(app, new_name.format(other=other.lower()))
    assert refusal in app.error[0].value
    assert {name, other} <= set(cached.view_names())
    assert app.selectbox(key=CHOSEN).value == name


def test_delete_in_the_sidebar_asks_first(app, name):
    _explore_choosing(app, name)
    _click(app, "Delete view…")
    assert "can't be undone" in app.warning[0].value
    assert name in cached.view_names()  # nothing deleted yet

    _click(app, "Cancel")
    assert not app.warning
    _click(app, "Delete view…")
    _click(app, "Delete")
    assert not app.exception and not app.error
    assert name not in app.selectbox(key=CHOSEN).options
    assert app.selectbox(key=CHOSEN).value is None
    with database().connect() as con, pytest.raises(KeyError):
        views.load_view(con, name)


@pytest.mark.parametrize("action", ["Rename", "Delete"])
def test_a_view_another_visitor_deleted_meanwhile_is_said_gone(app, name, action):
    _explore_choosing(app, name)
    with database().connect() as con:  # another replica: this one's cached list still has it
        views.delete_view(con, name)
    _rename_or_delete(app, name, action)
    assert not app.exception
    assert "any more" in app.toast[0].value
    assert name not in app.selectbox(key=CHOSEN).options  # the list was read again
    assert f"{name} renamed" not in cached.view_names()


@pytest.mark.parametrize("action", ["Rename", "Delete"])
def test_a_database_outage_changes_nothing_and_the_next_try_works(app, name, action, monkeypatch):
    def unavailable(*args: object) -> None:
        raise DatabaseUnavailable("The database at db:5432 is unreachable (test).")

    _explore_choosing(app, name)
    with monkeypatch.context() as patched:
        patched.setattr(cached, "run_in_database", unavailable)
        _rename_or_delete(app, name, action)
        assert not app.exception
        assert "is unreachable (test). Nothing was" in app.error[0].value
    assert name in cached.view_names()

    if action == "Rename":
        _click(app, "Rename")  # the box kept what was typed
        assert f"{name} renamed" in cached.view_names()
    else:
        _click(app, "Delete")  # the confirmation stayed
        assert name not in cached.view_names()
    assert not app.error
