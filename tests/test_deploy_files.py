"""The deployment files of every deployment value, checked by their own communities' tools and
by the facts a deploy depends on; and the image's build replayed without Docker, then served.

Each bake's Dockerfile passes hadolint, its compose.yaml the Compose schema, its Kubernetes
manifests ``kubernetes-validate --strict``. Then what those tools cannot know: the image
installs exactly ``uv.lock`` and runs as the user the pods name; an embedded database keeps one
pod, PostgreSQL lets replicas roll and scale; every container is hardened; every Secret key
the pods read is in the documented ``kubectl create secret`` command; the drain fits the grace
period. The served test builds the default image's stages in folders, as a builder would,
serves its CMD as the image's non-root user on a read-only tree, and loads a page.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from packaging.specifiers import SpecifierSet
from uv import find_uv_bin

from bench import cluster

from . import dockerfile
from .conftest import TEMPLATE, load_bench

CONTEXT = json.loads((TEMPLATE / "cookiecutter.json").read_text())
TOOLS = Path(sys.executable).parent
"""Where this environment's command-line tools live (hadolint, kubernetes-validate, ...)."""

KUBERNETES = "1.33.0"
"""The Kubernetes version the manifests are validated against (a recent one that
kubernetes-validate bundles; the manifests use nothing newer)."""

HEALTH = "/_stcore/health"
PROBES = {"asgi": ("/healthz", "/readyz"), "streamlit": (HEALTH, HEALTH)}
"""server -> the liveness and readiness routes its probes call."""
APP_UID = 10001
DEFAULT_DB_FILE = "flights.duckdb"
"""The default bake's database file (``__db_file``), which its first start writes to data/."""
EMBEDDED = ("duckdb", "sqlite", "none")

BAKES: list[dict[str, str]] = [
    {"deployment": "docker", "ci": "gitlab"},
    {"deployment": "compose", "database": "sqlite", "server": "streamlit"},
    {"deployment": "compose", "database": "postgresql", "auth": "oidc", "ci": "gitlab"},
    {"deployment": "kubernetes"},
    {"deployment": "kubernetes", "database": "postgresql", "auth": "oidc"},
    {"deployment": "kubernetes", "database": "sqlite", "auth": "oidc", "server": "streamlit"},
    {"deployment": "kubernetes", "database": "none", "sample_data": "none", "ci": "gitlab"},
]
"""Every deployment value, each kind of database (embedded and server) under Kubernetes and
compose, sign-in, both servers and both CI systems."""


def _label(answers: dict[str, str]) -> str:
    return "-".join(answers.values())


def test_the_bakes_cover_every_deployment_database_server_and_ci():
    for option in ("deployment", "database", "server", "ci"):
        covered = {answers.get(option, CONTEXT[option][0]) for answers in BAKES}
        assert covered >= set(CONTEXT[option]) - {"none"}, option
    kubernetes = [a for a in BAKES if a["deployment"] == "kubernetes"]
    assert {a.get("database", "duckdb") for a in kubernetes} == {"postgresql", *EMBEDDED}
    assert {a.get("auth", "none") for a in kubernetes} == {"none", "oidc"}


class Bake:
    """A baked project and its answers (the defaults filled in)."""

    def __init__(self, project: Path, answers: dict[str, str]):
        self.project = project
        self.answers = {
            name: answers.get(name, values[0] if isinstance(values, list) else values)
            for name, values in CONTEXT.items()
            if not name.startswith("_")
        }
        self.stages = dockerfile.parse((project / "Dockerfile").read_text())

    def __getattr__(self, name: str) -> Any:
        return self.answers[name]

    def stage(self, name: str | None) -> dockerfile.Stage:
        return next(s for s in self.stages if s.name == name)

    @property
    def runtime(self) -> dockerfile.Stage:
        return self.stages[-1]

    def command(self) -> list[str]:
        return self.runtime.last("CMD").words()

    def manifests(self) -> dict[str, list[dict]]:
        """``deploy/k8s`` file name -> its YAML documents."""
        folder = self.project / "deploy" / "k8s"
        return {p.name: list(yaml.safe_load_all(p.read_text())) for p in folder.glob("*.yaml")}

    def pod(self) -> dict:
        """The Deployment's pod template spec."""
        (deployment,) = self.manifests()["deployment.yaml"]
        spec: dict = deployment["spec"]["template"]["spec"]
        return spec


