"""Odd answers (issue 11): each is refused with one line naming it and nothing on disk, or
bakes into files that parse, lint and import, and that read the answer back exactly.

Most bakes run in this process (``cookiecutter.main.cookiecutter``: a refusal raises
``FailedHookException`` and the hook's messages land on file descriptor 2, which ``capfd``
reads); the ones about what a user sees run the command line, as a user does.
"""

import ast
import itertools
import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.support.answers import ANSWER_SETS, TRICKY_AUTHOR, TRICKY_SKELETON
from tests.support.bakes import cookiecutter_cli, render_template
from tests.support.checks import (
    assert_mypy_clean,
    assert_ruff_clean,
    run_in,
)
from tests.support.files import unparsable_files
from tests.support.hooks import render_hook, replay_file
from tests.support.template import DECLARED, TEMPLATE
from tests.support.template import label as answers_label

FREE_TEXT = ("project_name", "description", "author_name")
"""The answers written as text into Python, TOML, Markdown and the LICENSE."""

MANY_FILES: dict[str, object] = {
    "auth": "oidc",
    "ml_model": True,
    "database": "postgresql",
    "deployment": "kubernetes",
    "server": "asgi",
    "ci": "gitlab",
}
"""Options that keep the most files, so the most lines that hold the package name."""

