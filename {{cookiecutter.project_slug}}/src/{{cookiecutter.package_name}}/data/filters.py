"""The flight filters shared by queries, page state and saved views.

A ``FlightFilters`` keeps its codes sorted, so the same selection made in another order is
the same value, and so the same ``st.cache_data`` key (Streamlit hashes a dataclass by its
field values). Plain data: ``queries`` turns it into SQL conditions, and the entrypoint can
import it without loading a database driver. The functions at the end put filters into the
words the pages show: a carrier's label, a month range, a whole set of filters.
"""

import re
from collections.abc import Mapping, Sequence
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


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""Month 1..12 by name, in English whatever the server's locale."""

CARRIERS_NAMED = 3
"""The most carriers ``describe`` names; more are counted."""

_COMPANY = re.compile(r" (Inc\.|Co\.|Corporation)$")
_AIRLINE = re.compile(r" (Air Lines|Airlines|Airways|Air)$")


def carrier_label(code: str, name: str) -> str:
    """How the pages show carrier ``code`` of airline ``name``: the name without its company
    suffix and trailing "Airlines" (kept where only an abbreviation would be left), then the
    code, e.g. ``"United (UA)"``, ``"US Airways (US)"``. Short, so a chosen carrier fits its
    chip in the sidebar; it is also how a link names the carrier (a bound multiselect keeps
    its labels in the URL)."""
    name = _COMPANY.sub("", name)
    short = _AIRLINE.sub("", name)
    return f"{short if len(short) > 3 else name} ({code})"


def month_span(months: tuple[int, int]) -> str:
    """The months ``(low, high)``, 1..12, in words: ``"March to August"``, or ``"May"``; a
    range given high to low (as a link may give it) reads the same."""
    first, last = (MONTH_NAMES[month - 1] for month in sorted(months))
    return first if first == last else f"{first} to {last}"


def describe(filters: FlightFilters, carrier_names: Mapping[str, str]) -> str:
    """The flights ``filters`` select, in words a visitor reads, e.g. "JetBlue (B6) and
    Delta (DL), from JFK, March to August, arrival delay -60 to 120 min", or "All carriers,
    from any New York airport, all year, any arrival delay".

    ``carrier_names`` maps a carrier code to its airline (``queries.FilterOptions.carriers``);
    a code it lacks is shown as the code. Of more than ``CARRIERS_NAMED`` + 1 carriers, the
    first ``CARRIERS_NAMED`` are named and the rest counted.
    """
    names = [
        carrier_label(code, carrier_names[code]) if code in carrier_names else code
        for code in filters.carriers
    ]
    if len(names) > CARRIERS_NAMED + 1:  # "and 1 more carrier" would be no shorter
        names[CARRIERS_NAMED:] = [f"{len(names) - CARRIERS_NAMED} more carriers"]
    carriers = _listed(names, "and") if names else "All carriers"
    origins = _listed(filters.origins, "or") if filters.origins else "any New York airport"
    if filters.months == MONTHS:
        months = "all year"
    elif filters.months[0] == filters.months[1]:
        months = f"in {month_span(filters.months)}"
    else:
        months = month_span(filters.months)
    low, high = filters.arr_delay
    if filters.arr_delay == ARR_DELAY_BOUNDS:
        delay = "any arrival delay"
    elif low == high:
        delay = f"arrival delay {low} min"
    else:
        delay = f"arrival delay {low} to {high} min"
    return f"{carriers}, from {origins}, {months}, {delay}"


def _listed(words: Sequence[str], last_joiner: str) -> str:
    # "A", "A and B", "A, B and C"
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {last_joiner} {words[-1]}"
