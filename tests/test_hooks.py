"""The hooks as code: rendered with cookiecutter's own environment, imported, and called."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context

from .conftest import TEMPLATE


def render_hook(name: str, tmp_path: Path, **answers: str) -> ModuleType:
    """Render ``hooks/<name>.py`` for the default answers plus ``answers``; import it."""
    context = generate_context(TEMPLATE / "cookiecutter.json", extra_context=answers)
    # cookiecutter renders the derived defaults (slug, package name) while prompting
    cookiecutter = context["cookiecutter"]
    env = StrictEnvironment(context=context, keep_trailing_newline=True)
    for key in ("project_slug", "package_name"):
        if key not in answers:
            cookiecutter[key] = env.from_string(cookiecutter[key]).render(cookiecutter=cookiecutter)
    for key, value in cookiecutter.items():
        if isinstance(value, list):  # a choice: the first option is the default answer
            cookiecutter[key] = value[0]
    source = env.from_string((TEMPLATE / "hooks" / f"{name}.py").read_text())
    path = tmp_path / f"{name}.py"
    path.write_text(source.render(cookiecutter=cookiecutter))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pre_gen(tmp_path):
    return render_hook("pre_gen_project", tmp_path)


def test_default_answers_pass(pre_gen):
    assert pre_gen.CONTEXT["package_name"] == "flight_delays"
    assert pre_gen.problems(pre_gen.CONTEXT) == []
    assert pre_gen.main() == 0


def test_answers_with_quotes_and_backslashes_reach_the_hook_intact(tmp_path):
    name = 'He said "hi" \\ o\'clock """'
    module = render_hook("pre_gen_project", tmp_path, project_name=name)
    assert module.CONTEXT["project_name"] == name


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("project_name", "", "1 to 60 characters"),
        ("project_slug", "Flight_Delays", "distribution name"),
        ("project_slug", "-flights", "distribution name"),
        ("project_slug", "flights--2", "distribution name"),
        ("package_name", "flight-delays", "Python identifier"),
        ("package_name", "2flights", "Python identifier"),
        ("package_name", "import", "Python keyword"),
        ("package_name", "json", "standard library"),
        ("package_name", "streamlit", "which the project imports"),
        ("package_name", "duckdb", "which the project imports"),
        ("package_name", "x" * 41, "at most 40 characters"),
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


def test_post_gen_table_names_only_real_options_and_template_paths(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    project = TEMPLATE / "{{cookiecutter.project_slug}}"
    for option, by_value in post_gen.ONLY_FOR.items():
        assert option in context, option
        for paths in by_value.values():
            for path in paths:
                # the hook names the package by its default name; the template, by variable
                path = path.replace("src/flight_delays", "src/{{cookiecutter.package_name}}")
                assert (project / path).exists(), path


def test_post_gen_prints_the_next_steps(tmp_path):
    post_gen = render_hook("post_gen_project", tmp_path)
    steps = post_gen.next_steps(post_gen.CONTEXT)
    assert "cd flight-delays" in steps
    assert "uv run uvicorn app:app" in steps


def test_hooks_read_every_answer_as_json(tmp_path):
    for name in ("pre_gen_project", "post_gen_project"):
        text = (TEMPLATE / "hooks" / f"{name}.py").read_text()
        assert 'json.loads(r"""{{ cookiecutter | tojson }}""")' in text
        assert "assert " not in text
        rendered = render_hook(name, tmp_path, project_name="X")
        assert json.loads(json.dumps(rendered.CONTEXT))["project_name"] == "X"