OPTION_SETS = {"defaults": {}, "many-files": MANY_FILES}


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pre_gen(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The pre-gen hook rendered for the default answers and imported (its ``main`` not run):
    its rules and messages, to say what a refusal must print."""
    return render_hook("pre_gen_project", tmp_path_factory.mktemp("pre-gen"))


def write_config(folder: Path, **settings_: object) -> Path:
    """A cookiecutter user config in ``folder`` that keeps replay files and clones out of the
    home folder, plus ``settings_`` (e.g. ``default_context``)."""
    config = folder / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "replay_dir": str(folder / "replay"),
                "cookiecutters_dir": str(folder / "cookiecutters"),
                **settings_,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return config


def bake_here(folder: Path, config: Path | None = None, **kwargs: Any) -> Path:
    """Bake the template in this process into ``folder/out``, with the hooks; the project
    folder. ``kwargs`` go to ``cookiecutter`` (``no_input``, ``extra_context``, ``replay``,
    ``overwrite_if_exists``); a refusal raises ``FailedHookException``."""
    project = cookiecutter(
        str(TEMPLATE),
        output_dir=str(folder / "out"),
        config_file=str(config or write_config(folder)),
        **kwargs,
    )
    return Path(project)


def refused_here(folder: Path, capfd: pytest.CaptureFixture[str], **kwargs: Any) -> str:
    """What the refused in-process bake (``bake_here(folder, **kwargs)``) printed to stderr;
    fails the test if the bake went through."""
    capfd.readouterr()  # drop what came before
    with pytest.raises(FailedHookException):
        bake_here(folder, **kwargs)
    return capfd.readouterr().err


def error_lines(stderr: str) -> list[str]:
    """The non-blank lines of ``stderr``: a refusal prints one ``ERROR:`` line per problem,
    and nothing else there."""
    return [line for line in stderr.splitlines() if line.strip()]


def assert_nothing_on_disk(output: Path) -> None:
    """The output folder of a refused bake holds nothing (it may not exist)."""
    assert list(output.rglob("*")) == []


def assert_every_file_parses(project: Path) -> None:
    """Every .py, .toml, .yml and .yaml file in ``project`` parses in its language."""
    broken = unparsable_files(project)
    assert broken == {}, broken


def app_name_on_import(project: Path, constant: str = "APP_NAME") -> str:
    """``constant`` (default ``APP_NAME``) as ``import <package>.navigation`` gives it, in a
    fresh interpreter with ``PYTHONPATH=src`` (as installed)."""
    (package,) = [path.name for path in (project / "src").iterdir() if path.is_dir()]
    code = (
        f"import json, sys, {package}.navigation as navigation;"
        f" sys.stdout.write(json.dumps(navigation.{constant}))"
    )
    env = {"PYTHONPATH": str(project / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    name = json.loads(run.stdout)
    assert isinstance(name, str)
    return name


def app_title_on_import(project: Path) -> str:
    """``APP_TITLE``, the name as the pages' ``st.title`` Markdown, as the import gives it."""
    return app_name_on_import(project, "APP_TITLE")


def app_name_literal(project: Path) -> object:
    """The value of the ``APP_NAME = <literal>`` line of the bake's ``navigation.py``, read
    with ``ast.literal_eval`` (no import)."""
    (navigation,) = project.glob("src/*/navigation.py")
    tree = ast.parse(navigation.read_text(encoding="utf-8"))
    (value,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["APP_NAME"]
    ]
    return ast.literal_eval(value)


def pyproject(project: Path) -> dict[str, Any]:
    """The bake's ``pyproject.toml``, parsed."""
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


# --- project_name: quotes and backslashes bake; a line break is refused ---------------------

ODD_NAMES = [
    'Say "Hi"',
    "Ends with a backslash \\",
    "C:\\Dir\\New",
    "\\" * 40,
    '"' * 20 + "'" * 20,
]
"""Double quotes; a trailing backslash; ``\\D`` and ``\\N`` (a ``\\N{...}`` escape in Python);
the widest names to escape: 40 backslashes, and 20 quotes of each kind."""


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_name_with_quotes_or_backslashes_bakes_clean_and_imports_as_typed(tmp_path, name):
    # a slug of its own: the widest names hold no letter to derive one from
    answers = {"project_name": name, "project_slug": "odd-name"}
    project = bake_here(tmp_path, no_input=True, extra_context=answers)
    assert_ruff_clean(project)
    assert_every_file_parses(project)
    assert app_name_literal(project) == name
    assert app_name_on_import(project) == name


# --- the command line: one line per problem, no traceback, nothing on disk -----------------


@pytest.mark.parametrize(
    ("field", "value"), [("project_name", "Flight\nDelays"), ("author_name", "Ann\nBob")]
)
def test_a_line_break_is_refused_with_one_line_and_no_traceback(tmp_path, pre_gen, field, value):
    run, output = cookiecutter_cli(tmp_path, ["--no-input"], [f"{field}={value}"])
    assert run.returncode != 0
    assert error_lines(run.stderr) == [f"ERROR: {pre_gen.check_text(field, value)}"]
    assert "must be one line of text" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert_nothing_on_disk(output)


def test_baking_into_a_folder_with_files_is_refused_with_one_line_and_no_traceback(
    tmp_path, pre_gen
):
    folder = tmp_path / "out" / "flight-delays"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine\n")
    expected = pre_gen.check_output_folder(folder)
    run, _ = cookiecutter_cli(tmp_path, ["--no-input", "-f"])
    assert run.returncode != 0
    assert error_lines(run.stderr) == [f"ERROR: {expected}"]
    assert "already holds notes.txt" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine\n"


# --- package_name and project_slug ----------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ({"package_name": "test"}, "must not shadow 'test', a module or folder of the project"),
        ({"package_name": "conftest"}, "must not shadow 'conftest', a module or folder of"),
        ({"package_name": "click"}, "must not shadow 'click', which the project's dependencies"),
        ({"package_name": "typing_extensions"}, "must not shadow 'typing_extensions', which"),
        ({"package_name": "packaging"}, "must not shadow 'packaging', which the project's"),
        (
            {"project_slug": "streamlit", "package_name": "flights"},
            "project_slug 'streamlit': must not be the name of 'streamlit', a dependency",
        ),
    ],
    ids=["test", "conftest", "click", "typing_extensions", "packaging", "slug-streamlit"],
)
def test_a_name_that_shadows_or_collides_is_refused(tmp_path, capfd, pre_gen, answers, rule):
    field = "project_slug" if "project_slug" in answers else "package_name"
    expected = pre_gen.RULES[field](answers[field])
    stderr = refused_here(tmp_path, capfd, no_input=True, extra_context=answers)
    assert error_lines(stderr) == [f"ERROR: {expected}"]
    assert rule in expected
    assert_nothing_on_disk(tmp_path / "out")


