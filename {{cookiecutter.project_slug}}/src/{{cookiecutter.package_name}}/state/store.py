"""Typed, namespaced session state: a page's state is a frozen dataclass of ``PageState``.

A page's fields live in ``st.session_state`` under ``"<NAMESPACE>.<field>"`` keys, so widgets
bind to a field with ``key=MyState.key("field")`` and two pages never collide. ``read()``
returns the page's dataclass; ``write()`` touches only the keys whose values change.

A page lists in ``URL_FIELDS`` the fields whose widgets live in the URL's query string too
(``bind=MyState.bind("field")``, the key is the parameter's name): a shared link, a reload and
a reconnect to another replica, which starts a new session, all find them again.

Values are stored the way the widgets bound to them keep them: a variable-length tuple field
(``tuple[str, ...]``, a multi-select) as a list, a fixed one (``tuple[int, int]``, a range
slider) as a tuple. A value of another type would look like a change to the widget and fire
its ``on_change`` on the next rerun.
"""

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, Self, get_args

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
    URL_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """The fields whose widgets are bound to the URL's query string; each needs a widget."""

    @classmethod
    def key(cls, field: str) -> str:
        """The session-state key of ``field``, e.g. ``"explore.carriers"``."""
        return f"{cls.NAMESPACE}.{field}"

    @classmethod
    def bind(cls, field: str) -> Literal["query-params"] | None:
        """The ``bind`` argument of the widget bound to ``field``: the URL for a URL field."""
        return "query-params" if field in cls.URL_FIELDS else None

    @classmethod
    def initial(cls, field: str) -> Any:
        """The ``value`` (or ``default``) argument of the widget bound to ``field``: the field's
        default until the session holds a value for it, then ``None``, so the widget shows the
        session's value (Streamlit warns when a widget is given both).

        Raises:
            KeyError: ``field`` is not one of this state's.
        """
        spec = {f.name: f for f in fields(cls)}[field]
        if cls.key(field) in st.session_state:
            return None
        return _stored(spec.type, spec.default)

    @classmethod
    def init(cls) -> None:
        """Set each field's default unless the session has a value for it already.

        URL fields are left unset: after a reconnect to a new session (another replica), the
        browser sends its widgets' values with the first run, and a value set here would win
        over them. Their widgets start from ``initial`` instead, a default that both the
        browser's values and the link's win over.
        """
        for field in fields(cls):
            if field.name not in cls.URL_FIELDS and cls.key(field.name) not in st.session_state:
                st.session_state[cls.key(field.name)] = _stored(field.type, field.default)

    @classmethod
    def has_url_fields(cls) -> bool:
        """Whether the session holds every URL field, i.e. their widgets have rendered in it.

        False on a page's first render in a session: the one where its widgets take their
        values from the link.
        """
        return all(cls.key(field) in st.session_state for field in cls.URL_FIELDS)

    @classmethod
    def url_values(cls) -> dict[str, list[str]]:
        """Each URL field's values in the query string: field -> values, ``[]`` when absent."""
        return {field: st.query_params.get_all(cls.key(field)) for field in cls.URL_FIELDS}

    @classmethod
    def read(cls) -> Self:
        """This session's state, lists read back as tuples; a URL field whose widget has not
        rendered yet reads as its default.

        Raises:
            KeyError: ``init`` has not run in this session.
        """
        values = {}
        for field in fields(cls):
            key = cls.key(field.name)
            if field.name in cls.URL_FIELDS and key not in st.session_state:
                value = field.default
            else:
                value = st.session_state[key]
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
