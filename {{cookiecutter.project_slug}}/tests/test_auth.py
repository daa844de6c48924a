"""Sign-in decides which pages exist: signed out, only the sign-in page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ENTRYPOINT = str(Path(__file__).parents[1] / "streamlit_app.py")
FIRST_PAGE = "app_pages/{{ 'overview' if cookiecutter.sample_data == 'nycflights13' else 'home' }}.py"


def test_a_signed_out_visitor_sees_only_the_sign_in_page():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(FIRST_PAGE)  # there, but not offered to a signed-out visitor


def test_signing_out_leaves_only_the_sign_in_page():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = {"is_logged_in": True, "name": "Ada Lovelace", "email": "ada@example.com"}
    at.run()
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]


def test_a_provider_without_an_email_claim_shows_the_name():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = {"is_logged_in": True, "name": "Ada Lovelace"}
    at.run()
    assert at.sidebar.caption[0].value == "Signed in as Ada Lovelace"


def test_a_signed_in_visitor_gets_the_app_and_a_sign_out_button():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = {"is_logged_in": True, "name": "Ada Lovelace", "email": "ada@example.com"}
    at.run()
    assert not at.exception
    assert at.sidebar.caption[0].value == "Signed in as ada@example.com"
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    at.switch_page(FIRST_PAGE).run()
    assert not at.exception
    assert "Sign in" not in [b.label for b in at.button]
