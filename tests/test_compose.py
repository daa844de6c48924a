"""The compose files: the Compose spec's schema, a grace period that lets the server drain, and
the bake's own nginx config run for real in front of a stand-in app on loopback."""

import contextlib
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support import cluster
from tests.support.bakes import import_file, project_client
from tests.support.deploy import HEALTH, DeployBake, deploying, run_tool
from tests.support.postgres import skip_or_fail
from tests.support.template import label

pytestmark = pytest.mark.xdist_group("deploy")  # one test process makes each bake once


@pytest.fixture(params=deploying("compose"), ids=label)
def compose(request, bake) -> DeployBake:
    """Each compose bake of ``DEPLOY_BAKES``, from the registry."""
    return DeployBake(bake(**request.param), request.param)


def test_compose_file_matches_the_compose_spec(compose):
    schema = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml",
        cwd=compose.project,
    )  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr
    services = yaml.safe_load((compose.project / "compose.yaml").read_text())["services"]
    grace = services["app"].get("stop_grace_period", "10s")  # Docker's default
    assert seconds(grace) > compose.drain_seconds(), "compose kills the server mid-drain"


def test_the_app_answers_to_the_names_in_env_and_the_proxy_s_loopback(compose):
    app = yaml.safe_load((compose.project / "compose.yaml").read_text())["services"]["app"]
    if compose.server != "asgi":  # streamlit run: its own server.allowedHosts (config.toml)
        assert not any(name.endswith("_ALLOWED_HOSTS") for name in app["environment"])
        return
    (given,) = [v for name, v in app["environment"].items() if name.endswith("_ALLOWED_HOSTS")]
    assert given == "${APP_HOSTS:-localhost,127.0.0.1}"  # the proxy's published address
    assert "\nAPP_HOSTS=localhost,127.0.0.1\n" in (compose.project / ".env.example").read_text()


def test_job_workers_are_a_service_of_their_own_beside_postgresql(compose):
    services = yaml.safe_load((compose.project / "compose.yaml").read_text())["services"]
    app = services["app"]
    if not compose.server_database:  # one worker, beside the app's one process
        assert "worker" not in services
        assert not any(name.endswith("_JOB_WORKERS") for name in app["environment"])
        return
    (package,) = [folder.name for folder in (compose.project / "src").iterdir()]
    worker = services["worker"]
    assert app["environment"][f"{package.upper()}_JOB_WORKERS"] == "0"
    assert worker["image"] == app["image"] and worker["build"] == app["build"]
    assert worker["command"] == ["python", "-m", f"{package}.jobs.worker"]
    assert worker["deploy"]["replicas"] == "${WORKER_REPLICAS:-1}"
    url = f"{package.upper()}_DATABASE_URL"
    assert worker["environment"][url] == app["environment"][url]
    assert worker["depends_on"] == app["depends_on"]
    assert "/tmp/job-worker-alive" in " ".join(worker["healthcheck"]["test"])
    example = (compose.project / ".env.example").read_text()
    assert "\nWORKER_REPLICAS=1\n" in example


def seconds(duration: str) -> int:
    """A compose duration such as ``30s``, ``1m30s`` or ``5m``, in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms])", duration)
    assert "".join(n + u for n, u in parts) == duration, duration
    return sum(int(n) * units[u] for n, u in parts)


def security_headers(project: Path) -> dict[str, str]:
    """What the proxy sends on every response, once each, whichever server it fronts: the
    headers an asgi bake's middleware sends (``HEADERS`` in ``project``'s ``security.py``),
    the content security policy included, word for word."""
    package = project.name.replace("-", "_")
    security = import_file(project / "src" / package / "security.py", f"{package}_security")
    return {name.decode(): value.decode() for name, value in security.HEADERS}


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


@pytest.mark.slow  # serves: nginx, on loopback
def test_the_proxy_hides_the_metrics_and_sends_each_security_header_once(
    compose, default_project, tmp_path
):
    if not Path(cluster.NGINX).exists():
        skip_or_fail("no nginx (apt-get install nginx)")
    conf = compose.project / "deploy" / "nginx" / "app.conf"
    port = project_client(compose.project).free_port()
    with upstream() as app, cluster.nginx(conf, port, [app.server_port], tmp_path) as proxy:
        responses = {
            path: httpx.get(f"{proxy.url}{path}", timeout=10)
            for path in ("/_stcore/metrics", "/_stcore/metrics/", "/metrics", HEALTH)
        }
    assert {path: r.status_code for path, r in responses.items()} == {
        "/_stcore/metrics": 404, "/_stcore/metrics/": 404, "/metrics": 404, HEALTH: 200,
    }  # fmt: skip
    assert HEALTH in app.paths and not [p for p in app.paths if "metrics" in p]  # kept out
    expected = security_headers(default_project)
    assert "script-src 'self'" in expected["content-security-policy"]
    for path, response in responses.items():
        for name, value in expected.items():
            assert response.headers.get_list(name) == [value], (path, name)
        assert "strict-transport-security" not in response.headers  # plain HTTP
