"""Sign-in decides which pages exist: signed out, only the sign-in page; signed in, the app's
pages only while the cookie's key is safe and only for an account the allow-list lets in.

The rules of ``auth.py`` alone first, then the entrypoint through AppTest, with the secrets
each test sets (``AppTest.secrets``; the others read ``conftest.TEST_SECRETS``).
"""

import secrets
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

{% if cookiecutter.sample_data == "nycflights13" -%}
from {{ cookiecutter.package_name }} import config
{% endif -%}
from {{ cookiecutter.package_name }}.auth import (
    AccessPolicy,
    SignInNotConfigured,
    access_policy,
    check_cookie_secret,
)

from .conftest import ENTRYPOINT, SIGNED_IN

PROJECT = Path(__file__).parents[1]
FIRST_PAGE = "app_pages/{{ 'overview' if cookiecutter.sample_data == 'nycflights13' else 'home' }}.py"
KEY = secrets.token_urlsafe(32)
EMAIL = str(SIGNED_IN["email"])
VERIFIED = {"email_verified": True}
"""The claim by which a provider vouches for the email it sends (Google's, Okta's, ...)."""


def settings(cookie_secret: object = KEY, **access: object) -> dict[str, Any]:
    """Secrets shaped like ``.streamlit/secrets.toml``: ``[auth]`` with ``cookie_secret``,
    and ``[access]`` with the lists and switches given."""
    auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": cookie_secret}
    return {"auth": auth, "access": access}


def example() -> dict[str, Any]:
    """The secrets of ``.streamlit/secrets.toml.example``, copied as they are."""
    return tomllib.loads((PROJECT / ".streamlit" / "secrets.toml.example").read_text())


def visit(user: dict[str, Any], app_secrets: dict[str, Any]) -> AppTest:
    """The app's first run for ``user`` (``st.user``) with ``app_secrets`` (``st.secrets``)."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.user = user
    at.secrets = app_secrets
    return at.run()


def offers(at: AppTest, page: str) -> bool:
    """Whether the navigation of ``at``'s last run lists ``page``."""
    try:
        at.switch_page(page)
    except ValueError:  # "Could not find a navigation page"
        return False
    return True


# --- The cookie's key ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "missing"),
        (12345678901234567890123456789012345, "must be a string"),
        ("", "placeholder"),
        ("   ", "placeholder"),
        ("change-me: a long random string, e.g. python -c 'import secrets; "
         "print(secrets.token_urlsafe(32))'", "placeholder"),  # the example before this check
        ("a-strong-randomly-generated-secret", "placeholder"),  # Streamlit's docs
        ("CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME", "placeholder"),
        ("x" * 31, "has 31 characters"),
    ],
)  # fmt: skip
def test_an_unfit_cookie_secret_is_refused_with_the_fix(secret, problem):
    with pytest.raises(SignInNotConfigured, match=problem) as refused:
        check_cookie_secret(secret)
    assert "token_urlsafe(32)" in str(refused.value)


def test_a_fresh_random_key_is_fit():
    check_cookie_secret(secrets.token_urlsafe(32))


def test_the_example_s_key_is_refused():
    with pytest.raises(SignInNotConfigured, match="placeholder"):
        access_policy(example())


class NoSecretsFile(Mapping[str, Any]):
    """``st.secrets`` without a secrets file: every read raises FileNotFoundError."""

    def __getitem__(self, key: str) -> Any:
        raise FileNotFoundError("No secrets found")

    def __iter__(self) -> Iterator[str]:
        raise FileNotFoundError("No secrets found")

    def __len__(self) -> int:
        raise FileNotFoundError("No secrets found")


@pytest.mark.parametrize("app_secrets", [NoSecretsFile(), {}, {"auth": "on"}])
def test_sign_in_without_an_auth_section_is_refused(app_secrets):
    with pytest.raises(SignInNotConfigured, match=r"no `\[auth\]` section"):
        access_policy(app_secrets)


@pytest.mark.parametrize(
    ("access", "problem"),
    [
        ({"allowed_emails": "ada@example.com"}, "must be a list of strings"),
        ({"allowed_emails": [1]}, "must be a list of strings"),
        ({"allowed_emails": ["ada"]}, "'ada' is no name@domain"),
        ({"admin_emails": ["@example.com"]}, "is no name@domain"),
        ({"allowed_domains": ["@example.com"]}, "is no domain"),
        ({"allowed_domains": [""]}, "is no domain"),
    ],
)
def test_a_malformed_allow_list_is_refused(access, problem):
    with pytest.raises(SignInNotConfigured, match=problem):
        access_policy(settings(**access))


# --- The allow-list ----------------------------------------------------------------------------

POLICY = AccessPolicy.from_section(
    {
        "allowed_emails": ["Ada@Example.com "],
        "allowed_domains": ["Analytical.Engine"],
        "admin_emails": ["grace@navy.example"],
    }
)