_baked: dict[str, Bake] = {}


def baked(cookies_session, answers: dict[str, str]) -> Bake:
    """The bake of ``answers``, made once per test session (treat it as read-only)."""
    if _label(answers) not in _baked:
        result = cookies_session.bake(extra_context=answers)
        assert result.exit_code == 0, result.exception
        _baked[_label(answers)] = Bake(result.project_path, answers)
    return _baked[_label(answers)]


@pytest.fixture(params=BAKES, ids=_label)
def bake(request, cookies_session) -> Bake:
    return baked(cookies_session, request.param)


@pytest.fixture(params=[a for a in BAKES if a["deployment"] == "compose"], ids=_label)
def compose(request, cookies_session) -> Bake:
    return baked(cookies_session, request.param)


@pytest.fixture(params=[a for a in BAKES if a["deployment"] == "kubernetes"], ids=_label)
def kubernetes(request, cookies_session) -> Bake:
    return baked(cookies_session, request.param)


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One of this environment's validators, run in ``cwd``."""
    return subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True
    )


# --- The image --------------------------------------------------------------------------------


def test_hadolint_is_clean(bake):
    lint = run_tool("hadolint", "Dockerfile", cwd=bake.project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "hadolint ignore" not in (bake.project / "Dockerfile").read_text()


def test_images_are_pinned_to_exact_versions(bake):
    python_image = f"python:{bake.python_version}."
    (uv,) = [s for s in bake.stages if s.image.startswith("ghcr.io/astral-sh/uv:")]
    assert uv.image == f"ghcr.io/astral-sh/uv:{CONTEXT['__uv_version']}"
    bases = [s.image for s in bake.stages if s is not uv]
    assert len(set(bases)) == 1, "build and runtime must share one base (the venv links to it)"
    assert bases[0].startswith(python_image) and bases[0].endswith("-slim-trixie")
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-trixie", bases[0]), "a patch release"


def test_the_image_uv_is_the_one_this_repo_locks_and_builds_the_package():
    version = CONTEXT["__uv_version"]
    ours = subprocess.run([find_uv_bin(), "--version"], capture_output=True, text=True)
    assert ours.stdout.split()[1] == version, "bump __uv_version with the uv of uv.lock"
    pyproject = (TEMPLATE / "{{cookiecutter.project_slug}}" / "pyproject.toml").read_text()
    backend = re.search(r'"uv_build([^"]+)"', pyproject)
    assert backend and version in SpecifierSet(backend.group(1)), backend


def test_the_build_installs_exactly_the_lock(bake):
    build = bake.stage("build")
    copies = build.all("COPY")
    assert copies[1].words() == ["pyproject.toml", "uv.lock", "README.md", "LICENSE", "./"]
    runs = [r.arguments for r in build.all("RUN")]
    assert runs == [
        "uv sync --locked --no-dev --no-install-project",
        "uv sync --locked --no-dev --no-editable",
    ]
    assert not [c for c in copies if any(ch in c.arguments for ch in "*?[")], "no globs"
    # A bake has no uv.lock until its first `uv sync`: the build must stop at that COPY.
    assert not (bake.project / "uv.lock").exists()
    with tempfile.TemporaryDirectory() as folder:
        uv = dockerfile.Image(Path(folder, "uv-image"))
        uv.host("/uv").parent.mkdir()
        uv.host("/uv").touch()
        image = dockerfile.Image(Path(folder, "image"))
        with pytest.raises(FileNotFoundError, match=r"COPY uv\.lock"):
            dockerfile.replay(build, image, bake.project, {"uv": uv})


def test_the_runtime_keeps_only_the_venv_and_what_the_app_serves(bake):
    sources = [
        source
        for copy in bake.runtime.all("COPY")
        for source in copy.words()[:-1]
        if copy.flag("from") == "build"
    ]
    served = [
        "/app/streamlit_app.py",
        "/app/app.py",
        "/app/app_pages",
        "/app/.streamlit/config.toml",
    ]
    if bake.server != "asgi":
        served.remove("/app/app.py")
    assert sorted(sources) == sorted(["/app/.venv", *served])
    assert all(copy.flag("from") == "build" for copy in bake.runtime.all("COPY"))
    assert bake.runtime.last("USER").arguments == f"{APP_UID}:{APP_UID}"
    (setup,) = bake.runtime.all("RUN")
    assert f"--uid {APP_UID}" in setup.arguments and "--owner=app" in setup.arguments
    assert setup.arguments.endswith("/app/data"), "data/ exists, writable by the app's user"


def test_the_command_is_the_production_serve_command_for_a_proxy(bake):
    serve = next(
        line.split("#")[0].split()
        for line in (bake.project / "README.md").read_text().splitlines()
        if line.endswith("# serve on http://127.0.0.1:8501")
    )
    command = bake.command()
    assert command[: len(serve) - 2] == [w.replace("127.0.0.1", "0.0.0.0") for w in serve[2:]]
    if bake.server == "asgi":
        assert command[len(serve) - 2 :] == [
            "--proxy-headers", "--forwarded-allow-ips=*", "--timeout-graceful-shutdown", "25",
        ]  # fmt: skip
    healthcheck = bake.runtime.last("HEALTHCHECK")
    _, readiness = PROBES[bake.server]
    assert f"http://127.0.0.1:8501{readiness}'" in healthcheck.arguments


def drain_seconds(bake: Bake) -> int:
    """How long the server waits for open connections after SIGTERM (0: not bounded)."""
    command = bake.command()
    flag = "--timeout-graceful-shutdown"
    return int(command[command.index(flag) + 1]) if flag in command else 0


def test_dockerignore_keeps_secrets_and_local_state_out(bake):
    ignore = dockerfile.DockerIgnore((bake.project / ".dockerignore").read_text())
    kept_out = [
        ".streamlit/secrets.toml",
        ".streamlit/secrets.prod.toml",
        ".env",
        ".env.production",
        "deploy/k8s/secret.yaml",
        "deploy/k8s/app-secrets.env",
        ".venv/bin/python",
        "data/flights.duckdb",
        "tests/test_pages.py",
        "tools/bench.py",
        "src/pkg/__pycache__/config.cpython-312.pyc",
        ".mypy_cache/3.12/cache.db",
    ]
    assert [path for path in kept_out if not ignore.excludes(path)] == []
    context = set(dockerfile.context_files(bake.project))
    package = {p.relative_to(bake.project).as_posix() for p in (bake.project / "src").rglob("*.py")}
    assert any("/data/" in p for p in package)  # src/<pkg>/data/ is code, not the data folder
    needed = {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "streamlit_app.py",
        ".streamlit/config.toml",
    }
    assert package | needed <= context
    assert not [p for p in context if "secret" in p and not p.endswith(".example")]


@pytest.mark.parametrize(
    ("patterns", "excluded", "kept"),
    [  # Docker's own examples (the .dockerignore reference), and what differs from .gitignore
        ("*/temp*", ["somedir/temporary.txt", "somedir/temp/a"], ["temp.txt", "a/b/temp"]),
        ("temp?", ["tempa", "tempb/c"], ["temp", "tempab"]),
        ("**/*.go", ["a.go", "a/b/c.go"], ["a.gone"]),
        ("*.md\n!README.md", ["notes.md"], ["README.md"]),
        ("*.md\n!README*.md\nREADME-secret.md", ["README-secret.md"], ["README-x.md"]),
        ("/data/", ["data/flights.duckdb"], ["src/pkg/data/queries.py", "database.py"]),
    ],
)
def test_dockerignore_patterns_match_as_docker_matches_them(patterns, excluded, kept):
    ignore = dockerfile.DockerIgnore(patterns)
    assert [path for path in excluded if not ignore.excludes(path)] == []
    assert [path for path in kept if ignore.excludes(path)] == []


# --- compose -----------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_spec(compose):
    schema = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml",
        cwd=compose.project,
    )  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr
    services = yaml.safe_load((compose.project / "compose.yaml").read_text())["services"]
    grace = services["app"].get("stop_grace_period", "10s")  # Docker's default
    assert seconds(grace) > drain_seconds(compose), "compose kills the server mid-drain"


