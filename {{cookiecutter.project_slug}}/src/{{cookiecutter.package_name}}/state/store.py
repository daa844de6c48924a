"""Typed, namespaced session state: one frozen dataclass per page.

A page's state lives in ``st.session_state`` under ``"<NAMESPACE>.<field>"`` keys, so widgets
bind to a field with ``key=field_key(...)`` and two pages never collide. Reads return the
page's dataclass; writes touch only the keys whose values change.

Values are stored the way the widgets bound to them keep them: a variable-length tuple field
(``tuple[str, ...]``, a multi-select) as a list, a fixed one (``tuple[int, int]``, a range
slider) as a tuple. A value of another type would look like a change to the widget and fire
its ``on_change`` on the next rerun.
"""

from dataclasses import fields
from typing import Any, ClassVar, Protocol, TypeVar, get_args

import streamlit as st


class PageState(Protocol):
    """A frozen dataclass of one page's state, with its session-state namespace."""

    NAMESPACE: ClassVar[str]
    __dataclass_fields__: ClassVar[dict[str, Any]]


S = TypeVar("S", bound=PageState)


def field_key(state_type: type[PageState], field: str) -> str:
    """The session-state key of ``field``, e.g. ``"explore.carriers"``."""
    return f"{state_type.NAMESPACE}.{field}"


def _stored(field_type: Any, value: Any) -> Any:
    if isinstance(value, tuple) and get_args(field_type)[-1:] == (Ellipsis,):
        return list(value)
    return value


def init(state_type: type[PageState]) -> None:
    """Set each field's default unless the session has a value for it already."""
    for field in fields(state_type):
        key = field_key(state_type, field.name)
        if key not in st.session_state:
            st.session_state[key] = _stored(field.type, field.default)


def read(state_type: type[S]) -> S:
    """The page's state as ``state_type``, lists read back as tuples.

    Raises:
        KeyError: ``init`` has not run for ``state_type`` in this session.
    """
    values = {}
    for field in fields(state_type):
        value = st.session_state[field_key(state_type, field.name)]
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return state_type(**values)


def write(state_type: type[PageState], **changes: Any) -> list[str]:
    """Store ``changes`` (field -> value), skipping values that are unchanged.

    Call it from a widget callback when a field is bound to a widget: Streamlit refuses a
    write to a widget's key once the widget has rendered in the current run.

    Returns:
        The fields that changed.

    Raises:
        KeyError: a field is not one of ``state_type``'s.
    """
    types = {field.name: field.type for field in fields(state_type)}
    changed = []
    for field, value in changes.items():
        key = field_key(state_type, field)
        stored = _stored(types[field], value)
        if st.session_state.get(key) != stored:
            st.session_state[key] = stored
            changed.append(field)
    return changed
