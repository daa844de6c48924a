"""A bake follows its template: ``cruft update`` brings a template change in and keeps the
user's edits, the answers record (``.cookiecutter-answers.json``) re-bakes the same project,
and ``cruft link`` from that record ties a plain cookiecutter bake to its template. An earlier
name of a value (``database=none``, now ``parquet``) still bakes, replayed or updated.

Everything runs for real, as subprocesses: git, cookiecutter and cruft, on a git repository
made from the template as it stands in the working tree (committed or not).
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.template import TEMPLATE

TIMEOUT = 120  # seconds, for any one subprocess
GIT_IDENTITY = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
PROJECT = "{{cookiecutter.project_slug}}"
"""The project folder in the template."""
TEMPLATE_PARTS = ["cookiecutter.json", "local_extensions.py", "hooks", PROJECT]
"""What a bake needs from the template's repository (the rest is its own tooling and tests)."""
RECORD = ".cookiecutter-answers.json"
CRUFT = [sys.executable, "-m", "cruft"]
COOKIECUTTER = [sys.executable, "-m", "cookiecutter"]


def run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``command`` run in ``cwd`` (with ``env``, if given), its output captured as text."""
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def ok(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """The standard output of ``command`` run in ``cwd``, which must exit 0."""
    result = run(command, cwd, env)
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def git(repo: Path, *args: str) -> str:
    """The standard output of ``git <args>`` in ``repo`` (which must exit 0), committing as a
    fixed author."""
    return ok(["git", *GIT_IDENTITY, *args], repo)


def isolated_env(root: Path) -> dict[str, str]:
    """An environment for cookiecutter and cruft under ``root``: a user config of its own
    (``root/config.yaml``, so no replay file lands in the home folder and no user default
    changes an answer), and ``root/tmp`` as the temporary folder."""
    config = root / "config.yaml"
    config.write_text(
        f"replay_dir: {json.dumps(str(root / 'replay'))}\n"
        f"cookiecutters_dir: {json.dumps(str(root / 'cookiecutters'))}\n"
    )
    temp = root / "tmp"
    temp.mkdir(exist_ok=True)
    return {**os.environ, "COOKIECUTTER_CONFIG": str(config), "TMPDIR": str(temp)}


def copy_working_tree(repo: Path) -> None:
    """Copy the template's files as they stand in the working tree (tracked or new, not
    ignored; deleted ones left out) into ``repo``, in place of the ones there."""
    for part in TEMPLATE_PARTS:
        target = repo / part
        if target.is_dir():
            shutil.rmtree(target)
        target.unlink(missing_ok=True)
    ls_files = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    listed = ok(["git", "--literal-pathspecs", *ls_files, "--", *TEMPLATE_PARTS], TEMPLATE)
    for name in sorted(set(listed.split("\0")) - {""}):
        source = TEMPLATE / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    assert (repo / "cookiecutter.json").is_file() and (repo / PROJECT / RECORD).is_file()


def template_repo(root: Path) -> Path:
    """A git repository at ``root/template`` holding, in one commit, the template's files as
    they stand in the working tree (``copy_working_tree``): its path."""
    repo = root / "template"
    copy_working_tree(repo)
    git(repo.parent, "-c", "init.defaultBranch=main", "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The template")
    return repo


def commit_all(repo: Path, message: str) -> None:
    """Stage everything in ``repo`` and commit it (``git init`` first if it is no repository)."""
    if not (repo / ".git").exists():
        git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root``, relative and in POSIX form, but ``.git``'s: a file's bytes,
    or None for a folder."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
        if ".git" not in path.relative_to(root).parts
    }


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON value: keys and values, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)


def read_json(path: Path) -> Any:
    """The JSON value in the file at ``path``."""
    return json.loads(path.read_text(encoding="utf-8"))


def without_private(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` without the keys that start with one underscore (``_template``,
    ``_commit``, ``_extensions``...): the answers and the derived ``__`` values."""
    return {k: v for k, v in context.items() if not k.startswith("_") or k.startswith("__")}


NEW_FILE = (
    "Colour: {{ cookiecutter.colour }} ({{ cookiecutter.__colour_upper }},"
    " {{ cookiecutter.colour | shout }})\n"
)
"""The new file: the new option, a new derived value, and a new filter."""

NEW_FILTER = '''

def shout(value: str) -> str:
    """A filter the template's next commit adds."""
    return value.upper() + "!"


FILTERS["shout"] = shout
'''


