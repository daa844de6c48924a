"""Typed, namespaced session state: a page's state is a frozen dataclass of ``PageState``.

A page's fields live in ``st.session_state`` under ``"<NAMESPACE>.<field>"`` keys, so widgets
bind to a field with ``key=MyState.key("field")`` and two pages never collide. ``read()``
returns the page's dataclass; ``write()`` touches only the keys whose values change.

Values are stored the way the widgets bound to them keep them: a variable-length tuple field
(``tuple[str, ...]``, a multi-select) as a list, a fixed one (``tuple[int, int]``, a range
slider) as a tuple. A value of another type would look like a change to the widget and fire
its ``on_change`` on the next rerun.
"""

from dataclasses import dataclass, fields
from typing import ClassVar, Self, get_args

import streamlit as st


def _stored(field_type: object, value: object) -> object:
    if isinstance(value, tuple) and get_args(field_type)[-1:] == (Ellipsis,):
        return list(value)
    return value


@dataclass(frozen=True)
class PageState:
    """Base of every page's state; a subclass sets ``NAMESPACE`` and declares its fields
    with their defaults."""

    NAMESPACE: ClassVar[str]

    @classmethod
    def key(cls, field: str) -> str:
        """The session-state key of ``field``, e.g. ``"explore.carriers"``."""
        return f"{cls.NAMESPACE}.{field}"

    @classmethod
    def init(cls) -> None:
        """Set each field's default unless the session has a value for it already."""
        for field in fields(cls):
            if cls.key(field.name) not in st.session_state:
                st.session_state[cls.key(field.name)] = _stored(field.type, field.default)

    @classmethod
    def read(cls) -> Self:
        """This session's state, lists read back as tuples.

        Raises:
            KeyError: ``init`` has not run in this session.
        """
        values = {}
        for field in fields(cls):
            value = st.session_state[cls.key(field.name)]
            values[field.name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)

    @classmethod
    def write(cls, **changes: object) -> list[str]:
        """Store ``changes`` (field -> value), skipping values that are unchanged.

        Call it from a widget callback when a field is bound to a widget: Streamlit refuses
        a write to a widget's key once the widget has rendered in the current run.

        Returns:
            The fields that changed.

        Raises:
            KeyError: a field is not one of this state's.
        """
        types = {field.name: field.type for field in fields(cls)}
        changed = []
        for field, value in changes.items():
            stored = _stored(types[field], value)
            if st.session_state.get(cls.key(field)) != stored:
                st.session_state[cls.key(field)] = stored
                changed.append(field)
        return changed
