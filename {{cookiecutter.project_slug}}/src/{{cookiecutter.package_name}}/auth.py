"""Who may use the app: the key that signs the sign-in cookie, and the allow-list.

``st.login`` writes the visitor's identity into a cookie signed with ``[auth] cookie_secret``.
Whoever knows that key can write the cookie for any account, so a missing, short or published
key makes every sign-in worthless: the app then serves no page at all. The provider proves who
a visitor is, not that they belong here; the ``[access]`` section of the secrets says who does::

    [access]
    allowed_emails = ["ada@example.com"]  # these accounts, in any letter case
    allowed_domains = ["example.com"]  # every account @example.com (not its subdomains)
    admin_emails = ["grace@example.com"]  # let in too, and may clear the caches (About)

No list, or empty lists, let nobody in: the page a refused visitor sees says so. Both checks
read what ``st.secrets`` and ``st.user`` hold, passed in: nothing here imports Streamlit, so each
rule is tested alone.
"""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

MIN_SECRET_LENGTH = 32
"""Characters of ``[auth] cookie_secret``, at least; ``secrets.token_urlsafe(32)`` makes 43."""

PUBLISHED_SECRETS = frozenset(
    {
        # this template's secrets.toml.example before it shipped an empty key
        "change-me: a long random string, e.g. python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'",
        # Streamlit's own docs
        "a-strong-randomly-generated-secret",
    }
)
"""Keys printed in examples: long enough for the length rule, and known to everyone."""

GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
"""A command that prints a fresh key."""


class SignInNotConfigured(ValueError):
    """The secrets can't make sign-in safe; the message names the setting and the fix."""


