"""``tools/bench.py`` picks, for each kind of widget, another legal value to set."""

import pytest

from tools.bench import other_value

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
