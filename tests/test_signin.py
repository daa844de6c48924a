"""A served sign-in bake against forged identity cookies: the attack of issue 10, replayed.

Streamlit keeps the signed-in identity in the ``_streamlit_user`` cookie, which it signs as
``_set_single_cookie`` in ``streamlit/web/server/starlette/starlette_auth_routes.py`` does:
``create_signed_value`` (``starlette_app_utils.py``) dumps the claims' JSON with itsdangerous's
``URLSafeTimedSerializer``, keyed by ``[auth] cookie_secret`` and salted with the cookie's
name. ``forged_cookie`` makes one the same way, so whoever knows the key can claim any account,
with no provider involved. The websocket reads it (``starlette_websocket.py``) and hands its
claims to ``st.user``.

A ``auth=oidc`` bake is served on loopback from this environment, as ``test_replicas.py``
serves its replicas (the package on ``PYTHONPATH``; this environment holds the bake's
dependencies, ``streamlit[auth]`` included), by its production command (uvicorn) and by
``streamlit run``: the check lives in the entrypoint, which both servers run. A browser tab is
played by ``support/session.py``'s ``Session``, which sends the forged cookie with its requests and
its websocket. Every wait is bounded: the server's start (``serving``), each HTTP request and
each run (``Session``), and each test as a whole (``BOUND``).
"""

import asyncio
import contextlib
import json
import os
import secrets
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.support.bakes import import_file, project_client
from tests.support.browser import Visits
from tests.support.served import page_paths
from tests.support.session import Session

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("signin")]  # one sign-in bake

ANSWERS = {"auth": "oidc", "sample_data": "none", "database": "parquet"}
"""A sign-in bake whose page (Home: notes) is quick to serve: the data plays no part here."""

USER_COOKIE = "_streamlit_user"
VICTIM = "ceo@victim.example"
OLD_EXAMPLE_KEY = (
    "change-me: a long random string, e.g. python -c 'import secrets; "
    "print(secrets.token_urlsafe(32))'"
)
"""The key the secrets example shipped before this check: 97 characters, known to anyone."""
BOUND = 180
"""Seconds a test's sessions may take in all."""


def forged_cookie(key: str, origin: str, email: str) -> str:
    """A ``_streamlit_user`` cookie that claims ``email`` for the app at ``origin``, signed
    with ``key`` as Streamlit signs its own (see the module's docstring)."""
    claims = {
        "email": email,
        "email_verified": True,
        "name": "Forged",
        "origin": origin,  # the websocket checks it against the tab's Origin header
        "is_logged_in": True,
        "provider": "default",
    }
    return URLSafeTimedSerializer(key, salt=USER_COOKIE).dumps(json.dumps(claims))


class Served(NamedTuple):
    """A server of the bake: its URL and which command serves it."""

    url: str
    kind: str


class SignInBake:
    """The sign-in bake, served on demand with the secrets given."""

    def __init__(self, project: Path, home: Path, logs: Path):
        self.project, self.logs = project, logs
        self.bench: ModuleType = project_client(project)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        self.env |= {
            "PYTHONPATH": str(project / "src"),  # as installed
            "HOME": str(home),  # no user config or secrets
            f"{project.name.replace('-', '_').upper()}_DATA_DIR": str(logs),
        }

    def example(self) -> str:
        """The project's ``.streamlit/secrets.toml.example``."""
        return (self.project / ".streamlit" / "secrets.toml.example").read_text()

    @contextlib.contextmanager
    def serving(self, kind: str, secrets_toml: str) -> Iterator[Served]:
        """Serve the bake by ``kind`` ("asgi": its production command; "streamlit":
        ``streamlit run``) with ``secrets_toml`` as its ``.streamlit/secrets.toml``."""
        secrets_file = self.project / ".streamlit" / "secrets.toml"
        assert not secrets_file.exists(), "one server of the bake at a time: they share it"
        secrets_file.write_text(secrets_toml)
        port = self.bench.free_port()
        if kind == "asgi":
            command = self.bench.production_command(port)
        else:
            command = [
                sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
            ]  # fmt: skip
        log = self.logs / f"{kind}-{port}.log"
        try:
            with self.bench.serving(command, self.project, port, self.env, log) as server:
                yield Served(server.url, kind)
        finally:
            secrets_file.unlink()


@pytest.fixture(scope="module")
def signin(bake, tmp_path_factory) -> SignInBake:
    home, logs = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("signin")
    return SignInBake(bake(**ANSWERS), home, logs)


def with_key(secrets_toml: str, key: str) -> str:
    """``secrets_toml`` (the example's text) with ``key`` as its cookie secret."""
    assert 'cookie_secret = ""' in secrets_toml
    return secrets_toml.replace('cookie_secret = ""', f"cookie_secret = {json.dumps(key)}")


def with_allowed(secrets_toml: str, email: str) -> str:
    """``secrets_toml`` (the example's text) with ``email`` as its only allowed account."""
    assert "allowed_emails = []" in secrets_toml
    return secrets_toml.replace("allowed_emails = []", f"allowed_emails = [{json.dumps(email)}]")


async def visit(url: str, cookie: str) -> Session:
    """A tab on ``url`` that carries ``cookie`` as its identity, closed after its first run:
    what it showed stays readable."""
    session = await Session.open(url, "/", cookies={USER_COOKIE: cookie}, timeout=60)
    await session.close()
    return session


def run(coroutine_function, *args):
    """Run ``coroutine_function(*args)``, bounded by ``BOUND`` seconds."""

    async def bounded():
        async with asyncio.timeout(BOUND):
            return await coroutine_function(*args)

    return asyncio.run(bounded())


