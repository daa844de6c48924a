"""The names a bake must not take, derived from the truth: the template's lock and environment.

``hooks/pre_gen_project.py`` refuses a ``package_name`` that is the import name of anything in
the dependency closure of any option, and a ``project_slug`` that is such a distribution's
name. Its two lists are data; this test derives them again, from the dependencies that
``{{cookiecutter.project_slug}}/pyproject.toml`` can declare (every Jinja branch at once, and
every database's ``requires`` in cookiecutter.json), closed over ``uv.lock``'s edges, each
distribution's top-level names read from this environment (``uv sync --frozen`` installed the
same lock). It fails when a list goes stale and prints the one to paste.
"""

import importlib.metadata
import re
import tomllib

import pytest

from tests.support.hooks import render_hook
from tests.support.template import DATABASES, TEMPLATE

PROJECT_PYPROJECT = TEMPLATE / "{{cookiecutter.project_slug}}" / "pyproject.toml"
REQUIREMENT = re.compile(r'^\s*"([A-Za-z0-9][A-Za-z0-9._-]*)([^"]*)",?\s*(#.*)?$')
"""One requirement line of a pyproject.toml list: the name, then its extras and versions; a
comment may follow."""


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them: lowercase, runs of ``-_.`` one dash."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_requirements() -> dict[str, set[str]]:
    """Distribution -> extras, for every requirement line of the project template's
    ``dependencies`` and dependency groups, whatever Jinja branch it sits in, and every
    database's ``requires`` in cookiecutter.json (the pyproject loops over the chosen one's)."""
    lines = [f'"{r}"' for row in DATABASES.values() for r in row["requires"]]
    inside = False
    for line in PROJECT_PYPROJECT.read_text(encoding="utf-8").splitlines():
        if re.match(r"^(dependencies|dev|browser) = \[", line):
            inside = True
        elif inside and line.startswith("]"):
            inside = False
        elif inside:
            lines.append(line)
    found: dict[str, set[str]] = {}
    for line in lines:
        if match := REQUIREMENT.match(line):
            extras = found.setdefault(normalized(match[1]), set())
            extras.update(re.findall(r"\[(\w+)\]", match[2]))
    return found


def closure(roots: dict[str, set[str]]) -> set[str]:
    """Every distribution that ``roots`` (distribution -> extras) pull in, by the edges of the
    template's ``uv.lock`` (each edge taken, whatever its marker)."""
    lock = tomllib.loads((TEMPLATE / "uv.lock").read_text(encoding="utf-8"))
    packages = {normalized(package["name"]): package for package in lock["package"]}
    missing = sorted(set(roots) - set(packages))
    assert not missing, f"add {missing} to the template's dev dependencies, so uv.lock holds them"
    seen: set[str] = set()
    todo = [(name, extras) for name, extras in roots.items()]
    while todo:
        name, extras = todo.pop()
        package = packages[name]
        edges = list(package.get("dependencies", []))
        for extra in extras:
            edges += package.get("optional-dependencies", {}).get(extra, [])
        if name in seen and not extras:
            continue
        seen.add(name)
        todo += [(normalized(edge["name"]), set(edge.get("extra", []))) for edge in edges]
    return seen


def import_names(distribution: str) -> set[str]:
    """The top-level names that ``distribution`` installs, read from its record in this
    environment; its name with underscores when it is not installed here (another platform)."""
    try:
        files = importlib.metadata.distribution(distribution).files or []
    except importlib.metadata.PackageNotFoundError:
        return {distribution.replace("-", "_")}
    names = set()
    for file in files:
        top = file.parts[0]
        if top.endswith((".dist-info", ".data", ".pth")) or top in ("..", "__pycache__"):
            continue
        name = top.split(".")[0] if len(file.parts) == 1 else top
        if name.isidentifier():
            names.add(name)
    return names


def derived() -> tuple[set[str], set[str]]:
    """The dependency closure's import names and distribution names."""
    distributions = closure(declared_requirements())
    imports = set().union(*(import_names(name) for name in distributions))
    return imports, distributions


def block(names: set[str]) -> str:
    """``names`` as the hook writes them: sorted, space-separated, wrapped at 96 columns."""
    lines, line = [], ""
    for name in sorted(names):
        if line and len(line) + 1 + len(name) > 96:
            lines.append(line)
            line = name
        else:
            line = f"{line} {name}".strip()
    return "\n".join([*lines, line])


def test_the_hooks_lists_of_taken_names_are_the_lock_s(tmp_path):
    pre_gen = render_hook("pre_gen_project", tmp_path)
    imports, distributions = derived()
    assert imports == pre_gen.DEPENDENCY_IMPORT_NAMES, (
        "hooks/pre_gen_project.py's DEPENDENCY_IMPORT_NAMES is stale; paste:\n" + block(imports)
    )
    assert distributions == pre_gen.DEPENDENCY_DISTRIBUTIONS, (
        "hooks/pre_gen_project.py's DEPENDENCY_DISTRIBUTIONS is stale; paste:\n"
        + block(distributions)
    )


def test_the_derivation_finds_what_the_issue_found():
    imports, distributions = derived()
    # streamlit's own dependency, typing's backport, and one every tool needs
    assert {"click", "typing_extensions", "packaging", "streamlit", "sklearn"} <= imports
    assert {"streamlit", "scikit-learn", "psycopg-binary", "authlib", "pre-commit"} <= distributions
    assert "cookiecutter" not in distributions  # the template's tools are not the bake's


@pytest.mark.parametrize("name", ["click", "typing_extensions", "packaging", "yaml", "sklearn"])
def test_a_dependency_s_import_name_is_refused(tmp_path, name):
    pre_gen = render_hook("pre_gen_project", tmp_path)
    assert pre_gen.problems({**pre_gen.CONTEXT, "package_name": name}) == [
        f"package_name {name!r}: must not shadow {name!r}, which the project's dependencies import"
    ]


@pytest.mark.parametrize("slug", ["streamlit", "scikit-learn", "typing-extensions"])
def test_a_dependency_s_distribution_name_is_refused_as_the_slug(tmp_path, slug):
    pre_gen = render_hook("pre_gen_project", tmp_path)
    found = pre_gen.problems({**pre_gen.CONTEXT, "project_slug": slug})
    assert found == [
        f"project_slug {slug!r}: must not be the name of {slug!r}, a dependency of the"
        " project (uv would find that the project depends on itself)"
    ]
