"""``tools/bench.py``: the server it starts, for each kind of widget another legal value, and
what its browser mode needs."""

import importlib.util
import sys

import pytest

from tools.bench import PRODUCTION, browser_missing, other_value, production_command

RANGE = {"min_value": 1, "max_value": 12, "step": 1}


@pytest.mark.parametrize(
    ("value", "props", "other"),
    [
        ([], {"options": ["a", "b"]}, ["a"]),  # multiselect, multi pills
        (["b"], {"options": ["a", "b"]}, []),
        ([1, 12], RANGE, [1, 6]),  # range slider: half, then whole
        ([1, 6], RANGE, [1, 12]),
        ([-90, 1300], {"min_value": -90, "max_value": 1300, "step": 5}, [-90, 605]),
        (5, RANGE, 6),  # slider, number input: one step
        (12, RANGE, 11),
        ("a", {"options": ["a", "b"]}, "b"),  # selectbox, radio, one pill
        ("", {}, "bench"),  # text input
        ("bench", {}, ""),
        (True, {}, False),  # checkbox, toggle
        (None, {}, None),  # nothing to pick: not driven
        ("a", {"options": ["a"]}, None),
    ],
)
def test_other_value_is_legal_and_different(value, props, other):
    assert other_value({"value": value, "props": props}) == other


def test_the_production_command_serves_on_the_port_asked_for():
    command = production_command(1234)
    assert command[:3] == [sys.executable, "-m", PRODUCTION[0]]
    assert "8501" not in command
    flag = "--port" if "--port" in command else "--server.port"
    assert command[command.index(flag) + 1] == "1234"


def test_the_browser_mode_says_how_to_get_playwright(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert "uv run --group browser python tools/bench.py --browser" in (browser_missing() or "")


def test_the_browser_mode_says_where_it_looked_for_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())  # as if installed
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "chromium"))
    assert f"no Chromium at {tmp_path / 'chromium'}" in (browser_missing() or "")
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert browser_missing() is None
