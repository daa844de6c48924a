"""The Home page through AppTest: add notes, search them."""

from uuid import uuid4

from streamlit.testing.v1 import AppTest

from .conftest import ENTRYPOINT, SIGNED_IN


def test_add_a_note_and_find_it():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = SIGNED_IN
    at.run()
    assert not at.exception

    word = uuid4().hex[:8]  # unique: a reused data folder keeps notes
    at.text_area(key="home_note").input(f"remember {word}")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert f"remember {word}" in at.dataframe[0].value["body"].tolist()

    at.text_input(key="home.search").input(word).run()
    assert at.dataframe[0].value["body"].tolist() == [f"remember {word}"]
