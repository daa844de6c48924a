"""The browser tab's icon: a file of the package, that Streamlit sends inline, so the tab asks
no other server for it; and the one the entrypoint sets."""

from importlib.resources import files
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import streamlit as st
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.navigation import APP_ICON

from .conftest import ENTRYPOINT, SIGNED_IN


def test_the_tab_icon_is_an_svg_file_shipped_in_the_package():
    shipped = files("{{ cookiecutter.package_name }}") / "favicon.svg"
    assert Path(str(shipped)) == APP_ICON
    svg = APP_ICON.read_text(encoding="utf-8")
    # Streamlit sends an SVG file inline, as a data: URL, only when its text starts with the tag.
    assert svg.startswith("<svg ")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"
    assert "href" not in svg and "url(" not in svg  # nothing in it to fetch


def test_the_entrypoint_sets_that_icon():
    with mock.patch.object(st, "set_page_config", wraps=st.set_page_config) as page_config:
        at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
        at.user = SIGNED_IN
        at.run()
    assert not at.exception
    icons = {call.kwargs.get("page_icon") for call in page_config.call_args_list}
    assert icons - {None} == {APP_ICON}
