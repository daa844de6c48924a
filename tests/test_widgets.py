"""``tests/support/widgets.py``: the widget codec, without a server. Each value goes out in the
wire field the browser's frontend uses for its kind, and a value a widget cannot take is
refused before anything is sent."""

from typing import Any

import pytest

from tests.support.widgets import UnsupportedWidget, Widget, checked, encode, url_values


def widget(kind: str, **fields: Any) -> Widget:
    """A widget as ``Session`` records it from the server's element."""
    return Widget(f"$$ID-abc-{kind}", kind, kind, kind, value=None, default=None, **fields)


@pytest.mark.parametrize(
    ("made", "value", "field", "wire"),
    [
        (widget("multiselect", options=("a", "b"), multi=True), ["b"], "string_array_value",
         ["b"]),
        (widget("pills", options=("a", "b"), multi=True), [], "string_array_value", []),
        (widget("pills", options=("a", "b")), "a", "string_array_value", ["a"]),
        (widget("slider", min=1, max=12, integer=True, multi=True), [3, 5],
         "double_array_value", [3.0, 5.0]),
        (widget("slider", min=0, max=1), 0.5, "double_array_value", [0.5]),
        (widget("select_slider", options=("lo", "hi")), "hi", "string_array_value", ["hi"]),
        (widget("selectbox", options=("a", "b")), "b", "string_value", "b"),
        (widget("radio", options=("a", "b")), None, None, None),
        (widget("checkbox"), True, "bool_value", True),
        (widget("text_input"), "hi", "string_value", "hi"),
        (widget("number_input", integer=True), 7, "int_value", 7),
        (widget("number_input"), 2.5, "double_value", 2.5),
    ],
)  # fmt: skip
def test_each_kind_goes_out_in_the_frontend_s_wire_field(made, value, field, wire):
    state = encode(made, checked(made, value))
    assert state is not None and state.id == made.id
    assert state.WhichOneof("value") == field
    if field is not None:
        sent = getattr(state, field)
        assert (list(sent.data) if field.endswith("array_value") else sent) == wire


@pytest.mark.parametrize(
    ("made", "value"),
    [
        (widget("multiselect", options=("a",), multi=True), ["z"]),
        (widget("multiselect", options=("a",), multi=True), "a"),
        (widget("slider", min=1, max=12, integer=True, multi=True), [5, 3]),
        (widget("slider", min=1, max=12, integer=True), 13),
        (widget("slider", min=1, max=12, integer=True), 2.5),
        (widget("checkbox"), "yes"),
        (widget("button"), False),
    ],
)
def test_a_value_the_widget_cannot_take_is_refused(made, value):
    with pytest.raises(ValueError, match=made.key):
        checked(made, value)


def test_a_widget_of_another_kind_cannot_be_set():
    with pytest.raises(UnsupportedWidget, match="date_input"):
        checked(widget("date_input"), "2013-01-01")


def test_a_bound_widget_s_url_values_are_the_browser_s():
    months = widget("slider", integer=True, multi=True)
    assert url_values(months, [3, 5]) == ["3", "5"]
    assert url_values(widget("slider"), 2.0) == ["2"]  # String(2.0) in JavaScript
    assert url_values(widget("multiselect", clearable=True), []) == [""]
    assert url_values(widget("checkbox"), False) == ["false"]
    assert url_values(widget("selectbox"), None) is None  # not clearable: dropped
