"""A bake's deployment files read as data: the Dockerfile's stages, the Kubernetes manifests,
the production command; and the bakes whose deployment files the tests check."""

import subprocess
import sys
from pathlib import Path
from typing import Any

from . import dockerfile
from .files import yaml_documents
from .template import database, with_defaults

TOOLS = Path(sys.executable).parent
"""Where this environment's command-line tools live (hadolint, kubernetes-validate, ...)."""

HEALTH = "/_stcore/health"
PROBES = {"asgi": ("/healthz", "/readyz"), "streamlit": (HEALTH, HEALTH)}
"""server -> the liveness and readiness routes its probes call."""

APP_UID = 10001
"""The image's user and group: the pods and the Dockerfile name the same."""

STREAMLIT_SERIES = {"cache_lookups_total", "cache_compute_duration_seconds_bucket"}
"""The series of Streamlit's own ``/_stcore/metrics`` that the dashboard reads: each cached
function's hits and misses, and its time on a miss. ``tests/test_served.py`` finds them in a
served bake's scrape."""

STREAMLIT_FAMILIES = ["cache_lookups", "cache_compute_duration_seconds"]
"""The metric families of those series: what the scrapes ask ``/_stcore/metrics`` for."""

DEPLOY_BAKES: list[dict[str, Any]] = [
    {"deployment": "docker", "ci": "gitlab"},
    {"deployment": "compose", "database": "sqlite", "server": "streamlit"},
    {"deployment": "compose", "database": "postgresql", "auth": "oidc", "ci": "gitlab"},
    {"deployment": "kubernetes"},
    {"deployment": "kubernetes", "database": "postgresql", "auth": "oidc"},
    {"deployment": "kubernetes", "database": "sqlite", "auth": "oidc", "server": "streamlit"},
    {"deployment": "kubernetes", "database": "parquet", "sample_data": "none", "ci": "gitlab"},
]
"""Every deployment value, each kind of database (embedded and server) under Kubernetes and
compose, sign-in, both servers and both CI systems."""


def deploying(deployment: str) -> list[dict[str, Any]]:
    """The answers of ``DEPLOY_BAKES`` with ``deployment``."""
    return [answers for answers in DEPLOY_BAKES if answers["deployment"] == deployment]


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One of this environment's validators (``TOOLS``), run in ``cwd``."""
    return subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True
    )


class DeployBake:
    """A baked project with deployment files, and its answers (the defaults filled in): an
    answer reads as an attribute (``bake.database``)."""

    def __init__(self, project: Path, answers: dict[str, Any]):
        self.project = project
        self.answers = with_defaults(answers)
        self.stages = dockerfile.parse((project / "Dockerfile").read_text())
        self.server_database: bool = database(answers)["server"]
        """Whether the database is a server (replicas may share it), not a file of one
        process's."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.answers[name]
        except KeyError:
            raise AttributeError(name) from None

    def stage(self, name: str | None) -> dockerfile.Stage:
        """The Dockerfile's stage named ``name``."""
        return next(s for s in self.stages if s.name == name)

    @property
    def runtime(self) -> dockerfile.Stage:
        """The Dockerfile's last stage: the image that runs."""
        return self.stages[-1]

    def command(self) -> list[str]:
        """The image's ``CMD``, in words."""
        return self.runtime.last("CMD").words()

    def drain_seconds(self) -> int:
        """How long the server waits for open connections after SIGTERM (0: not bounded)."""
        command = self.command()
        flag = "--timeout-graceful-shutdown"
        return int(command[command.index(flag) + 1]) if flag in command else 0

    def manifests(self) -> dict[str, list[dict]]:
        """``deploy/k8s`` file name -> its YAML documents."""
        folder = self.project / "deploy" / "k8s"
        return {p.name: yaml_documents(p.read_text()) for p in folder.glob("*.yaml")}

    def pod(self) -> dict:
        """The Deployment's pod template spec."""
        (deployment,) = self.manifests()["deployment.yaml"]
        spec: dict = deployment["spec"]["template"]["spec"]
        return spec