def seconds(duration: str) -> int:
    """A compose duration such as ``30s``, ``1m30s`` or ``5m``, in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms])", duration)
    assert "".join(n + u for n, u in parts) == duration, duration
    return sum(int(n) * units[u] for n, u in parts)


SECURITY_HEADERS = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": "frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}
"""What the proxy sends on every response, once each (the asgi app's middleware sends the
same: ``tests/test_server.py`` in the bake)."""


class _Answer(BaseHTTPRequestHandler):
    """200 to every GET, with a framing header of the app's own; the path is kept."""

    server: "_Upstream"

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        self.send_response(200)
        self.send_header("X-Frame-Options", "DENY")  # the proxy's policy must win, once
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Upstream(ThreadingHTTPServer):
    """A stand-in for the app on a loopback port, keeping the paths it was asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        super().__init__(("127.0.0.1", 0), _Answer)


@contextlib.contextmanager
def upstream() -> Iterator[_Upstream]:
    """An ``_Upstream``, serving until the block ends."""
    server = _Upstream()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_the_proxy_hides_the_metrics_and_sends_each_security_header_once(compose, tmp_path):
    if not Path(cluster.NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("no nginx: .ci/run should have installed it")
        pytest.skip("no nginx (apt-get install nginx)")
    conf = compose.project / "deploy" / "nginx" / "app.conf"
    port = load_bench(compose.project).free_port()
    with upstream() as app, cluster.nginx(conf, port, [app.server_port], tmp_path) as proxy:
        responses = {
            path: httpx.get(f"{proxy.url}{path}", timeout=10)
            for path in ("/_stcore/metrics", "/_stcore/metrics/", HEALTH)
        }
    assert {path: r.status_code for path, r in responses.items()} == {
        "/_stcore/metrics": 404, "/_stcore/metrics/": 404, HEALTH: 200,
    }  # fmt: skip
    assert HEALTH in app.paths and not [p for p in app.paths if "metrics" in p]  # kept out
    for path, response in responses.items():
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get_list(name) == [value], (path, name)
        assert "strict-transport-security" not in response.headers  # plain HTTP


# --- Kubernetes --------------------------------------------------------------------------------


def test_manifests_pass_strict_validation(kubernetes):
    files = sorted(set(kubernetes.manifests()) - {"kustomization.yaml"})
    check = run_tool(
        "kubernetes-validate", "--strict", "-k", KUBERNETES,
        *(f"deploy/k8s/{name}" for name in files), cwd=kubernetes.project,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(" passed for resource ") == len(files), check.stdout


def test_kustomization_lists_every_manifest_and_an_immutable_image(kubernetes):
    manifests = kubernetes.manifests()
    (kustomization,) = manifests.pop("kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(manifests)
    (image,) = kustomization["images"]
    (container,) = kubernetes.pod()["containers"]
    assert container["image"].split(":")[0] == image["name"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", image["newTag"])
    assert (
        image["newTag"]
        == tomllib.loads((kubernetes.project / "pyproject.toml").read_text())["project"]["version"]
    )


def test_no_image_anywhere_is_latest_or_untagged(bake):
    files = [bake.project / "Dockerfile", *bake.project.rglob("*.y*ml")]
    assert not [path for path in files if ":latest" in path.read_text()]
    images = [stage.image for stage in bake.stages]
    for path in files[1:]:
        for document in yaml.safe_load_all(path.read_text()):
            images += list(image_references(document))
    assert len(images) > len(bake.stages)  # the YAML files' images were found too
    untagged = [i for i in images if not re.search(r":[\w.-]*\d[\w.-]*$|@sha256:", i)]
    assert untagged == []


def image_references(node: object, key: str = "") -> Iterator[str]:
    """Every image named in a parsed YAML document: an ``image`` value (Compose, Kubernetes,
    CI), and a GitLab service's ``name``."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from image_references(child, str(child_key))
    elif isinstance(node, list):
        for child in node:
            if key == "services" and isinstance(child, dict) and "name" in child:
                yield child["name"]
            else:
                yield from image_references(child, key)
    elif key == "image" and isinstance(node, str):
        yield node


