"""The flight filters shared by queries, page state and saved views.

A ``FlightFilters`` keeps its codes sorted, so the same selection made in another order is
the same value, and so the same ``st.cache_data`` key (Streamlit hashes a dataclass by its
field values). Plain data: ``queries`` turns it into SQL conditions, and the entrypoint can
import it without loading a database driver.
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
