"""What the data caches hold, read from Streamlit's own cache statistics.

Streamlit counts hits and misses per cached function (the numbers behind ``/_stcore/metrics``)
and measures every stored entry; this module reads both rather than keeping counts of its own.
"""

from collections import Counter

import pandas as pd
from streamlit.runtime.caching import get_data_cache_stats_provider
from streamlit.runtime.caching.cache_metrics import get_cache_metrics


def _entry_sizes() -> tuple[Counter[str], Counter[str]]:
    """Entries and bytes per cached function name, one ``CacheStat`` per stored entry.

    Streamlit's public ``get_stats()`` sums the bytes per function and drops the count, so
    this reads each function's cache (``_function_caches`` holds them, per scope).
    """
    entries: Counter[str] = Counter()
    size: Counter[str] = Counter()
    provider = get_data_cache_stats_provider()
    for caches in list(provider._function_caches.values()):
        for cache in list(caches.values()):
            for stats in cache.get_stats().values():
                for stat in stats:
                    entries[stat.cache_name] += 1
                    size[stat.cache_name] += stat.byte_length
    return entries, size


def cache_report(functions: tuple[object, ...]) -> pd.DataFrame:
    """One row per function in ``functions`` (``st.cache_data`` wrappers), in that order.

    Returns:
        Columns ``function`` (its name), ``entries`` (stored now),
        ``kib`` (their pickled size, KiB), ``hits`` and ``misses`` (since the process started;
        ``clear()`` does not reset them).
    """
    lookups: Counter[tuple[str, str]] = Counter()
    for stat in get_cache_metrics().get_stats(["cache_lookups"]).get("cache_lookups", []):
        labels = stat.labels  # type: ignore[attr-defined]
        if labels["cache_type"] == "st_cache_data":
            lookups[labels["cache"], labels["result"]] += stat.value  # type: ignore[attr-defined]
    entries, size = _entry_sizes()
    names = [f"{f.__module__}.{f.__qualname__}" for f in functions]  # type: ignore[attr-defined]
    return pd.DataFrame(
        {
            "function": [name.rsplit(".", 1)[-1] for name in names],
            "entries": [entries[name] for name in names],
            "kib": [size[name] / 1024 for name in names],
            "hits": [lookups[name, "hit"] for name in names],
            "misses": [lookups[name, "miss"] for name in names],
        }
    )
