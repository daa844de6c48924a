"""The widget codec of Streamlit 1.67's websocket protocol: a widget element as the browser
reads it (``Widget``), and a value as the browser sends it back, in a ``WidgetState``'s wire
field and in the URL's query string.

Read from the frontend bundle in ``streamlit/static`` (``WidgetStateManager``,
``convertToUrlValue``) and the element protos in ``streamlit/proto``. ``session.py`` speaks the
protocol around it: the stream of ``ForwardMsg``s and the ``BackMsg`` reruns.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl, quote, urlencode

from streamlit.proto.Element_pb2 import Element
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

SUPPORTED: Final = frozenset(
    {
        "multiselect", "pills", "segmented_control", "slider", "select_slider", "selectbox",
        "radio", "checkbox", "toggle", "button", "form_submit_button", "text_input",
        "text_area", "number_input",
    }
)  # fmt: skip
"""The widget kinds this client can send a value for."""

WIDGET_ELEMENTS: Final = frozenset(
    {
        "multiselect", "button_group", "slider", "selectbox", "radio", "checkbox", "button",
        "text_input", "text_area", "number_input", "date_input", "time_input",
        "date_time_input", "color_picker", "file_uploader", "camera_input", "audio_input",
        "chat_input", "download_button", "feedback", "menu_button", "pagination",
    }
)  # fmt: skip
"""Element types that are widgets; the ones outside ``SUPPORTED`` kinds are tracked (so their
keys show in ``widgets``) but never sent: the server then keeps their last value."""


class UnsupportedWidget(TypeError):
    """A value was sent to a widget of a kind this client cannot encode."""


@dataclass
class Widget:
    """One widget the server drew, and the value the browser would show and send.

    ``value`` by ``kind``: ``multiselect`` and multi-select ``pills`` / ``segmented_control``:
    a list of option labels; single-select ones: a label or None; ``slider``: a number, or a
    list of two for a range (in wire units for date and time sliders: microseconds);
    ``select_slider``: a label, or a list of two; ``selectbox``, ``radio``: a label or None;
    ``checkbox``, ``toggle``: a bool; ``text_input``, ``text_area``: a string or None;
    ``number_input``: an int or float (or None); ``button``, ``form_submit_button``: False
    (send True to click it). Labels are the option texts the browser shows (after the app's
    ``format_func``): that is what 1.67 puts on the wire.
    """

    id: str
    """The element id, ``$$ID-<hash>-<user key>``: the server's name for the widget."""
    key: str | None
    """The app's ``key=``, or None for a widget without one."""
    kind: str
    label: str
    value: Any
    default: Any
    """The value the widget starts from, in the same form as ``value``."""
    options: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    fragment_id: str = ""
    """The fragment the widget was drawn in: a change to it reruns only that fragment."""
    form_id: str = ""
    query_param_key: str = ""
    """The URL parameter the widget is bound to (``bind="query-params"``), or empty."""
    disabled: bool = False
    multi: bool = False
    """For ``pills``, ``segmented_control``, sliders: whether ``value`` is a list."""
    accepts_new: bool = False
    """For ``multiselect``, ``selectbox``: whether labels outside ``options`` are accepted."""
    integer: bool = False
    """For ``slider``, ``number_input``: whole numbers (sent as such)."""
    clearable: bool = False
    """Whether an empty value stays in the URL (``key=``) rather than dropping the parameter."""
    committed: Any = None
    """The value the browser sends: ``value``, except for a form field changed but not yet
    submitted, which keeps its last submitted value."""
    script_hash: str = ""
    """The script that drew it: the entrypoint's widgets survive a page switch."""
    run_id: str = ""
    """The run that last drew it; a finished run drops the widgets it no longer drew."""


UNSET: Final[Any] = object()  # the element carries no value of the server's (set_value off)