def test_the_prompts_name_the_limits_the_hook_keeps(pre_gen):
    prompts = DECLARED["__prompts__"]
    assert f"at most {pre_gen.PROJECT_NAME_COLUMNS} columns" in prompts["project_name"]
    assert f"at most {pre_gen.PACKAGE_NAME_MAX} characters" in prompts["package_name"]


def package_name_of_length(length: int) -> str:
    """A valid package name of ``length`` characters."""
    return ("pkg_" + "x" * length)[:length]


def test_a_package_name_one_past_the_limit_is_refused(tmp_path, capfd, pre_gen):
    name = package_name_of_length(pre_gen.PACKAGE_NAME_MAX + 1)
    stderr = refused_here(tmp_path, capfd, no_input=True, extra_context={"package_name": name})
    assert error_lines(stderr) == [
        f"ERROR: package_name {name!r}: must be at most {pre_gen.PACKAGE_NAME_MAX} characters"
    ]
    assert_nothing_on_disk(tmp_path / "out")


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS)
def test_the_longest_package_name_bakes_ruff_clean(tmp_path, pre_gen, options):
    name = package_name_of_length(pre_gen.PACKAGE_NAME_MAX)
    project = bake_here(tmp_path, no_input=True, extra_context={**options, "package_name": name})
    assert (project / "src" / name / "navigation.py").is_file()
    assert_ruff_clean(project)


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=answers_label)
def test_the_longest_package_name_fits_every_file_of_every_option(tmp_path, pre_gen, answers):
    # a plain render holds every file of every value, each rendered for the answers
    name = package_name_of_length(pre_gen.PACKAGE_NAME_MAX)
    project = render_template({**answers, "package_name": name}, tmp_path)
    check = run_in(project, "ruff", "check", "--no-cache", "--select", "E501", ".")
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = run_in(project, "ruff", "format", "--check", "--no-cache", ".")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS)
def test_one_character_more_than_the_limit_breaks_the_line_length(tmp_path, pre_gen, options):
    # without hooks, so the name is not refused: the limit is the one the bake's lint needs
    name = package_name_of_length(pre_gen.PACKAGE_NAME_MAX + 1)
    project = render_template({**options, "package_name": name}, tmp_path)
    ruff = run_in(project, "ruff", "check", "--no-cache", "--select", "E501", ".")
    assert "E501" in ruff.stdout, ruff.stdout + ruff.stderr


# --- answers that look like templates -------------------------------------------------------

MARKED = ["Say {{ 7*7 }}", "A {% if %} B", "Note {# c #}", "Open {{ x"]
"""Free text holding each template marker, one of them unclosed."""

WAYS = ["command-line", "replay-file", "user-config", "prompts"]
"""How an answer reaches cookiecutter."""


def marked_answers(shift: int) -> dict[str, str]:
    """Each free-text field given another of ``MARKED``: over the shifts 0 to 3 each field
    holds each marker once."""
    return {field: MARKED[(shift + k) % len(MARKED)] for k, field in enumerate(FREE_TEXT)}


