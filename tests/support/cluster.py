"""Replicas of a bake behind the bake's own nginx config, on loopback.

The live tests (``tests/test_replicas.py``) and the load benchmark (``bench/scale.py``) run a
real nginx (Debian's package) with the configuration a ``deployment=compose`` bake ships in
``deploy/nginx/app.conf``. Only its addresses change: it listens on a loopback port instead
of port 80, and its upstream lists the replicas' loopback ports instead of the compose
service ``app``. Everything else (the routing cookie, the hash, websocket upgrades, timeouts,
gzip) is the bake's, as written.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .session import Session

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

UPSTREAM_SERVER = re.compile(r"^(\s*)server\s+app:8501\b([^;]*);", re.MULTILINE)
LISTEN = re.compile(r"^(\s*)listen\s+80;", re.MULTILINE)

MAIN = """\
{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    # One line a request: which routing key went to which replica.
    log_format routed '$st_route|$upstream_addr|$status|$request_method|$uri';
    access_log {work}/access.log routed;
    include {work}/app.conf;
}}
"""


def loopback_config(app_conf: str, port: int, upstream_ports: list[int]) -> str:
    """The bake's ``app.conf`` text, listening on 127.0.0.1:``port`` and balancing over
    127.0.0.1:``upstream_ports`` (each keeping the bake's server parameters, less ``resolve``:
    there is no name to look up).

    Raises:
        ValueError: the config has no ``listen 80;`` or no ``server app:8501`` line to replace.
    """
    if not LISTEN.search(app_conf) or not UPSTREAM_SERVER.search(app_conf):
        raise ValueError("app.conf: no 'listen 80;' or 'server app:8501 ...;' line to replace")

    def replicas(match: re.Match[str]) -> str:
        indent, parameters = match.group(1), match.group(2).replace(" resolve", "")
        return "\n".join(f"{indent}server 127.0.0.1:{p}{parameters};" for p in upstream_ports)

    text = UPSTREAM_SERVER.sub(replicas, app_conf)
    text = re.sub(r"^\s*resolver\s[^;]*;", "", text, flags=re.MULTILINE)  # Docker's DNS
    return LISTEN.sub(rf"\g<1>listen 127.0.0.1:{port};", text)


class Proxy(NamedTuple):
    """A running nginx: its base URL, its access log and its process ID."""

    url: str
    access_log: Path
    pid: int


@contextlib.contextmanager
def nginx(app_conf: Path, port: int, upstream_ports: list[int], work: Path) -> Iterator[Proxy]:
    """Run nginx with ``app_conf`` (see ``loopback_config``) in the folder ``work``; yield it
    once it accepts connections, then stop it.

    Raises:
        RuntimeError: ``nginx -t`` refused the config, or nginx did not start within 10 s.
    """
    work.mkdir(parents=True, exist_ok=True)
    (work / "app.conf").write_text(loopback_config(app_conf.read_text(), port, upstream_ports))
    main = work / "nginx.conf"
    # As root, nginx's workers would run as nobody, who may not enter a test's temp folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(MAIN.format(work=work, user=user))
    command = [NGINX, "-p", str(work), "-c", str(main), "-e", str(work / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx -t refused {app_conf}:\n{check.stderr}")
    server = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"{url}/nginx-probe", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers (502 while no replica does): nginx is up
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                    raise RuntimeError(f"nginx did not start:\n{log}") from None
                time.sleep(0.05)
        yield Proxy(url, work / "access.log", server.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGQUIT)  # graceful: finish what is in flight
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def routes(access_log: Path) -> dict[str, set[str]]:
    """Routing key -> the replica addresses its requests went to, from a ``Proxy``'s log.

    A request that nginx retried on another replica logs both, comma-separated: each counts.
    """
    seen: dict[str, set[str]] = {}
    for line in access_log.read_text().splitlines():
        key, upstream, *_ = line.split("|")
        if upstream != "-":
            seen.setdefault(key, set()).update(a.strip() for a in upstream.split(","))
    return seen


def rss_mib(pid: int) -> float:
    """The resident memory of process ``pid``, in MiB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ProcessLookupError(pid)


def replica_env(project: Path, database_url: str, cookie_secret: str, home: Path) -> dict[str, str]:
    """The environment of a replica of the PostgreSQL bake ``project``, served from this
    environment: the package on the path, the database, and the cookie secret that every
    replica shares (compose and Kubernetes set it from a secret)."""
    prefix = project.name.replace("-", "_").upper()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    return env | {
        "PYTHONPATH": str(project / "src"),  # as installed
        "HOME": str(home),  # no user config
        f"{prefix}_DATABASE_URL": database_url,
        "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
    }


async def first_visit(url: str, timeout: float = 900) -> None:
    """Open the app at ``url`` in one tab and wait for its first run, the one that loads the
    data on a new database (about 4 s into PostgreSQL, more on a busy machine), then
    close the tab.

    Raises:
        SessionClosed, TimeoutError: as ``Session.open``.
    """
    session = await Session.open(url, timeout=timeout)
    await session.close()