@pytest.mark.parametrize(
    "email",
    ["ada@example.com", "ADA@EXAMPLE.COM", "charles@analytical.engine", "grace@navy.example"],
)
def test_listed_accounts_are_let_in_in_any_letter_case(email):
    assert POLICY.refusal({"is_logged_in": True, "email": email, "email_verified": True}) is None


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ({**VERIFIED, "email": "ceo@victim.example"}, "ceo@victim.example isn't on this app's"),
        ({**VERIFIED, "email": "ada@example.com.evil.example"}, "isn't on this app's list"),
        ({**VERIFIED, "email": "eve@sub.analytical.engine"}, "isn't on this app's list"),
        ({"email": "ada@example.com", "email_verified": False}, "hasn't verified"),
        ({"email": "ada@example.com", "email_verified": "false"}, "hasn't verified"),
        ({"email": "ada@example.com"}, "didn't say that ada@example.com is verified"),
        ({"name": "Ada Lovelace"}, "didn't share an email address"),
        ({"email": ""}, "didn't share an email address"),
    ],
)
def test_other_accounts_are_refused_with_a_reason(user, reason):
    assert reason in (POLICY.refusal({"is_logged_in": True, **user}) or "")


def test_a_verified_email_is_let_in():
    assert POLICY.refusal({"email": "ada@example.com", "email_verified": True}) is None


def test_empty_lists_let_no_one_in_and_say_so():
    empty = access_policy(settings(allowed_emails=[], allowed_domains=[]))
    assert empty == access_policy({"auth": {"cookie_secret": KEY}}) == AccessPolicy()
    assert "No one is let in yet" in (empty.refusal(SIGNED_IN) or "")


def test_an_email_without_the_verified_claim_counts_only_when_the_operator_trusts_it():
    entra = {"email": "ada@example.com"}  # Entra ID sends no email_verified
    trusting = access_policy(settings(allowed_emails=[EMAIL], trust_unverified_email=True))
    assert POLICY.refusal(entra) is not None and trusting.refusal(entra) is None
    assert trusting.refusal({**entra, "email_verified": False}) is not None  # never when false
    with pytest.raises(SignInNotConfigured, match="trust_unverified_email` must be true or false"):
        access_policy(settings(allowed_emails=[EMAIL], trust_unverified_email="yes"))


def test_only_listed_admins_are_admins():
    assert POLICY.is_admin({**VERIFIED, "email": "Grace@Navy.Example"})
    assert not POLICY.is_admin({**VERIFIED, "email": "ada@example.com"})  # let in, no admin
    assert not POLICY.is_admin({"email": "grace@navy.example", "email_verified": False})


# --- The entrypoint ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "app_secrets",
    [
        {**example(), "access": {"allowed_emails": [EMAIL]}},  # copied, not filled
        settings(cookie_secret="too-short", allowed_emails=[EMAIL]),
    ],
    ids=["example", "short"],
)
def test_with_an_unfit_key_even_a_listed_account_gets_no_page(app_secrets):
    at = visit(SIGNED_IN, app_secrets)
    assert not at.exception
    assert "cookie_secret" in at.error[0].value
    assert not at.sidebar.caption and not at.button
    at.switch_page(FIRST_PAGE).run()  # asked for by name: the entrypoint stops before it
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign-in isn't set up safely"]


def test_a_signed_out_visitor_sees_only_the_sign_in_page():
    at = visit({"is_logged_in": False}, settings(allowed_emails=[EMAIL]))
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not offers(at, FIRST_PAGE)  # there, but not offered to a signed-out visitor


def test_a_listed_account_gets_the_app_and_a_sign_out_button():
    at = visit(SIGNED_IN, settings(allowed_emails=[EMAIL]))
    assert not at.exception
    assert at.sidebar.caption[0].value == "Signed in as ada@example.com"
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    assert offers(at, FIRST_PAGE)  # and every other page (test_pages.py visits them)


@pytest.mark.parametrize(
    ("user", "domains", "reason"),
    [
        ({**VERIFIED, "email": "ceo@victim.example"}, ["example.com"], "isn't on"),
        ({"email": "ada@example.com", "email_verified": False}, ["example.com"], "hasn't verified"),
        (SIGNED_IN, [], "No one is let in yet"),
    ],
)
def test_an_account_outside_the_list_sees_why_and_no_app_page(user, domains, reason):
    at = visit({**user, "is_logged_in": True}, settings(allowed_domains=domains))
    assert not at.exception
    assert [t.value for t in at.title] == ["This account isn't let in"]
    assert reason in at.markdown[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.sidebar.caption
    assert not offers(at, FIRST_PAGE)


def test_signing_out_leaves_only_the_sign_in_page():
    for emails in ([EMAIL], []):  # let in, and refused
        at = visit(SIGNED_IN, settings(allowed_emails=emails))
        next(b for b in [*at.button, *at.sidebar.button] if b.label == "Sign out").click().run()
        assert not at.exception
        assert [b.label for b in at.button] == ["Sign in"]
{%- if cookiecutter.sample_data == "nycflights13" %}


@pytest.mark.parametrize(
    ("email", "shown"), [("grace@navy.example", True), ("ada@example.com", False)]
)
def test_only_an_admin_may_clear_the_caches(email, shown, monkeypatch):
    monkeypatch.setattr(config, "DEV_TOOLS", False)
    access = {"allowed_emails": ["ada@example.com"], "admin_emails": ["grace@navy.example"]}
    at = visit({"is_logged_in": True, "email": email, **VERIFIED}, settings(**access))
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    assert ("Clear data cache" in [b.label for b in at.button]) is shown
{%- endif %}
