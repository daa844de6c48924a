"""Sets of answers that together cover the options: a few for plain renders, an all-pairs
cover for bakes. None holds a pair of answers that the pre-gen hook refuses."""

import itertools
import tempfile
from pathlib import Path
from typing import Any

from allpairspy.allpairs import AllPairs

from .hooks import impossible
from .template import DEFAULTS, OPTIONS

with tempfile.TemporaryDirectory() as _folder:
    IMPOSSIBLE: list[dict[str, object]] = impossible(Path(_folder))
"""The pairs of answers that the pre-gen hook refuses together (``test_rejections`` checks
it), so no bake here has them."""


def possible(answers: dict[str, Any]) -> bool:
    """Whether ``answers`` hold no pair of ``IMPOSSIBLE``."""
    return not any(
        all(field in answers and answers[field] == value for field, value in pair.items())
        for pair in IMPOSSIBLE
    )


def _answer_sets() -> list[dict[str, Any]]:
    defaults = dict(DEFAULTS)
    # set i gives the k-th option its (i + k)-th value: as many sets as the longest list has
    # values hold every value, each in other company
    shifted = [
        {name: values[(i + k) % len(values)] for k, (name, values) in enumerate(OPTIONS.items())}
        for i in range(max(len(values) for values in OPTIONS.values()))
    ]
    sets = [defaults, *filter(possible, shifted)]
    for name, values in OPTIONS.items():  # what a refused set dropped, on top of the defaults
        sets += [{**defaults, name: v} for v in values if all(s[name] != v for s in sets)]
    # these two pick the data layer, and the most files branch on both
    for data, database in itertools.product(OPTIONS["sample_data"], OPTIONS["database"]):
        pair = {"sample_data": data, "database": database}
        if all(s["sample_data"] != data or s["database"] != database for s in sets):
            sets.append({**defaults, **pair})
    return [answers for answers in sets if possible(answers)]


ANSWER_SETS = _answer_sets()
"""The default answers, then a few answer sets that hold every value of every option and every
pair of a sample_data and a database value: for plain renders (no hooks), which hold every
file of every value, each rendered for the answers."""


def _all_pairs() -> list[dict[str, Any]]:
    names = list(OPTIONS)
    # AllPairs asks about partial rows too: zip stops at the row's end
    rows = AllPairs(
        list(OPTIONS.values()),
        filter_func=lambda row: possible(dict(zip(names, row, strict=False))),
    )
    pairs = [dict(zip(names, row, strict=True)) for row in rows]
    # With a filter, AllPairs can leave a possible pair out: add a default bake for each.
    for first, second in itertools.combinations(names, 2):
        for x, y in itertools.product(OPTIONS[first], OPTIONS[second]):
            wanted = {first: x, second: y}
            if possible(wanted) and not any(a[first] == x and a[second] == y for a in pairs):
                pairs.append({**DEFAULTS, **wanted})
    return pairs


ALL_PAIRS = _all_pairs()
"""Answer sets that hold every value of every option and every possible pair of values of two
options, in far fewer bakes than the full product: the first is the defaults'."""


TRICKY_AUTHOR = 'O\'Brien "Bob" \\'
"""An author's name with both quotes and a trailing backslash: it must read back exactly from
Python, TOML, the LICENSE and a wheel's metadata."""

TRICKY_SKELETON: dict[str, Any] = {
    "sample_data": "none",
    "database": "parquet",
    "auth": "oidc",
    "author_name": TRICKY_AUTHOR,
}
"""The skeleton (a quick test suite of its own) with sign-in, by the tricky author."""

OWN_TESTS: list[dict[str, Any]] = [
    {},
    {"database": "sqlite", "auth": "oidc", "server": "streamlit"},
    {"database": "postgresql", "ml_model": True},
    {"database": "parquet", "ml_model": True, "server": "streamlit"},
    TRICKY_SKELETON,
]
"""The bakes whose own tests run: together, every value of sample_data, database, auth,
ml_model and server; the demo on every database; and the skeleton by a tricky author."""

WITH_TABLES: list[dict[str, Any]] = [OWN_TESTS[1], OWN_TESTS[2], TRICKY_SKELETON]
"""The own-test bakes that first get tables from their ``tools/new.py`` (``tables.py``): SQLite
and PostgreSQL under the demo's load, DuckDB's dialect (its Parquet variant) under the
skeleton's."""
