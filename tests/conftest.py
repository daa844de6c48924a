"""Shared fixtures: the registry of bakes, the default bake installed and served, data folders
and scratch databases.

Only light modules are imported here; a fixture imports what it needs (SQLAlchemy, the bake's
client, the websocket session) when it runs, so the hook and render tests run without the
data stack.
"""

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.support import bakes, postgres
from tests.support import served as serving
from tests.support.deploy import DEPLOY_BAKES, DeployBake
from tests.support.template import label

pytest_plugins = [
    "tests.support.browser",  # Chromium: the playwright and browser fixtures
    "tests.support.jinja_once",  # each template file compiled once per test process
]


def pytest_configure(config: pytest.Config) -> None:
    # The bakes are shared and read-only: no process the tests start from them (a server, a
    # bake's own tests) may write bytecode into them. The libraries' bytecode is compiled once,
    # when uv installs the environment (compile-bytecode in pyproject.toml).
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first (a stable sort): the test processes take the long ones while there is
    other work to balance them, and finish on short ones together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def bake(cookies_session) -> Callable[..., Path]:
    """The registry of bakes: ``bake(**answers)`` is the project baked from the default
    answers plus ``answers``, made once per test process and shared by every test that asks
    for the same answers. Treat it as read-only."""
    made: dict[tuple[tuple[str, object], ...], Path] = {}

    def baked(**answers: object) -> Path:
        key = tuple(sorted(answers.items()))
        if key not in made:
            result = cookies_session.bake(extra_context=answers)
            assert result.exit_code == 0, result.exception
            made[key] = result.project_path
        return made[key]

    return baked


@pytest.fixture(params=DEPLOY_BAKES, ids=label)
def deployed(request, bake) -> DeployBake:
    """Each bake of ``DEPLOY_BAKES`` (every deployment value), from the registry: the image,
    Kubernetes and CI tests draw from it."""
    return DeployBake(bake(**request.param), request.param)


@pytest.fixture(scope="session")
def default_project(bake) -> Path:
    """The project baked from the default answers (shared: treat it as read-only)."""
    return bake()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """One data folder for the baked projects' own test runs, so the database builds once."""
    return tmp_path_factory.mktemp("flights-data")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, on the shared server (skipped without
    one, but under CI)."""
    with postgres.scratch_postgres() as url:
        yield url


class Installed(NamedTuple):
    """A bake installed into its own ``.venv``, and the environment its commands run in."""

    project: Path
    env: dict[str, str]


@pytest.fixture(scope="session")
def installed(cookies_session, tmp_path_factory) -> Installed:
    """A fresh default bake, installed by its README's install command (``uv sync``)."""
    result = cookies_session.bake()
    assert result.exit_code == 0, result.exception
    env = serving.clean_env(tmp_path_factory.mktemp("home"))
    serving.install(result.project_path, env)
    return Installed(result.project_path, env)


class Served(NamedTuple):
    """The installed default bake, served: its folder, its base URL, the environment it runs
    in, its log, its process (uv's, which runs the server) and its folders of data and of
    data files to import (empty: a test may add files, which the Jobs page then offers)."""

    project: Path
    url: str
    env: dict[str, str]
    log: Path
    pid: int
    data: Path
    imports: Path


@pytest.fixture(scope="session")
def served(installed, tmp_path_factory) -> Iterator[Served]:
    """The installed default bake served by its README's production command on a loopback
    port, with Streamlit's agent API turned on from outside the project (a user config in a
    temporary HOME; the project's own config keeps it off), its data loaded by a first visit
    into a data folder of its own (a DuckDB file is one process's: the project's ``data/`` is
    left to the servers the tests start themselves).

    One server for the served, browser and websocket tests: they share the ``served`` xdist
    group, so one test process starts it."""
    from tests.support.cluster import first_visit

    project = installed.project
    client = bakes.project_client(project)
    port = client.free_port()
    log = project.parent / "server.log"
    prefix = project.name.replace("-", "_").upper()
    data, imports = tmp_path_factory.mktemp("served-data"), tmp_path_factory.mktemp("imports")
    with client.agent_api_home() as home:
        env = {
            **installed.env,
            "HOME": home,
            f"{prefix}_DATA_DIR": str(data),
            f"{prefix}_IMPORTS_DIR": str(imports),
        }
        command = serving.serve_command(project, port)
        with client.serving(command, project, port, env=env, log=log, timeout=600) as server:
            asyncio.run(first_visit(server.url, 600))
            yield Served(project, server.url, env, log, server.pid, data, imports)