def signed_in(session: Session) -> bool:
    """Whether the tab shows the app's signed-in sidebar."""
    return any(text.startswith("Signed in as") for text in session.texts)


# --- An unfit key: no page for anyone, forged cookie or not ------------------------------------


@pytest.mark.parametrize("kind", ["asgi", "streamlit"])
@pytest.mark.parametrize("key", ["example", "old example"])
def test_a_forged_cookie_gets_no_page_while_the_key_is_a_published_one(signin, kind, key):
    # The example, copied as an operator in a hurry would: only the allow-list filled in, so
    # the key alone stands between the forger and the app.
    secrets_toml = with_allowed(signin.example(), VICTIM)
    published = tomllib.loads(secrets_toml)["auth"]["cookie_secret"]
    if key == "old example":
        published = OLD_EXAMPLE_KEY
        secrets_toml = with_key(secrets_toml, published)
    assert tomllib.loads(secrets_toml)["auth"]["cookie_secret"] == published
    with signin.serving(kind, secrets_toml) as server:
        session = run(visit, server.url, forged_cookie(published, server.url, VICTIM))
    assert session.errors == []
    assert "Sign-in isn't set up safely" in session.texts
    assert not signed_in(session)
    assert set(session.pages) <= {""}, session.pages  # no navigation: the entrypoint stopped


# --- A fresh key and an allow-list -------------------------------------------------------------


@pytest.fixture(scope="module", params=["asgi", "streamlit"])
def guarded(request, signin) -> Iterator[tuple[Served, str]]:
    """The bake served with a fresh random key and one allowed account; and the key."""
    key = secrets.token_urlsafe(32)
    secrets_toml = with_key(with_allowed(signin.example(), "ada@example.com"), key)
    with signin.serving(request.param, secrets_toml) as server:
        yield server, key


def test_a_cookie_signed_with_another_key_is_not_a_sign_in(guarded):
    server, _ = guarded
    wrong = secrets.token_urlsafe(32)
    session = run(visit, server.url, forged_cookie(wrong, server.url, "ada@example.com"))
    assert session.errors == []
    assert not signed_in(session)
    assert any("Sign in with your organisation's account" in text for text in session.texts)
    assert len(session.pages) == 1  # the sign-in page, alone


def test_an_account_outside_the_allow_list_sees_only_that_it_is_not_let_in(guarded):
    server, key = guarded
    session = run(visit, server.url, forged_cookie(key, server.url, VICTIM))
    assert session.errors == []
    assert not signed_in(session)
    assert "This account isn't let in" in session.texts
    assert any(f"{VICTIM} isn't on this app's list" in text for text in session.texts)
    assert len(session.pages) == 1  # the page that says so, alone


def test_a_listed_account_signed_with_the_key_gets_the_app(guarded):
    # The control: the forger's cookie is Streamlit's own format, so with the key it works.
    server, key = guarded
    session = run(visit, server.url, forged_cookie(key, server.url, "ada@example.com"))
    assert session.errors == []
    assert "Signed in as ada@example.com" in session.texts
    assert not any("Sign in with" in text for text in session.texts)  # the app's page


def test_the_served_app_sends_security_headers_and_hides_metrics_from_a_proxy(signin, guarded):
    server, _ = guarded
    metrics = f"{server.url}/_stcore/metrics"
    proxied = httpx.get(metrics, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
    if server.kind == "streamlit":
        # No middleware, and no option to stop them: why a proxy in front must hide them.
        assert proxied.status_code == 200
        return
    assert proxied.status_code == 404
    assert httpx.get(metrics, timeout=10).status_code == 200  # a scrape from inside
    page = httpx.get(server.url, timeout=10)
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    package = signin.project.name.replace("-", "_")
    security = import_file(signin.project / "src" / package / "security.py", "signin_security")
    assert page.headers["content-security-policy"] == security.CONTENT_SECURITY_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in page.headers  # plain HTTP
    # A TLS proxy on loopback, which uvicorn trusts by default: the request was HTTPS.
    https = httpx.get(server.url, headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert https.headers["strict-transport-security"].startswith("max-age=")


# --- Every page, signed in, under the content security policy ------------------------------


@pytest.fixture(scope="module")
def model_signin(bake, tmp_path_factory) -> SignInBake:
    """A sign-in bake with the demo's pages and the delay model: every kind of page there is."""
    home, logs = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("model-signin")
    return SignInBake(bake(auth="oidc", ml_model=True), home, logs)


def test_every_page_signed_in_runs_under_the_content_security_policy(
    model_signin, playwright, browser
):
    # Chromium logs each thing the policy refuses (a script, a style, a font, a connection)
    # as a console error: a page that needs what the policy forbids shows here.
    key = secrets.token_urlsafe(32)
    secrets_toml = with_key(with_allowed(model_signin.example(), "ada@example.com"), key)
    with model_signin.serving("asgi", secrets_toml) as server:
        cookie = forged_cookie(key, server.url, "ada@example.com")
        visits = Visits(playwright, browser, server.url, cookies={USER_COOKIE: cookie})
        try:
            for title, path in page_paths(model_signin.project).items():
                page = visits(path)
                assert page.get_by_test_id("stException").count() == 0, title
                assert page.get_by_text("Signed in as ada@example.com").count() == 1, title
        finally:
            for context in visits.contexts:
                context.close()
    assert "Predict" in page_paths(model_signin.project)
    logged = [m for m in visits.console if "Failed to load resource" not in m]
    assert not logged, logged  # probes of a page's own path are 404s: see test_browser.py