def add_option_to_template(repo: Path) -> str:
    """Commit a template change in ``repo``: the project README's first ``## `` heading (near
    the top) edited; a new option, ``colour`` (default ``blue``), and a value derived from it,
    ``__colour_upper``, added to cookiecutter.json before ``__serve``; a filter, ``shout``,
    added to local_extensions.py; a new file ``NEW_FILE.md`` that uses all three; and a line
    added to the pre-gen hook, which the new option renders. Returns the heading as the change
    leaves it."""
    readme = repo / PROJECT / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("## "))
    heading = lines[index].rstrip("\n")
    assert index < 30 and "{" not in heading, f"README's first heading moved: {heading!r}"
    edited = f"{heading}, as the template now says"
    lines[index] = edited + "\n"
    readme.write_text("".join(lines), encoding="utf-8")

    (repo / PROJECT / "NEW_FILE.md").write_text(NEW_FILE)
    with (repo / "local_extensions.py").open("a", encoding="utf-8") as extensions:
        extensions.write(NEW_FILTER)
    with (repo / "hooks" / "pre_gen_project.py").open("a", encoding="utf-8") as hook:
        hook.write("# a later commit's line, for {{ cookiecutter.colour }}\n")

    declared = read_json(repo / "cookiecutter.json")
    assert "colour" not in declared and "__serve" in declared
    options: dict[str, Any] = {}
    for key, value in declared.items():
        if key == "__serve":
            options["colour"] = "blue"
            options["__colour_upper"] = "{{ cookiecutter.colour | upper }}"
        options[key] = value
    options["__prompts__"]["colour"] = "Colour"
    (repo / "cookiecutter.json").write_text(json.dumps(options, indent=2) + "\n")

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add a colour, edit the README, a hook and a filter")
    return edited


def changed_paths(repo: Path) -> dict[str, str]:
    """``git status --porcelain`` in ``repo``: path -> its two-letter status."""
    status = ok(["git", "status", "--porcelain", "--untracked-files=all"], repo)
    return {line[3:]: line[:2] for line in status.splitlines()}