def parse_widget(element: Element, kind: str) -> tuple[Widget, Any] | None:
    """A widget element as a ``Widget`` (its ``value`` unset) and the value the server set, or
    ``UNSET``; None for an element without an id."""
    proto: Any = getattr(element, kind)
    if not proto.id:
        return None
    key_part = proto.id.split("-", 2)[-1] if proto.id.startswith("$$ID-") else None
    widget = Widget(
        id=proto.id,
        key=None if key_part in (None, "None") else key_part,
        kind=kind,
        label=getattr(proto, "label", ""),
        value=None,
        default=None,
        form_id=getattr(proto, "form_id", ""),
        disabled=getattr(proto, "disabled", False),
        query_param_key=getattr(proto, "query_param_key", ""),
    )
    has_set_value = getattr(proto, "set_value", False)
    current: Any = UNSET
    if kind == "multiselect":
        widget.options = tuple(proto.options)
        widget.multi, widget.accepts_new, widget.clearable = True, proto.accept_new_options, True
        widget.default = [widget.options[i] for i in proto.default if i < len(widget.options)]
        if has_set_value:
            current = list(proto.raw_values)
    elif kind == "button_group":
        widget.kind = "pills" if proto.style == proto.PILLS else "segmented_control"
        widget.options = tuple(
            f"{o.content_icon} {o.content}".strip() if o.content_icon else o.content
            for o in proto.options
        )
        widget.multi, widget.clearable = proto.click_mode == proto.MULTI_SELECT, True
        labels = [widget.options[i] for i in proto.default if 0 <= i < len(widget.options)]
        widget.default = labels if widget.multi else (labels[0] if labels else None)
        if has_set_value:
            raw = list(proto.raw_values)
            current = raw if widget.multi else (raw[0] if raw else None)
    elif kind == "slider":
        widget.multi = len(proto.default) > 1
        if proto.type == Slider.SELECT_SLIDER:
            widget.kind, widget.options = "select_slider", tuple(proto.options)
            labels = [widget.options[int(i)] for i in proto.default]
            if has_set_value and proto.raw_value:
                current = list(proto.raw_value)
        else:
            widget.integer = proto.data_type == Slider.INT
            widget.min, widget.max, widget.step = proto.min, proto.max, proto.step
            labels = [number_value(v, widget.integer) for v in proto.default]
            if has_set_value:
                current = [number_value(v, widget.integer) for v in proto.value]
        widget.default = labels if widget.multi else labels[0]
        if current is not UNSET and not widget.multi:
            current = current[0]
    elif kind in ("selectbox", "radio"):
        widget.options = tuple(proto.options)
        widget.accepts_new = kind == "selectbox" and proto.accept_new_options
        has_default = proto.HasField("default") and widget.options
        widget.default = widget.options[proto.default] if has_default else None
        widget.clearable = widget.default is None
        if has_set_value:
            current = proto.raw_value if proto.HasField("raw_value") else None
    elif kind == "checkbox":
        widget.kind = "toggle" if proto.type == proto.TOGGLE else "checkbox"
        widget.default = proto.default
        if has_set_value:
            current = proto.value
    elif kind == "button":
        widget.kind = "form_submit_button" if proto.is_form_submitter else "button"
        widget.default = False
    elif kind in ("text_input", "text_area"):
        widget.clearable = True
        widget.default = proto.default if proto.HasField("default") else None
        if has_set_value:
            current = proto.value if proto.HasField("value") else None
    elif kind == "number_input":
        widget.integer = proto.data_type == proto.INT
        widget.min = proto.min if proto.has_min else None
        widget.max = proto.max if proto.has_max else None
        widget.step = proto.step
        if proto.HasField("default"):
            widget.default = number_value(proto.default, widget.integer)
        widget.clearable = widget.default is None
        if has_set_value:
            current = number_value(proto.value, widget.integer) if proto.HasField("value") else None
    return widget, current


def number_value(value: float, integer: bool) -> int | float:
    return int(value) if integer else value


