"""Time every page and keyed widget on the real server, to keep a budget (a development tool:
the image does not ship ``tools/``).

    uv run python tools/bench.py [--repetitions 20]
    uv run --group browser python tools/bench.py --browser [--repetitions 20]

Starts the app with its production command on a free loopback port, with Streamlit's agent
API on (from a user config in a temporary HOME, never in the project), then times the round
trip of a switch to every page and a change of every keyed widget (``round_trips.py``); or,
with ``--browser``, what a visitor waits for in headless Chromium: a click on every menu entry
until the page has settled, and a first load (``browser.py``). Prints the median and p90 of
each, in ms.

It uses your data folder and database like any visitor: give it the settings the server
needs in environment variables or in the project's ``.streamlit/``, as the temporary HOME
hides ``~/.streamlit/``.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

if not __package__:  # run as a script, not imported as tools.bench: tools/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.browser import browser_missing, browser_times
from tools.client import agent_api_home, free_port, interact, production_command, serving
from tools.round_trips import round_trips


def summary(times: list[float]) -> str:
    """The median and p90 of ``times`` (ms), as two columns 8 characters wide."""
    ordered = sorted(times)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    return f"{statistics.median(ordered):8.1f} {p90:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every page and keyed widget.")
    parser.add_argument("--repetitions", type=int, default=20, help="requests per measure")
    parser.add_argument(
        "--browser", action="store_true", help="time page switches in headless Chromium instead"
    )
    args = parser.parse_args()
    project = Path.cwd()
    if not (project / "streamlit_app.py").exists():
        sys.exit("bench: run it from the project folder (where streamlit_app.py is)")
    if args.browser and (problem := browser_missing()):
        sys.exit(f"bench --browser: {problem}")
    port = free_port()
    with (
        agent_api_home() as home,
        serving(production_command(port), project, port, env={**os.environ, "HOME": home}) as app,
    ):
        interact(app.url, {})  # the first visit: loads the data if it must, warms the caches
        if args.browser:
            times = browser_times(app.url, args.repetitions)
        else:
            times = round_trips(app.url, args.repetitions)
    kind = "click to settled" if args.browser else "round trip"
    print(f"{kind + ', ms':44} {'median':>8} {'p90':>8}   (n={args.repetitions})")
    for name, values in times.items():
        print(f"{name:44} {summary(values)}")


if __name__ == "__main__":
    main()
