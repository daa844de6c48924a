"""Sign-in decides which pages exist: signed out, only the sign-in page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ENTRYPOINT = str(Path(__file__).parents[1] / "streamlit_app.py")


def test_a_signed_out_visitor_sees_only_the_sign_in_page():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric  # the Overview did not run
    with pytest.raises(ValueError):
        at.switch_page("app_pages/explore.py")


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
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
