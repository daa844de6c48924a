"""The flight filters shared by queries, page state and saved views.

A ``FlightFilters`` keeps its codes sorted, so the same selection made in another order is
the same value, and so the same ``st.cache_data`` key (Streamlit hashes a dataclass by its
field values). It turns itself into a parameterised SQL ``WHERE`` clause: user values never
enter the SQL text.
"""

from dataclasses import dataclass

MONTHS = (1, 12)
"""The full month range, inclusive."""

ARR_DELAY_BOUNDS = (-90, 1300)
"""Arrival delay slider bounds, in minutes; the full range applies no delay filter."""


@dataclass(frozen=True)
class FlightFilters:
    """Which flights to look at.

    Attributes:
        carriers: two-letter carrier codes, e.g. ``("AA", "UA")``; empty means every carrier.
        origins: origin airport codes (``EWR``, ``JFK``, ``LGA``); empty means all three.
        months: first and last month, 1..12 inclusive.
        arr_delay: lowest and highest arrival delay in minutes, inclusive. At
            ``ARR_DELAY_BOUNDS`` no delay filter applies, so cancelled flights (no arrival
            delay) are kept.
    """

    carriers: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    months: tuple[int, int] = MONTHS
    arr_delay: tuple[int, int] = ARR_DELAY_BOUNDS

    def __post_init__(self) -> None:
        # A multiselect returns codes in the order they were picked; sorting makes equal
        # selections equal values (frozen, so set through object.__setattr__).
        object.__setattr__(self, "carriers", tuple(sorted(self.carriers)))
        object.__setattr__(self, "origins", tuple(sorted(self.origins)))

    def where(self) -> tuple[str, list[object]]:
        """Return ``(sql, params)``: a ``WHERE`` clause over ``flights`` and its parameters."""
        clauses = ["month BETWEEN ? AND ?"]
        params: list[object] = [*self.months]
        if self.carriers:
            clauses.append("list_contains(?, carrier)")
            params.append(list(self.carriers))
        if self.origins:
            clauses.append("list_contains(?, origin)")
            params.append(list(self.origins))
        if self.arr_delay != ARR_DELAY_BOUNDS:
            clauses.append("arr_delay BETWEEN ? AND ?")
            params.extend(self.arr_delay)
        return "WHERE " + " AND ".join(clauses), params
