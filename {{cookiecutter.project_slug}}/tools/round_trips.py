"""Round trips through Streamlit's agent API: a switch to every page and a change of every
keyed widget, both ways, each timed from the request until the finished page came back.

Form fields and submit buttons are left alone, as a submit may write (save a view); so are
widgets without a ``key``, whose generated keys change with the code.
"""

import urllib.error
from collections.abc import Iterator
from typing import Any

from tools.client import Snapshot, interact


def elements(tree: Snapshot) -> Iterator[Snapshot]:
    """Every element of a snapshot's tree, depth first."""
    yield tree
    for child in tree.get("children", []):
        yield from elements(child)


def keyed(snapshot: Snapshot) -> dict[str, Snapshot]:
    """A snapshot's elements that have a ``key``, by key."""
    return {element["key"]: element for element in elements(snapshot["tree"]) if "key" in element}


def other_value(element: Snapshot) -> Any:
    """A legal value for the widget ``element`` other than its current one, or None when
    there is none to pick (or the widget is of a kind this does not drive)."""
    value, props = element.get("value"), element.get("props", {})
    options = props.get("options") or []
    low, high, step = props.get("min_value"), props.get("max_value"), props.get("step") or 1
    if isinstance(value, bool):
        return not value
    if isinstance(value, list) and options:  # multiselect, multi pills
        return [] if value else options[:1]
    if isinstance(value, list) and len(value) == 2 and low is not None:  # range slider
        middle = low + (high - low) // 2 // step * step
        return [low, middle] if value != [low, middle] else [low, high]
    if isinstance(value, int | float) and low is not None and high is not None:
        return value + step if value + step <= high else value - step
    if isinstance(value, str) and options:  # selectbox, radio, select_slider, one pill
        return next((option for option in options if option != value), None)
    if isinstance(value, str):  # text input
        return "" if value else "bench"
    return None


def round_trips(url: str, repetitions: int) -> dict[str, list[float]]:
    """Round trips in ms to the server at ``url`` (its agent API on), ``repetitions`` of each,
    in one session: per page switch (``page <title>``), then per change of a keyed widget
    (``<page title>: <widget key>``). A widget with no other value to take, or whose change
    the API refuses (a form field), is left out.

    Raises:
        urllib.error.HTTPError: the server failed (5xx), or refused the first request (403:
            its agent API is off).
        RuntimeError: a run raised, or did not finish.
    """
    first, _ = interact(url, {})
    session = first["session_id"]
    pages = {page["title"]: page["url_path"] for page in first["pages"]}
    times: dict[str, list[float]] = {}
    for _ in range(repetitions):
        for title, page in pages.items():
            _, ms = interact(url, {"session_id": session, "page": page})
            times.setdefault(f"page {title}", []).append(ms)
    for title, page in pages.items():
        snapshot, _ = interact(url, {"session_id": session, "page": page})
        widgets = keyed(snapshot)
        for action in snapshot["actions"]:
            key = action["key"]
            if key.startswith("$$ID-") or action["type"] == "form_submit_button":
                continue
            for _ in range(repetitions):
                if action["kind"] == "trigger":
                    request = {"session_id": session, "trigger": {"key": key}}
                else:
                    new = other_value(widgets.get(key, {}))  # gone: an earlier change hid it
                    if new is None:
                        break
                    request = {"session_id": session, "widget_state": {key: new}}
                try:
                    snapshot, ms = interact(url, request)
                except urllib.error.HTTPError as refused:
                    if refused.code >= 500:
                        raise
                    break  # e.g. a form field: it only changes with its submit
                widgets = keyed(snapshot)
                times.setdefault(f"{title}: {key}", []).append(ms)
    return times
