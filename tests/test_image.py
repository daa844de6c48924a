"""The image of every deployment value, read as data: hadolint clean, pinned, built from
exactly ``uv.lock``, running the production command as a non-root user, and a build context
that keeps secrets and local state out (``.dockerignore``, matched as Docker matches it).
``test_image_build.py`` builds and serves it."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from uv import find_uv_bin

from tests.support import dockerfile
from tests.support.deploy import APP_UID, DEPLOY_BAKES, PROBES, run_tool
from tests.support.template import DECLARED, OPTIONS, PROJECT

pytestmark = pytest.mark.xdist_group("deploy")  # one test process makes each bake once


def test_the_bakes_cover_every_deployment_database_server_and_ci():
    for option in ("deployment", "database", "server", "ci"):
        covered = {answers.get(option, OPTIONS[option][0]) for answers in DEPLOY_BAKES}
        assert covered >= set(OPTIONS[option]) - {"none"}, option
    kubernetes = [a for a in DEPLOY_BAKES if a["deployment"] == "kubernetes"]
    assert {a.get("database", "duckdb") for a in kubernetes} == set(OPTIONS["database"])
    assert {a.get("auth", "none") for a in kubernetes} == {"none", "oidc"}


def test_hadolint_is_clean(deployed):
    lint = run_tool("hadolint", "Dockerfile", cwd=deployed.project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "hadolint ignore" not in (deployed.project / "Dockerfile").read_text()


def test_images_are_pinned_to_exact_versions(deployed):
    python_image = f"python:{deployed.python_version}."
    (uv,) = [s for s in deployed.stages if s.image.startswith("ghcr.io/astral-sh/uv:")]
    assert uv.image == f"ghcr.io/astral-sh/uv:{DECLARED['__uv_version']}"
    bases = [s.image for s in deployed.stages if s is not uv]
    assert len(set(bases)) == 1, "build and runtime must share one base (the venv links to it)"
    assert bases[0].startswith(python_image) and bases[0].endswith("-slim-trixie")
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-trixie", bases[0]), "a patch release"


def test_the_image_uv_is_the_one_this_repo_locks_and_builds_the_package():
    version = DECLARED["__uv_version"]
    ours = subprocess.run([find_uv_bin(), "--version"], capture_output=True, text=True)
    assert ours.stdout.split()[1] == version, "bump __uv_version with the uv of uv.lock"
    pyproject = (PROJECT / "pyproject.toml").read_text()
    backend = re.search(r'"uv_build([^"]+)"', pyproject)
    assert backend and version in SpecifierSet(backend.group(1)), backend


def test_the_build_installs_exactly_the_lock(deployed):
    build = deployed.stage("build")
    copies = build.all("COPY")
    assert copies[1].words() == ["pyproject.toml", "uv.lock", "README.md", "LICENSE", "./"]
    runs = [r.arguments for r in build.all("RUN")]
    assert runs == [
        "uv sync --locked --no-dev --no-install-project",
        "uv sync --locked --no-dev --no-editable",
    ]
    assert not [c for c in copies if any(ch in c.arguments for ch in "*?[")], "no globs"
    # A bake has no uv.lock until its first `uv sync`: the build must stop at that COPY.
    assert not (deployed.project / "uv.lock").exists()
    with tempfile.TemporaryDirectory() as folder:
        uv = dockerfile.Image(Path(folder, "uv-image"))
        uv.host("/uv").parent.mkdir()
        uv.host("/uv").touch()
        image = dockerfile.Image(Path(folder, "image"))
        with pytest.raises(FileNotFoundError, match=r"COPY uv\.lock"):
            dockerfile.replay(build, image, deployed.project, {"uv": uv})


def test_the_runtime_keeps_only_the_venv_and_what_the_app_serves(deployed):
    sources = [
        source
        for copy in deployed.runtime.all("COPY")
        for source in copy.words()[:-1]
        if copy.flag("from") == "build"
    ]
    served = [
        "/app/streamlit_app.py",
        "/app/app.py",
        "/app/app_pages",
        "/app/imports",  # the data files that data/imports.py loads
        "/app/.streamlit/config.toml",
    ]
    if deployed.server != "asgi":
        served.remove("/app/app.py")
    assert sorted(sources) == sorted(["/app/.venv", *served])
    assert all(copy.flag("from") == "build" for copy in deployed.runtime.all("COPY"))
    assert deployed.runtime.last("USER").arguments == f"{APP_UID}:{APP_UID}"
    (setup,) = deployed.runtime.all("RUN")
    assert f"--uid {APP_UID}" in setup.arguments and "--owner=app" in setup.arguments
    assert setup.arguments.endswith("/app/data"), "data/ exists, writable by the app's user"


def test_the_command_is_the_production_serve_command_for_a_proxy(deployed):
    serve = next(
        line.split("#")[0].split()
        for line in (deployed.project / "README.md").read_text().splitlines()
        if line.endswith("# serve on http://127.0.0.1:8501")
    )
    command = deployed.command()
    assert command[: len(serve) - 2] == [w.replace("127.0.0.1", "0.0.0.0") for w in serve[2:]]
    if deployed.server == "asgi":
        assert command[len(serve) - 2 :] == [
            "--proxy-headers", "--forwarded-allow-ips=*", "--timeout-graceful-shutdown", "25",
        ]  # fmt: skip
    healthcheck = deployed.runtime.last("HEALTHCHECK")
    _, readiness = PROBES[deployed.server]
    assert f"http://127.0.0.1:8501{readiness}'" in healthcheck.arguments


def test_dockerignore_keeps_secrets_and_local_state_out(deployed):
    ignore = dockerfile.DockerIgnore((deployed.project / ".dockerignore").read_text())
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
        "tools/settle.js",
        "src/pkg/__pycache__/config.cpython-312.pyc",
        ".mypy_cache/3.12/cache.db",
    ]
    assert [path for path in kept_out if not ignore.excludes(path)] == []
    context = set(dockerfile.context_files(deployed.project))
    project = deployed.project
    package = {p.relative_to(project).as_posix() for p in (project / "src").rglob("*.py")}
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