def checked(widget: Widget, value: object) -> Any:
    """``value`` for ``widget`` in ``Widget.value``'s form, or ValueError if it cannot take it."""
    kind, name = widget.kind, widget.key or widget.id
    if kind not in SUPPORTED:
        raise UnsupportedWidget(f"{name!r} is a {kind}, which this client cannot set "
                                f"(it sets {', '.join(sorted(SUPPORTED))})")  # fmt: skip
    if widget.disabled:
        raise ValueError(f"{name!r} is disabled")

    def label(item: object) -> str:
        if not isinstance(item, str) or (item not in widget.options and not widget.accepts_new):
            raise ValueError(f"{name!r} ({kind}) has no option {item!r}; "
                             f"its options are {list(widget.options)}")  # fmt: skip
        return item

    def number(item: object) -> int | float:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise ValueError(f"{name!r} ({kind}) takes numbers, not {item!r}")
        if widget.integer and item != int(item):
            raise ValueError(f"{name!r} ({kind}) takes whole numbers, not {item!r}")
        low = -math.inf if widget.min is None else widget.min
        high = math.inf if widget.max is None else widget.max
        if not low <= item <= high:
            raise ValueError(f"{name!r} ({kind}) takes {low:g}..{high:g}, not {item!r}")
        return int(item) if widget.integer else item

    def items(count: int | None) -> list[object]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise ValueError(f"{name!r} ({kind}) takes a list, not {value!r}")
        if count is not None and len(value) != count:
            raise ValueError(f"{name!r} ({kind}) takes {count} values, not {value!r}")
        return list(value)

    if kind in ("button", "form_submit_button"):
        if value is not True:
            raise ValueError(f"{name!r} is a button: send True to click it, not {value!r}")
        return True
    if kind in ("checkbox", "toggle"):
        if not isinstance(value, bool):
            raise ValueError(f"{name!r} ({kind}) takes True or False, not {value!r}")
        return value
    if kind in ("text_input", "text_area"):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name!r} ({kind}) takes a string or None, not {value!r}")
        return value
    if kind == "number_input":
        return None if value is None and widget.clearable else number(value)
    if kind in ("selectbox", "radio"):
        return None if value is None else label(value)
    if kind == "slider":
        if not widget.multi:
            return number(value)
        low, high = (number(item) for item in items(2))
        if low > high:
            raise ValueError(f"{name!r} (range slider) takes [low, high], not {value!r}")
        return [low, high]
    if kind == "select_slider":
        if not widget.multi:
            return label(value)
        first, last = (label(item) for item in items(2))
        if widget.options.index(first) > widget.options.index(last):
            raise ValueError(f"{name!r} (range select_slider) takes [low, high], not {value!r}")
        return [first, last]
    if widget.multi:  # multiselect, multi-select pills and segmented control
        return [label(item) for item in items(None)]
    return None if value is None else label(value)  # single-select pills, segmented control


def encode(widget: Widget, value: Any) -> WidgetState | None:
    """``value`` of ``widget`` in the wire field the frontend uses for its kind (None: nothing
    to send: buttons hold no value between clicks)."""
    state = WidgetState(id=widget.id)
    kind = widget.kind
    if kind in ("button", "form_submit_button"):
        return None
    if value is None:
        return state  # a cleared value: no field set, which the server reads as None
    if kind in ("multiselect", "pills", "segmented_control", "select_slider"):
        labels = value if isinstance(value, list) else [value]
        state.string_array_value.data.extend(labels)
    elif kind == "slider":
        numbers = value if isinstance(value, list) else [value]
        state.double_array_value.data.extend(float(v) for v in numbers)
    elif kind in ("selectbox", "radio", "text_input", "text_area"):
        state.string_value = value
    elif kind in ("checkbox", "toggle"):
        state.bool_value = value
    elif kind == "number_input":
        if widget.integer:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
    else:  # pragma: no cover - callers check SUPPORTED
        raise UnsupportedWidget(kind)
    return state


def url_values(widget: Widget, value: Any) -> list[str] | None:
    """A bound widget's value as its URL parameter's values (repeated), or None to drop it:
    the frontend's ``convertToUrlValue`` and ``shouldClearUrlParam``, default aside."""
    if isinstance(value, list):
        texts = [js_text(item) for item in value if item != ""]
        if not texts:
            return [""] if widget.clearable else None
        return texts
    if value is None or value == "":
        return [""] if widget.clearable else None
    return [js_text(value)]


def js_text(value: object) -> str:
    """``String(value)`` in JavaScript, for the values widgets hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


def encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    """Pairs as the frontend writes them: percent-encoded, spaces as ``+``."""
    return urlencode(pairs, quote_via=quote, safe="").replace("%20", "+")


def filtered_query(query_string: str, keep: Callable[[str], bool]) -> str:
    """``query_string`` with only the parameters whose names pass ``keep`` (blank values stay)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return encode_query([(name, value) for name, value in pairs if keep(name)])
