"""Load a Streamlit app with K concurrent browser tabs, and print what it measured.

    uv run --frozen python bench/load.py http://127.0.0.1:8501 --sessions 20 --seconds 20

The tabs are ``tests/support/load.py``'s (``run_load``): each switches pages and changes
Explore's filters with no think time. Prints one line: sessions, reruns per second, p50 and
p95 latency in ms, errors, and the load generator's own CPU time per rerun.
"""

import argparse
import asyncio
import sys
from pathlib import Path

if not __package__:  # run as a file, bench/load.py: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.load import run_load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the app's base URL, e.g. http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent tabs")
    parser.add_argument("--seconds", type=float, default=20, help="how long to rerun")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = asyncio.run(run_load(args.url, args.sessions, args.seconds, args.seed))
    print(result.line())


if __name__ == "__main__":
    main()