def test_embedded_database_keeps_one_pod_and_postgresql_rolls_and_scales(kubernetes):
    manifests = kubernetes.manifests()
    (deployment,) = manifests["deployment.yaml"]
    spec, pod = deployment["spec"], kubernetes.pod()
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    if kubernetes.database in EMBEDDED:
        assert spec["replicas"] == 1
        assert spec["strategy"] == {"type": "Recreate"}
        assert {"hpa.yaml", "pdb.yaml"}.isdisjoint(manifests)
        (claim,) = manifests["pvc.yaml"]
        assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
        data = volumes["data"]["persistentVolumeClaim"]["claimName"]
        assert data == claim["metadata"]["name"]
        assert {"name": "data", "mountPath": "/app/data"} in pod["containers"][0]["volumeMounts"]
    else:
        assert "replicas" not in spec, "the autoscaler owns the replica count"
        assert spec["strategy"] == {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
        }
        assert "pvc.yaml" not in manifests and "data" not in volumes
        (autoscaler,) = manifests["hpa.yaml"]
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
        assert autoscaler["spec"]["minReplicas"] >= 2
        assert autoscaler["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
        (budget,) = manifests["pdb.yaml"]
        assert budget["spec"]["minAvailable"] == 1
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_every_container_is_hardened(kubernetes):
    pod = kubernetes.pod()
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] == context["runAsGroup"] == context["fsGroup"] == APP_UID
    assert kubernetes.runtime.last("USER").arguments == f"{context['runAsUser']}:{APP_UID}"
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"] == {"drop": ["ALL"]}
        assert {"requests", "limits"} <= set(container["resources"])
        assert "memory" in container["resources"]["limits"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        assert "emptyDir" in volumes[mounts["/tmp"]]
        env = {variable["name"]: variable for variable in container["env"]}
        assert env["HOME"]["value"] == "/tmp"


def test_probes_use_the_health_route_on_the_served_port(kubernetes):
    (container,) = kubernetes.pod()["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": 8501}
    liveness, readiness = PROBES[kubernetes.server]
    paths = {probe: container[probe]["httpGet"] for probe in container if probe.endswith("Probe")}
    assert paths == {
        "startupProbe": {"path": liveness, "port": "http"},
        "readinessProbe": {"path": readiness, "port": "http"},
        "livenessProbe": {"path": liveness, "port": "http"},
    }
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300, "a first data load"


def test_the_service_and_ingress_reach_the_pods(kubernetes):
    manifests = kubernetes.manifests()
    (service,) = manifests["service.yaml"]
    (ingress,) = manifests["ingress.yaml"]
    (deployment,) = manifests["deployment.yaml"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    assert rule["host"] in ingress["spec"]["tls"][0]["hosts"]


def test_the_ingress_keeps_sessions_and_websockets(kubernetes):
    (ingress,) = kubernetes.manifests()["ingress.yaml"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    notes = {
        key.removeprefix("nginx.ingress.kubernetes.io/"): value
        for key, value in ingress["metadata"]["annotations"].items()
    }
    assert notes["affinity"] == "cookie" and notes["affinity-mode"] == "persistent"
    assert notes["session-cookie-samesite"] == "Lax" and notes["session-cookie-path"] == "/"
    assert notes["session-cookie-name"]
    assert int(notes["proxy-read-timeout"]) >= 3600 and int(notes["proxy-send-timeout"]) >= 3600
    assert int(notes["proxy-buffer-size"].removesuffix("k")) >= 16
    config = tomllib.loads((kubernetes.project / ".streamlit" / "config.toml").read_text())
    assert "maxUploadSize" not in config.get("server", {})  # so Streamlit's default holds
    assert notes["proxy-body-size"] == f"{streamlit_default('server.maxUploadSize')}m"


def streamlit_default(option: str) -> Any:
    """The default value of one of Streamlit's config options."""
    from streamlit import config

    return config.get_config_options()[option].default_val


def test_every_secret_the_pods_read_is_in_the_create_secret_command(kubernetes):
    kustomization = (kubernetes.project / "deploy" / "k8s" / "kustomization.yaml").read_text()
    command = re.search(r"kubectl create secret generic (\S+)((?:.*\\\n)*.*)", kustomization)
    assert command, "the create-secret command is documented"
    documented = {
        (command.group(1), key)
        for key in re.findall(r"--from-(?:literal|file)=([\w.-]+)=", command.group(2))
    }
    pod = kubernetes.pod()
    (container,) = pod["containers"]
    read = {
        (ref["name"], ref["key"])
        for variable in container["env"]
        if (ref := variable.get("valueFrom", {}).get("secretKeyRef"))
    }
    for volume in pod["volumes"]:
        if secret := volume.get("secret"):
            read |= {(secret["secretName"], item["key"]) for item in secret["items"]}
            assert not secret.get("optional")
    assert read == documented
    assert not [ref for ref in container["env"] if "optional" in str(ref)]

    env = {variable["name"] for variable in container["env"]}
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in env
    config = next((kubernetes.project / "src").glob("*/config.py")).read_text()
    (database_url,) = re.findall(r'"(\w+_DATABASE_URL)"', config)
    assert (database_url in env) == (kubernetes.database == "postgresql")
    if kubernetes.auth == "oidc":
        (mount,) = [m for m in container["volumeMounts"] if m["name"] != "tmp" and "subPath" in m]
        assert mount["mountPath"] == "/app/.streamlit/secrets.toml" and mount["readOnly"]


def test_streamlit_under_uvicorn_reads_the_cookie_secret_from_the_environment(tmp_path):
    # st.App loads its config with bootstrap.load_config_options, which reads STREAMLIT_*
    # variables only for sensitive options: the cookie secret must stay one of them.
    code = (
        "from streamlit import config\nfrom streamlit.web import bootstrap\n"
        "bootstrap.load_config_options({})\nprint(config.get_option('server.cookieSecret'))"
    )
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": "one-for-all", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.stdout.strip() == "one-for-all", run.stderr[-2000:]


def test_the_drain_fits_the_grace_period(kubernetes):
    pod = kubernetes.pod()
    (container,) = pod["containers"]
    pause = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command")
    if kubernetes.database == "postgresql":
        assert pause and pause[0] == "sleep", "leave the endpoints before SIGTERM"
    paused = int(pause[1]) if pause else 0
    assert pod["terminationGracePeriodSeconds"] > paused + drain_seconds(kubernetes)


# --- CI ----------------------------------------------------------------------------------------


def test_ci_installs_a_pinned_uv_and_the_locked_environment(bake):
    version = CONTEXT["__uv_version"]
    if bake.ci == "github":
        workflow = yaml.safe_load((bake.project / ".github" / "workflows" / "ci.yml").read_text())
        (job,) = workflow["jobs"].values()
        steps = job["steps"]
        (setup,) = [s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv@")]
        assert re.fullmatch(r"astral-sh/setup-uv@v\d+\.\d+\.\d+", setup["uses"])
        assert setup["with"]["version"] == version
        commands = [step["run"] for step in steps if "run" in step]
        env = job.get("env", {})
    else:
        job = yaml.safe_load((bake.project / ".gitlab-ci.yml").read_text())["test"]
        assert job["image"] == bake.stages[-1].image
        commands = job["script"]
        assert f'pip install --no-cache-dir "uv=={version}"' in commands
        env = job["variables"]
    assert commands.index("uv sync --locked") < commands.index("uv run pytest")
    assert {"uv run ruff check", "uv run ruff format --check", "uv run mypy"} <= set(commands)
    has_url = any(name.endswith("_DATABASE_URL") for name in env)
    assert has_url == (bake.database == "postgresql"), "the tests need a PostgreSQL database"


# --- The image, built and served ---------------------------------------------------------------


def world_usable(path: Path) -> bool:
    """Whether any user may run ``path``: every folder above it searchable by others."""
    resolved = path.resolve()
    return resolved.stat().st_mode & 0o001 != 0 and all(
        parent.stat().st_mode & 0o001 for parent in resolved.parents
    )


def base_python(minimum: str) -> str:
    """An interpreter that stands for the base image's Python: at least ``minimum``, and, when
    the tests run as root, one the app's user may run (root's own may sit under /root)."""
    candidates = [
        sys.executable,
        shutil.which("python3"),
        "/usr/bin/python3",
        "/usr/local/bin/python3",
    ]
    check = f"import sys; sys.exit(sys.version_info < {tuple(map(int, minimum.split('.')))})"
    for candidate in filter(None, candidates):
        path = Path(candidate)
        if not path.exists() or (os.geteuid() == 0 and not world_usable(path)):
            continue
        if subprocess.run([str(path.resolve()), "-c", check]).returncode == 0:
            return str(path.resolve())
    pytest.fail(f"no Python >= {minimum} that uid {APP_UID} may run")


def as_app_user(command: list[str]) -> list[str]:
    """``command`` run as the image's user: uid 10001 when the tests run as root (no passwd
    entry needed), else the current user, who is not root either."""
    if os.geteuid() != 0:
        return command
    ids = [f"--reuid={APP_UID}", f"--regid={APP_UID}", "--clear-groups"]
    return ["setpriv", *ids, "--", *command]


def tree(root: Path, skip: tuple[Path, ...]) -> set[str]:
    """Every path under ``root`` except under ``skip``."""
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if not any(p == s or s in p.parents for s in skip)
    }


@pytest.fixture
def image_root() -> Iterator[Path]:
    """An empty folder that stands for the image's root, searchable by the app's user (pytest's
    own temporary folders are private to the user running the tests)."""
    root = Path(tempfile.mkdtemp(prefix="image-"))
    root.chmod(0o755)
    assert os.geteuid() != 0 or world_usable(root), f"uid {APP_UID} cannot reach {root}"
    yield root
    for path in [root, root.with_name(root.name + "-build")]:
        if path.exists():
            subprocess.run(["chmod", "-R", "u+w", str(path)], check=True)
            shutil.rmtree(path)


@pytest.mark.served
def test_the_image_built_from_its_stages_serves_the_app(cookies_session, image_root, tmp_path):
    """The default bake's image, built without Docker: the lock written as the README says,
    the build stage's steps run in a folder, the runtime stage's copies into another at the
    same path (the venv's scripts name their interpreter by its path), then its CMD served
    as the app's user, on a tree only data/ and /tmp of which it may write."""
    answers = {"deployment": "docker"}
    project = cookies_session.bake(extra_context=answers).project_path
    bake = Bake(project, answers)
    uv = find_uv_bin()
    host_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "UV_", "PYTHON", "STREAMLIT_"))
    }
    host_env["UV_CACHE_DIR"] = subprocess.run(
        [uv, "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    host_env["UV_PYTHON"] = base_python(bake.python_version)
    lock = subprocess.run([uv, "lock"], cwd=project, env=host_env, capture_output=True, text=True)
    assert lock.returncode == 0, lock.stderr[-3000:]

    # The uv image's one file, and the build stage, in the folder that the runtime will reuse.
    uv_image = dockerfile.Image(tmp_path / "uv-image")
    uv_image.root.mkdir()
    shutil.copy2(uv, uv_image.root / "uv")
    build = dockerfile.Image(image_root)
    run_env = {**host_env, "HOME": str(image_root / "root")}
    try:
        dockerfile.replay(bake.stage("build"), build, project, {"uv": uv_image}, run_env)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{error.cmd}: {error.stderr[-3000:]}")
    built = image_root.rename(image_root.with_name(image_root.name + "-build"))
    build.root = built

    image_root.mkdir(mode=0o755)
    runtime = dockerfile.replay(
        bake.runtime, dockerfile.Image(image_root), project, {"build": build}
    )
    shutil.rmtree(built)  # the runtime stage stands alone
    # The tab's icon is a file of the package (src/ stays behind): the installed wheel has it.
    venv = runtime.host("/app/.venv")
    assert list(venv.glob("lib/python3.*/site-packages/flight_delays/favicon.svg")), "no icon"
    # The runtime stage's RUN needs root and is not replayed; what it leaves, data/ owned by the
    # app's user, is made here (test_the_runtime_keeps_only_... checks the RUN makes it). /tmp
    # stands for the pod's emptyDir, the user's home.
    writable = [runtime.host("/app/data"), runtime.host("/tmp")]
    for folder in writable:
        folder.mkdir(parents=True, exist_ok=True)
    home = runtime.host("/tmp")
    (home / ".streamlit").mkdir()  # the agent API on, for this test only (as tools/bench.py)
    (home / ".streamlit" / "config.toml").write_text("[server]\nenableAgentApi = true\n")
    if os.geteuid() == 0:
        for folder in writable:
            os.chown(folder, APP_UID, APP_UID)
    else:
        subprocess.run(["chmod", "-R", "a-w", str(image_root)], check=True)
        for folder in writable:
            folder.chmod(0o755)
    before = tree(image_root, tuple(writable))

    bench = load_bench(project)
    port = bench.free_port()
    command = [
        {"0.0.0.0": "127.0.0.1", "8501": str(port)}.get(word, word) for word in bake.command()
    ]
    executable = shutil.which(command[0], path=runtime.host_path())
    assert executable, f"{command[0]} is not on the image's PATH"
    env = {**runtime.env, "PATH": runtime.host_path() + os.pathsep + "/usr/bin:/bin"}
    env |= {"HOME": str(home), "TMPDIR": str(home), "LANG": "C.UTF-8"}
    serve = as_app_user([executable, *command[1:]])
    with bench.serving(
        serve, runtime.host("."), port, env=env, log=tmp_path / "server.log", timeout=300
    ) as server:
        with urllib.request.urlopen(f"{server.url}{HEALTH}", timeout=10) as response:
            assert response.status == 200
        snapshot, _ = bench.interact(server.url, {})
        assert snapshot["status"] == "ready"
        assert not [n for n in _nodes(snapshot["tree"]) if n.get("type") == "exception"]
        for path in probe_paths(cookies_session):
            with urllib.request.urlopen(f"{server.url}{path}", timeout=10) as response:
                assert response.status == 200, path
        # The image's own HEALTHCHECK command, run as the container would run it.
        keyword, _, exec_form = bake.runtime.last("HEALTHCHECK").arguments.partition(" ")
        assert keyword == "CMD"
        probe = [word.replace(":8501/", f":{port}/") for word in json.loads(exec_form)]
        probe[0] = shutil.which(probe[0], path=runtime.host_path()) or probe[0]
        check = subprocess.run(as_app_user(probe), env=env, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr

    assert (runtime.host("/app/data") / DEFAULT_DB_FILE).exists(), "the database in data/"
    assert tree(image_root, tuple(writable)) == before, "wrote outside data/ and /tmp"


def probe_paths(cookies_session) -> set[str]:
    """The paths of the probes of a Kubernetes bake (otherwise the default answers)."""
    (container,) = baked(cookies_session, {"deployment": "kubernetes"}).pod()["containers"]
    return {container[probe]["httpGet"]["path"] for probe in container if probe.endswith("Probe")}


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("children", []):
        yield from _nodes(child)