def check_cookie_secret(secret: object) -> None:
    """Raise unless ``secret``, the ``[auth] cookie_secret`` value, is fit to sign cookies:
    a string of at least ``MIN_SECRET_LENGTH`` characters that no example publishes (and that
    holds no ``change-me``).

    Raises:
        SignInNotConfigured: missing, not a string, a placeholder, or too short.
    """
    fix = f"Set it to a fresh random key (`{GENERATE}`) and restart the server."
    if secret is None:
        raise SignInNotConfigured(f"`[auth] cookie_secret` is missing. {fix}")
    if not isinstance(secret, str):
        raise SignInNotConfigured(f"`[auth] cookie_secret` must be a string. {fix}")
    if not secret.strip() or secret in PUBLISHED_SECRETS or "change-me" in secret.lower():
        raise SignInNotConfigured(
            f"`[auth] cookie_secret` is the example's placeholder: anyone could sign in as "
            f"anyone. {fix}"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise SignInNotConfigured(
            f"`[auth] cookie_secret` has {len(secret)} characters; it needs at least "
            f"{MIN_SECRET_LENGTH}. {fix}"
        )


def _is_address(entry: str) -> bool:
    """Whether ``entry`` has the form ``name@domain``."""
    name, _, domain = entry.partition("@")
    return bool(name) and bool(domain) and "@" not in domain


def _entries(section: Mapping[str, object], key: str, domains: bool) -> frozenset[str]:
    """``section[key]``: a list of addresses (or, with ``domains``, of domains), stripped and
    lowercased; empty when absent.

    Raises:
        SignInNotConfigured: not a list of strings, or an entry of the wrong form.
    """
    values = section.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SignInNotConfigured(f'`[access] {key}` must be a list of strings, like ["..."].')
    entries = frozenset(v.strip().lower() for v in values)
    for entry in sorted(entries):
        if domains and (not entry or "@" in entry):
            raise SignInNotConfigured(f"`[access] {key}`: {entry!r} is no domain (drop the @).")
        if not domains and not _is_address(entry):
            raise SignInNotConfigured(f"`[access] {key}`: {entry!r} is no name@domain address.")
    return entries


@dataclass(frozen=True)
class AccessPolicy:
    """Who may use the app, from the ``[access]`` section of the secrets (lowercased)."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    trust_unverified_email: bool = False
    """Whether an ``email`` claim counts without ``email_verified``: for a provider that never
    sends it (Microsoft Entra ID), and only where the directory alone sets its users' emails."""

    @classmethod
    def from_section(cls, section: Mapping[str, object]) -> "AccessPolicy":
        """The policy that ``section``, the ``[access]`` table, describes.

        Raises:
            SignInNotConfigured: a list that isn't a list of strings, or an entry of the
                wrong form (an address in ``allowed_domains``, a domain in an email list).
        """
        trust = section.get("trust_unverified_email", False)
        if not isinstance(trust, bool):
            raise SignInNotConfigured("`[access] trust_unverified_email` must be true or false.")
        return cls(
            emails=_entries(section, "allowed_emails", domains=False),
            domains=_entries(section, "allowed_domains", domains=True),
            admins=_entries(section, "admin_emails", domains=False),
            trust_unverified_email=trust,
        )

    def refusal(self, user: Mapping[str, object]) -> str | None:
        """Why the signed-in ``user`` (``st.user``: the provider's claims) may not use the
        app, as a sentence for them to read; None when they may.

        Only the ``email`` claim counts, in any letter case, and only once the provider says
        it is verified (``email_verified`` true, or "true" as some send it): an email a user
        may set themselves proves nothing. Without the claim it counts only under
        ``trust_unverified_email``; ``email_verified`` false never does.
        """
        email = user.get("email")
        if not isinstance(email, str) or "@" not in email:
            return "Your provider didn't share an email address, so this app can't let you in."
        verified = str(user.get("email_verified", "")).lower()
        if verified == "false":
            return f"Your provider hasn't verified {email}, so this app can't let you in."
        if verified != "true" and not self.trust_unverified_email:
            return f"Your provider didn't say that {email} is verified: this app can't let you in."
        if not (self.emails or self.domains or self.admins):
            return (
                "No one is let in yet: the operator lists who may come in under `[access]` in "
                "the app's `.streamlit/secrets.toml`."
            )
        address = email.strip().lower()
        if address in self.emails or address in self.admins:
            return None
        if address.rpartition("@")[2] in self.domains:
            return None
        return f"{email} isn't on this app's list of accounts."

    def is_admin(self, user: Mapping[str, object]) -> bool:
        """Whether the signed-in ``user`` is let in and listed in ``admin_emails``."""
        email = user.get("email")
        return (
            self.refusal(user) is None
            and isinstance(email, str)
            and email.strip().lower() in self.admins
        )


def access_policy(secrets: Mapping[str, object]) -> AccessPolicy:
    """The app's ``AccessPolicy``, once the key that signs the sign-in cookie is checked.

    ``secrets`` is ``st.secrets`` (or a dict shaped like it, in tests): its ``[auth]`` and
    ``[access]`` sections. With no secrets file at all, ``st.secrets`` raises
    ``FileNotFoundError``, read here as no sections.

    Raises:
        SignInNotConfigured: no ``[auth]`` section, an unfit ``cookie_secret`` (see
            ``check_cookie_secret``), or a malformed ``[access]`` section.
    """
    try:
        auth, access = secrets.get("auth"), secrets.get("access", {})
    except FileNotFoundError:  # st.secrets, when there is no secrets file
        auth, access = None, {}
    if not isinstance(auth, Mapping):
        raise SignInNotConfigured(
            "Sign-in has no `[auth]` section in `.streamlit/secrets.toml`: copy "
            "`.streamlit/secrets.toml.example` there and fill it in."
        )
    check_cookie_secret(auth.get("cookie_secret"))
    if not isinstance(access, Mapping):
        raise SignInNotConfigured("`access` in the secrets must be a table: `[access]`.")
    return AccessPolicy.from_section(access)


def user_tag(user: Mapping[str, object], secrets: Mapping[str, object]) -> str | None:
    """The signed-in ``user``'s tag in the logs (``runs.py``): 16 hex digits of the HMAC-SHA256
    of their lowercased email, under a key derived from ``[auth] cookie_secret`` in
    ``secrets``. The same for
    one person across sessions and replicas, and no way back to the email without the key.
    None when signed out, or without an email or a key.
    """
    email = user.get("email") if user.get("is_logged_in") else None
    try:
        auth = secrets.get("auth")
    except FileNotFoundError:  # st.secrets, when there is no secrets file
        auth = None
    key = auth.get("cookie_secret") if isinstance(auth, Mapping) else None
    if not isinstance(email, str) or not isinstance(key, str):
        return None
    # A key of its own, derived from the cookie's: the tags never use the signing key itself.
    tag_key = hmac.new(key.encode(), b"log user tag", hashlib.sha256).digest()
    digest = hmac.new(tag_key, email.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