def typed_at_prompts(tmp_path: Path, answers: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``cookiecutter`` run without ``--no-input``, the free-text ``answers`` typed at their
    prompts (project_name first, then the slug and package name left to their defaults,
    description, author_name) and Enter at every later prompt."""
    typed = [answers["project_name"], "", "", answers["description"], answers["author_name"]]
    config = write_config(tmp_path)
    command = [sys.executable, "-m", "cookiecutter", "--config-file", str(config)]
    return subprocess.run(
        [*command, "-o", str(tmp_path / "out"), str(TEMPLATE)],
        input="\n".join(typed) + "\n" * 30,
        capture_output=True,
        text=True,
    )


def stderr_of_refusal(
    way: str, tmp_path: Path, capfd: pytest.CaptureFixture[str], answers: dict[str, str]
) -> str:
    """Bake with ``answers`` given ``way``; assert it was refused and return its stderr."""
    if way == "command-line":
        given = [f"{field}={value}" for field, value in answers.items()]
        run, _ = cookiecutter_cli(tmp_path, ["--no-input"], given)
    elif way == "prompts":
        run = typed_at_prompts(tmp_path, answers)
        asked = len([key for key in DECLARED if not key.startswith("_")])
        assert f"[{asked}/{asked}]" in run.stdout  # every prompt was asked, answered from stdin
    elif way == "replay-file":
        return refused_here(tmp_path, capfd, replay=str(replay_file(tmp_path, **answers)))
    else:
        config = write_config(tmp_path, default_context=answers)
        return refused_here(tmp_path, capfd, config=config, no_input=True)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    return run.stderr


@pytest.mark.parametrize("shift", range(len(MARKED)))
@pytest.mark.parametrize("way", WAYS)
def test_template_markers_are_refused_naming_the_field_whichever_way_they_come(
    tmp_path, capfd, pre_gen, way, shift
):
    answers = marked_answers(shift)
    stderr = stderr_of_refusal(way, tmp_path, capfd, answers)
    expected = [f"ERROR: {pre_gen.check_text(field, answers[field])}" for field in FREE_TEXT]
    assert error_lines(stderr) == expected
    for field in FREE_TEXT:
        assert f"{field} {answers[field]!r}: must not hold '{{{{' or '{{%' or '{{#'" in stderr
    assert_nothing_on_disk(tmp_path / "out")


# --- author_name ----------------------------------------------------------------------------


def test_an_author_with_quotes_and_a_backslash_reads_back_exactly(bake):
    # this bake's own tests run in test_options.py (OWN_TESTS)
    project = bake(**TRICKY_SKELETON)
    assert pyproject(project)["project"]["authors"][0]["name"] == TRICKY_AUTHOR
    license_lines = (project / "LICENSE").read_text(encoding="utf-8").splitlines()
    assert [line for line in license_lines if TRICKY_AUTHOR in line] != []
    assert_ruff_clean(project)
    assert_every_file_parses(project)


MIXED_NAME = 'Say "Hi" \\ Dir\\New Київ \u2013 x'
"""Quotes, backslashes (one before N), Cyrillic and an en dash (ruff's RUF001 confusables)."""


@pytest.mark.slow  # mypy, and a wheel built
@pytest.mark.xdist_group("bakes")  # mypy's cache of the all-pairs bakes
def test_a_mixed_name_bakes_ruff_and_mypy_clean_and_imports_as_typed(tmp_path):
    answers = {"project_name": MIXED_NAME, "author_name": TRICKY_AUTHOR}
    project = bake_here(tmp_path, no_input=True, extra_context=answers)
    assert project.name == "say-hi-dir-new-kiiv-x"
    assert_ruff_clean(project)
    assert_mypy_clean(project)
    assert_every_file_parses(project)
    assert app_name_on_import(project) == MIXED_NAME
    # it builds: the wheel's metadata carries the author on one header line
    uv = str(Path(sys.executable).with_name("uv"))
    build = subprocess.run(
        [uv, "build", "--wheel", "--quiet", "-o", str(tmp_path / "dist")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith("/METADATA")]
        headers = archive.read(metadata).decode().split("\n\n")[0].splitlines()
    assert f"Author: {TRICKY_AUTHOR}" in headers, headers


# --- cookiecutter -f into an existing project -----------------------------------------------


def prunable_paths(tmp_path: Path) -> list[str]:
    """Every path the post-gen hook may remove or replace, for the default package name:
    each path of ``ONLY_FOR`` and each version and target of ``CHOOSE``."""
    post_gen = render_hook("post_gen_project", tmp_path)
    paths = {
        path
        for by_value in post_gen.ONLY_FOR.values()
        for listed in by_value.values()
        for path in listed
    }
    for by_value in post_gen.CHOOSE.values():
        for versions in by_value.values():
            paths.update(versions)
            paths.update(versions.values())
    return sorted(paths)


def is_template_folder(path: str) -> bool:
    """Whether ``path`` (as the hook names it) is a folder in the template's project."""
    in_template = path.replace("src/flight_delays", "src/{{cookiecutter.package_name}}")
    return (TEMPLATE / "{{cookiecutter.project_slug}}" / in_template).is_dir()


def users_file(path: str) -> str:
    """Where a user keeps a file of their own at ``path``: the path itself for a file of the
    template, a file inside it for a folder."""
    return f"{path}/my-notes.txt" if is_template_folder(path) else path


def snapshot(folder: Path) -> dict[str, str | None]:
    """Every path under ``folder`` -> its text (None for a folder)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_text()
        for path in sorted(folder.rglob("*"))
    }


def assert_forced_bake_is_refused_and_keeps(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], user_files: list[str]
) -> None:
    """Put ``user_files`` in an existing ``flight-delays`` folder, bake into it with
    ``cookiecutter --no-input -f``: the bake is refused, naming the folder, and the folder is
    exactly as it was."""
    folder = tmp_path / "out" / "flight-delays"
    for relative in user_files:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(f"the user's own {relative}\n")
    before = snapshot(folder)
    stderr = refused_here(tmp_path, capfd, no_input=True, overwrite_if_exists=True)
    assert "already holds" in stderr
    assert f"output folder {str(folder)!r}" in stderr
    assert snapshot(folder) == before
    assert sorted(tmp_path.joinpath("out").iterdir()) == [folder]


def test_a_forced_bake_keeps_a_user_file_at_every_path_the_hook_prunes(tmp_path, capfd):
    (tmp_path / "hook").mkdir()
    paths = prunable_paths(tmp_path / "hook")
    folders = [path for path in paths if is_template_folder(path)]
    assert {"Dockerfile", "deploy/k8s", ".github", "src/flight_delays/data/queries.py"} <= set(
        paths
    )
    assert {".github", "deploy/k8s", "deploy/nginx", "src/flight_delays/model"} <= set(folders)
    assert_forced_bake_is_refused_and_keeps(tmp_path, capfd, [users_file(p) for p in paths])


@pytest.mark.parametrize("path", ["Dockerfile", ".gitlab-ci.yml", "app_pages/home.py", ".github"])
def test_a_forced_bake_keeps_a_single_user_file(tmp_path, capfd, path):
    assert_forced_bake_is_refused_and_keeps(tmp_path, capfd, [users_file(path)])


# --- Markdown: the README shows the name and the description as typed ----------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
"""CommonMark with GitHub's tables and strikethrough."""


def inline_text(token: Token) -> str:
    """The text an inline token shows; fails if any part of it is markup (emphasis, a link,
    HTML, code) rather than text."""
    children = token.children or []
    assert {child.type for child in children} <= {"text", "text_special"}, children
    return "".join(child.content for child in children)


def readme_title_and_first_paragraph(project: Path) -> tuple[str, str]:
    """The README's first block (an h1 heading) and the paragraph after it, as text."""
    tokens = MARKDOWN.parse((project / "README.md").read_text(encoding="utf-8"))
    kinds = [(token.type, token.tag) for token in tokens[:6]]
    assert kinds == [
        ("heading_open", "h1"),
        ("inline", ""),
        ("heading_close", "h1"),
        ("paragraph_open", "p"),
        ("inline", ""),
        ("paragraph_close", "p"),
    ]
    return inline_text(tokens[1]), inline_text(tokens[4])


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("*AT&T* <b>x</b> [a](b) # 1.", "- not a list item, *not emphasis*"),
        ("1. Not a list ~~gone~~ | a |", "1. Not a list either \\ &amp; `code`"),
        ("# Not a sub-heading #", "> not a quote <!-- nor a comment -->"),
        ("_under_ + C #", "2) nor listed; === nor underlined ![i](j)"),
    ],
    ids=["emphasis-html-link", "ordered-list-table", "heading-quote-comment", "paren-list"],
)
def test_the_readme_shows_the_name_and_the_description_as_typed(tmp_path, name, description):
    answers = {"project_name": name, "description": description, "project_slug": "readme-check"}
    project = bake_here(tmp_path, no_input=True, extra_context=answers)
    assert readme_title_and_first_paragraph(project) == (name, description)
    # st.title reads Markdown too: the pages' title, parsed as a heading, is the name as typed
    (title,) = [token for token in MARKDOWN.parse("# " + app_title_on_import(project))][1:2]
    assert inline_text(title) == name


def test_an_indented_description_is_refused(tmp_path, capfd):
    # four spaces would make a Markdown code block of the README's first line
    description = "    indented like code"
    with pytest.raises(FailedHookException):
        bake_here(tmp_path, no_input=True, extra_context={"description": description})
    assert error_lines(capfd.readouterr().err) == [
        f"ERROR: description {description!r}: must not start or end with spaces"
    ]
    assert_nothing_on_disk(tmp_path / "out")


# --- property: any printable free text renders into files that parse and read it back -----

SPECIAL = ['"', "'", "\\", '"""', "\\N", "\\u", *"{}%#$`*<&|", "1."]
"""The pieces every escape is about: quotes, backslashes, braces, Markdown's marks."""

PRINTABLE = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.characters(categories=["L", "M", "N", "P", "S", "Zs"])),
    min_size=1,
    max_size=14,
).map("".join)
"""Printable text: letters, marks, digits, punctuation, symbols and spaces, no controls."""