def test_cruft_update_brings_a_template_change_and_keeps_the_users_edit(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    repo = template_repo(tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    ok([*CRUFT, "create", "--no-input", str(repo)], out, env)
    assert sorted(path.name for path in out.iterdir()) == ["flight-delays"]
    project = out / "flight-delays"
    commit_all(project, "The bake")

    user_line = "A note of my own, at the end."
    readme = project / "README.md"
    assert len(readme.read_text().splitlines()) > 40  # the two edits lie far apart
    with readme.open("a", encoding="utf-8") as file:
        file.write(f"\n{user_line}\n")
    commit_all(project, "My note")

    heading = add_option_to_template(repo)
    new_commit = git(repo, "rev-parse", "HEAD").strip()
    stale = run([*CRUFT, "check"], project, env)
    assert stale.returncode != 0, stale.stdout  # the template moved on

    ok([*CRUFT, "update", "-y"], project, env)

    text = readme.read_text(encoding="utf-8")
    assert f"\n{heading}\n" in text  # the template's edit arrived
    assert text.endswith(f"\n{user_line}\n")  # the user's edit stayed
    # rendered by the new commit's cookiecutter.json, hook and filters, though cruft rendered
    # the old commit first, in the same process and folder
    assert (project / "NEW_FILE.md").read_text() == "Colour: blue (BLUE, BLUE!)\n"
    cruft_state = read_json(project / ".cruft.json")
    assert cruft_state["commit"] == new_commit
    assert cruft_state["context"]["cookiecutter"]["colour"] == "blue"
    # cruft applies the record's diff too: it holds the new answer, and exactly the answers
    # and derived values that .cruft.json holds
    record = read_json(project / RECORD)["cookiecutter"]
    assert record["colour"] == "blue"
    assert record == without_private(cruft_state["context"]["cookiecutter"])
    assert changed_paths(project) == {
        RECORD: "M ",
        "NEW_FILE.md": "A ",
        "README.md": "M ",
        ".cruft.json": " M",
    }

    # the hooks (run twice by the update: for the old commit and the new) left nothing outside
    # the bake, and no patch failed
    assert sorted(path.name for path in out.iterdir()) == ["flight-delays"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "config.yaml",
        "out",
        "template",
        "tmp",
    ]
    assert not list(out.rglob("*.rej")) and not list(out.rglob("*.orig"))
    # cruft removed its clones and renders, and each hook its rendered copy (cookiecutter
    # writes one per run, answers included, and never deletes it)
    assert list((tmp_path / "tmp").iterdir()) == []

    ok([*CRUFT, "check"], project, env)


TRICKY_ANSWERS = {
    "project_name": 'Say "Hi" \\ Dir\\New',
    "description": "A *bold* <b>claim</b> & [no link](x)",
    "author_name": "Zoë O'Brien",
    "database": "sqlite",
    "deployment": "compose",
}


def cookiecutter_bake(
    root: Path, template: Path, answers: dict[str, str], env: dict[str, str]
) -> Path:
    """The project that ``cookiecutter --no-input`` bakes from ``template`` with ``answers``
    into ``root/out`` (a new folder), under the config of ``isolated_env``: its path."""
    out = root / "out"
    config = env["COOKIECUTTER_CONFIG"]
    given = [f"{key}={value}" for key, value in answers.items()]
    command = [*COOKIECUTTER, "--config-file", config, "--no-input", "-o", str(out)]
    ok([*command, str(template), *given], root, env)
    (project,) = out.iterdir()
    return project


def test_the_answers_record_re_bakes_the_same_project(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    project = cookiecutter_bake(tmp_path, TEMPLATE, TRICKY_ANSWERS, env)
    assert project.name == "say-hi-dir-new"

    record = read_json(project / RECORD)
    assert list(record) == ["cookiecutter"]
    answers = record["cookiecutter"]
    assert {key: answers[key] for key in TRICKY_ANSWERS} == TRICKY_ANSWERS
    assert answers["__db"] == "SQLite"  # the derived values are kept
    assert [key for key in answers if key.startswith("_") and not key.startswith("__")] == []
    local = [str(tmp_path), str(tmp_path.resolve()), str(TEMPLATE), str(TEMPLATE.resolve())]
    assert [s for s in strings(record) if any(path in s for path in local)] == []

    replay = tmp_path / "answers.json"
    shutil.copyfile(project / RECORD, replay)
    other = tmp_path / "other"
    config = env["COOKIECUTTER_CONFIG"]
    command = [*COOKIECUTTER, "--config-file", config, "--replay-file", str(replay)]
    ok([*command, str(TEMPLATE), "-o", str(other)], tmp_path, env)

    baked, rebaked = tree(project), tree(other / project.name)
    assert len(baked) > 40 and RECORD in baked
    assert sorted(baked) == sorted(rebaked)
    assert [path for path in baked if baked[path] != rebaked[path]] == []


def test_cruft_link_from_the_answers_record_then_diff_is_empty(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    repo = template_repo(tmp_path)
    project = cookiecutter_bake(tmp_path, repo, TRICKY_ANSWERS, env)
    commit_all(project, "The bake")

    # the project README's command: the whole record as the extra context
    answers = read_json(project / RECORD)["cookiecutter"]
    assert any(key.startswith("__") for key in answers)
    link = [*CRUFT, "link", str(repo), "--no-input", "--extra-context", json.dumps(answers)]
    ok(link, project, env)

    cruft_state = read_json(project / ".cruft.json")
    assert cruft_state["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert without_private(cruft_state["context"]["cookiecutter"]) == answers
    ok([*CRUFT, "diff", "--exit-code"], project, env)
    ok([*CRUFT, "check"], project, env)

    # the diff does compare the bake: a line added to one of its files shows, and fails it
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "One more line.\n")
    changed = run([*CRUFT, "diff", "--exit-code"], project, env)
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "\n-One more line.\n" in changed.stdout  # diff from the bake to the template


def test_cruft_create_refuses_an_answer_that_looks_like_a_template(tmp_path: Path) -> None:
    # cruft renders its extra context as cookiecutter does; the answer stays literal and the
    # hook refuses it, naming the field
    env = isolated_env(tmp_path)
    repo = template_repo(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    given = json.dumps({"project_name": "Say {{ 7*7 }}"})
    create = run([*CRUFT, "create", "--no-input", "--extra-context", given, str(repo)], out, env)
    assert create.returncode != 0
    assert "project_name 'Say {{ 7*7 }}': must not hold '{{'" in create.stdout + create.stderr
    assert list(out.iterdir()) == []


# --- An earlier name: database=none is parquet now ------------------------------------------

BEFORE_THE_RENAME = "baf976f"
"""A commit of the template from before ``database=none`` became ``parquet`` and the database
traits came in."""

EARLIER_RECORD = Path(__file__).parent / "fixtures" / "answers-before-traits.json"
"""The answers record of a bake of ``BEFORE_THE_RENAME`` with ``database=none`` and
``sample_data=none``: a replay file as a project of that time holds it."""


def test_none_bakes_what_parquet_bakes_and_its_record_re_bakes_it(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    (tmp_path / "none").mkdir()
    (tmp_path / "parquet").mkdir()
    earlier = cookiecutter_bake(tmp_path / "none", TEMPLATE, {"database": "none"}, env)
    now = cookiecutter_bake(tmp_path / "parquet", TEMPLATE, {"database": "parquet"}, env)
    baked, expected = tree(earlier), tree(now)
    assert sorted(baked) == sorted(expected)
    assert [path for path in baked if baked[path] != expected[path]] == [RECORD]
    record, parquet = read_json(earlier / RECORD)["cookiecutter"], read_json(now / RECORD)
    assert record["database"] == "none"  # the answer as given
    assert record == {**parquet["cookiecutter"], "database": "none"}

    # the record replays to the same project
    config = env["COOKIECUTTER_CONFIG"]
    replay = [*COOKIECUTTER, "--config-file", config, "--replay-file", str(earlier / RECORD)]
    ok([*replay, str(TEMPLATE), "-o", str(tmp_path / "again")], tmp_path, env)
    assert tree(tmp_path / "again" / earlier.name) == baked


def test_a_replay_file_of_an_earlier_template_is_refused_in_one_line(tmp_path: Path) -> None:
    # cookiecutter renders the derived values a replay file lacks without its answers: the
    # template says so, naming the field, instead of an UndefinedError's traceback
    env = isolated_env(tmp_path)
    config = env["COOKIECUTTER_CONFIG"]
    replay = [*COOKIECUTTER, "--config-file", config, "--replay-file", str(EARLIER_RECORD)]
    refused = run([*replay, str(TEMPLATE), "-o", str(tmp_path / "out")], tmp_path, env)
    assert refused.returncode == 1
    assert refused.stdout.splitlines() == [
        "database: this replay file comes from an earlier version of the template: it lacks the"
        " values that this one derives from database (__database, the __db traits), and a"
        " replay derives nothing from its answers; give them on the command line instead"
        " (cookiecutter --no-input <template> database=... ...), or update the project with"
        " cruft update (see the README)"
    ]
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "out").exists()
    # the way it names: the same answers given on the command line bake
    answers = read_json(EARLIER_RECORD)["cookiecutter"]
    given = {key: value for key, value in answers.items() if not key.startswith("_")}
    (tmp_path / "given").mkdir()
    project = cookiecutter_bake(tmp_path / "given", TEMPLATE, given, env)
    record = read_json(project / RECORD)["cookiecutter"]
    assert (record["database"], record["__database"]) == ("none", "parquet")
    assert (project / "src/flight_delays/data/schema.py").is_file()


def template_repo_at(root: Path, commit: str) -> tuple[Path, str]:
    """A git repository at ``root/template`` holding, in its first commit, the template's files
    as they were at ``commit`` of this repository, and in its second, as they stand in the
    working tree: its path, and the first commit's hash. Skips when ``commit`` is not in this
    clone's history (a shallow clone)."""
    if run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], TEMPLATE).returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone's history")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, *TEMPLATE_PARTS],
        cwd=TEMPLATE,
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    )
    repo = root / "template"
    repo.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        files.extractall(repo, filter="data")
    git(repo.parent, "-c", "init.defaultBranch=main", "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"The template at {commit}")
    earlier = git(repo, "rev-parse", "HEAD").strip()
    copy_working_tree(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The template now")
    return repo, earlier


def test_cruft_update_brings_a_project_answered_none_to_what_parquet_bakes(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    repo, earlier = template_repo_at(tmp_path, BEFORE_THE_RENAME)
    answers = json.dumps({"database": "none", "sample_data": "none"})
    (tmp_path / "out").mkdir()
    create = [*CRUFT, "create", "--no-input", "--checkout", earlier, "--extra-context", answers]
    ok([*create, str(repo)], tmp_path / "out", env)
    project = tmp_path / "out" / "flight-delays"
    commit_all(project, "The bake, before the rename")
    assert not (project / "src/flight_delays/state/session.py").exists()

    ok([*CRUFT, "update", "-y"], project, env)
    ok([*CRUFT, "check"], project, env)
    assert not list(project.rglob("*.rej")) and not list(project.rglob("*.orig"))
    # what a bake of the template now with parquet holds, but for the answer as given (and
    # the description, whose default has changed since: an update keeps the recorded answer)
    description = read_json(project / RECORD)["cookiecutter"]["description"]
    now = json.dumps({"database": "parquet", "sample_data": "none", "description": description})
    (tmp_path / "now").mkdir()
    ok([*CRUFT, "create", "--no-input", "--extra-context", now, str(repo)], tmp_path / "now", env)
    updated, expected = tree(project), tree(tmp_path / "now" / "flight-delays")
    paths = updated.keys() | expected.keys()
    differ = {path for path in paths if updated.get(path) != expected.get(path)}
    assert differ == {RECORD, ".cruft.json"}, differ
    record = read_json(project / RECORD)["cookiecutter"]
    assert (record["database"], record["__database"]) == ("none", "parquet")
