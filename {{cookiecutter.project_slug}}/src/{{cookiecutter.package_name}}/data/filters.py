"""The flight filters shared by queries, page state and saved views.

A ``FlightFilters`` is immutable and hashable, so it is a cache key as it stands, and it turns
itself into a parameterised SQL ``WHERE`` clause: user values never enter the SQL text.
"""

from dataclasses import dataclass

MONTHS = (1, 12)
"""The full month range, inclusive."""

DELAY_BOUNDS = (-90, 1300)
"""Arrival delay slider bounds, in minutes; the full range applies no delay filter."""


@dataclass(frozen=True)
class FlightFilters:
    """Which flights to look at.

    Attributes:
        carriers: two-letter carrier codes, e.g. ``("UA", "AA")``; empty means every carrier.
        origins: origin airport codes (``EWR``, ``JFK``, ``LGA``); empty means all three.
        months: first and last month, 1..12 inclusive.
        delay: lowest and highest arrival delay in minutes, inclusive. At ``DELAY_BOUNDS``
            no delay filter applies, so cancelled flights (no arrival delay) are kept.
    """

    carriers: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    months: tuple[int, int] = MONTHS
    delay: tuple[int, int] = DELAY_BOUNDS

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
        if self.delay != DELAY_BOUNDS:
            clauses.append("arr_delay BETWEEN ? AND ?")
            params.extend(self.delay)
        return "WHERE " + " AND ".join(clauses), params