def ruff_batch(batch: Path) -> list[subprocess.CompletedProcess[str]]:
    """``ruff check`` and ``ruff format --check`` run once over ``batch``: folders that each
    hold a bake's ``pyproject.toml`` (so its own ruff settings) and its ``navigation.py``."""
    return [
        subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "."],
            cwd=batch,
            capture_output=True,
            text=True,
        )
        for command in (["check"], ["format", "--check"])
    ]


def test_random_printable_answers_render_into_files_that_parse_and_read_back(tmp_path, pre_gen):
    batch = tmp_path / "batch"
    renders = itertools.count()

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        # no shrinking: each step renders the template again, and a failure shows its answers
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(name=PRINTABLE, description=PRINTABLE, author=PRINTABLE)
    def renders_as_typed(name: str, description: str, author: str) -> None:
        answers = {"project_name": name, "description": description, "author_name": author}
        assume(pre_gen.problems({**pre_gen.CONTEXT, **answers}) == [])
        number = next(renders)
        fixed = {"project_slug": "flight-delays", "package_name": "flight_delays"}
        (tmp_path / f"render-{number}").mkdir()
        project = render_template({**answers, **fixed}, tmp_path / f"render-{number}")
        assert_every_file_parses(project)
        assert app_name_literal(project) == name
        metadata = pyproject(project)["project"]
        assert (metadata["description"], metadata["authors"][0]["name"]) == (description, author)
        record = json.loads((project / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
        assert {field: record["cookiecutter"][field] for field in answers} == answers
        license_lines = (project / "LICENSE").read_text(encoding="utf-8").splitlines()
        assert any(author in line for line in license_lines)
        kept = batch / f"render-{number}"
        (kept / "src/flight_delays").mkdir(parents=True)
        (kept / "pyproject.toml").write_bytes((project / "pyproject.toml").read_bytes())
        navigation = project / "src/flight_delays/navigation.py"
        (kept / "src/flight_delays/navigation.py").write_bytes(navigation.read_bytes())

    renders_as_typed()
    checked = sorted(batch.glob("render-*/src/flight_delays/navigation.py"))
    assert len(checked) >= 20  # most examples passed the hook's rules and were rendered
    for run in ruff_batch(batch):
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr
