"""``tools/bench.py`` and its modules: the command line, the server it starts, for each kind
of widget another legal value, and what its browser mode needs."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.browser import MENU, QUIET_MS, TIMEOUT_MS, browser_missing, init_script
from tools.client import PRODUCTION, production_command
from tools.round_trips import other_value

PROJECT = Path(__file__).parents[1]

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


def test_the_command_runs_as_a_script_from_the_project_folder():
    run = subprocess.run(
        [sys.executable, "tools/bench.py", "--help"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "--repetitions" in run.stdout and "--browser" in run.stdout


def test_each_tab_calls_the_settle_script_with_its_options():
    source, call = init_script().rsplit(")(", 1)
    assert source.startswith("(//") and source.rstrip().endswith("}")  # settle.js: one function
    for name in ("benchFirstLoad", "benchMenu", "benchSwitch"):  # what browser.py evaluates
        assert f"window.{name} =" in source
    options = json.loads(call.removesuffix(")"))
    assert options == {"menu": MENU, "quiet": QUIET_MS, "timeout": TIMEOUT_MS}
