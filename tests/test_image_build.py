"""The default image, built without Docker and served.

There is no Docker engine here, so the test does what the builder would: the lock written as
the README says, the build stage's steps run in a folder, the runtime stage's copies into
another at the same path (the venv's scripts name their interpreter by its path), then its
CMD served as the image's non-root user, on a tree of which it may write only ``data/`` and
``/tmp``; the image's own HEALTHCHECK answers, and so do the Kubernetes probes' routes.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from uv import find_uv_bin

from tests.support import dockerfile
from tests.support.bakes import project_client
from tests.support.deploy import APP_UID, HEALTH, DeployBake

DEFAULT_DB_FILE = "flights.duckdb"
"""The default bake's database file (``__db_file``), which its first start writes to data/."""


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


@pytest.mark.slow
def test_the_image_built_from_its_stages_serves_the_app(cookies, bake, image_root, tmp_path):
    """The default bake's image, built without Docker: the lock written as the README says,
    the build stage's steps run in a folder, the runtime stage's copies into another at the
    same path (the venv's scripts name their interpreter by its path), then its CMD served
    as the app's user, on a tree only data/ and /tmp of which it may write."""
    answers = {"deployment": "docker"}
    project = cookies.bake(extra_context=answers).project_path  # its own: the lock lands in it
    image = DeployBake(project, answers)
    uv = find_uv_bin()
    host_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "UV_", "PYTHON", "STREAMLIT_"))
    }
    host_env["UV_CACHE_DIR"] = subprocess.run(
        [uv, "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    host_env["UV_PYTHON"] = base_python(image.python_version)
    lock = subprocess.run([uv, "lock"], cwd=project, env=host_env, capture_output=True, text=True)
    assert lock.returncode == 0, lock.stderr[-3000:]

    # The uv image's one file, and the build stage, in the folder that the runtime will reuse.
    uv_image = dockerfile.Image(tmp_path / "uv-image")
    uv_image.root.mkdir()
    shutil.copy2(uv, uv_image.root / "uv")
    build = dockerfile.Image(image_root)
    run_env = {**host_env, "HOME": str(image_root / "root")}
    try:
        dockerfile.replay(image.stage("build"), build, project, {"uv": uv_image}, run_env)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{error.cmd}: {error.stderr[-3000:]}")
    built = image_root.rename(image_root.with_name(image_root.name + "-build"))
    build.root = built

    image_root.mkdir(mode=0o755)
    runtime = dockerfile.replay(
        image.runtime, dockerfile.Image(image_root), project, {"build": build}
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
    (home / ".streamlit").mkdir()  # the agent API on, for this test only (as tools/client.py does)
    (home / ".streamlit" / "config.toml").write_text("[server]\nenableAgentApi = true\n")
    if os.geteuid() == 0:
        for folder in writable:
            os.chown(folder, APP_UID, APP_UID)
    else:
        subprocess.run(["chmod", "-R", "a-w", str(image_root)], check=True)
        for folder in writable:
            folder.chmod(0o755)
    before = tree(image_root, tuple(writable))

    client = project_client(project)
    port = client.free_port()
    command = [
        {"0.0.0.0": "127.0.0.1", "8501": str(port)}.get(word, word) for word in image.command()
    ]
    executable = shutil.which(command[0], path=runtime.host_path())
    assert executable, f"{command[0]} is not on the image's PATH"
    env = {**runtime.env, "PATH": runtime.host_path() + os.pathsep + "/usr/bin:/bin"}
    env |= {"HOME": str(home), "TMPDIR": str(home), "LANG": "C.UTF-8"}
    serve = as_app_user([executable, *command[1:]])
    with client.serving(
        serve, runtime.host("."), port, env=env, log=tmp_path / "server.log", timeout=300
    ) as server:
        with urllib.request.urlopen(f"{server.url}{HEALTH}", timeout=10) as response:
            assert response.status == 200
        snapshot, _ = client.interact(server.url, {})
        assert snapshot["status"] == "ready"
        assert not [n for n in _nodes(snapshot["tree"]) if n.get("type") == "exception"]
        for path in probe_paths(bake(deployment="kubernetes")):
            with urllib.request.urlopen(f"{server.url}{path}", timeout=10) as response:
                assert response.status == 200, path
        # The image's own HEALTHCHECK command, run as the container would run it.
        keyword, _, exec_form = image.runtime.last("HEALTHCHECK").arguments.partition(" ")
        assert keyword == "CMD"
        probe = [word.replace(":8501/", f":{port}/") for word in json.loads(exec_form)]
        probe[0] = shutil.which(probe[0], path=runtime.host_path()) or probe[0]
        check = subprocess.run(as_app_user(probe), env=env, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr

    assert (runtime.host("/app/data") / DEFAULT_DB_FILE).exists(), "the database in data/"
    assert tree(image_root, tuple(writable)) == before, "wrote outside data/ and /tmp"


def probe_paths(project: Path) -> set[str]:
    """The paths of the probes of the Kubernetes bake ``project``."""
    (container,) = DeployBake(project, {"deployment": "kubernetes"}).pod()["containers"]
    return {container[probe]["httpGet"]["path"] for probe in container if probe.endswith("Probe")}


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("children", []):
        yield from _nodes(child)
