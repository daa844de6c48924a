"""The hooks as a bake runs them: rendered with cookiecutter's own context, then imported;
and what their tables say a bake holds."""

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from cookiecutter.utils import create_env_with_context

from .bakes import import_file
from .template import PROJECT, TEMPLATE


def hook_context(output_dir: Path, **answers: object) -> dict[str, Any]:
    """The context a ``cookiecutter --no-input`` bake renders the hooks with, for the default
    answers plus ``answers`` given on the command line (as ``cookiecutter.main`` builds it)."""
    context = generate_context(str(TEMPLATE / "cookiecutter.json"), extra_context=answers)
    context["_cookiecutter"] = {
        key: value for key, value in context["cookiecutter"].items() if not key.startswith("_")
    }
    # fills the derived answers (slug, package name) and the private `__` ones (`__serve`, `__db`)
    context["cookiecutter"].update(prompt_for_config(context, no_input=True))
    context["cookiecutter"].update(
        _template=str(TEMPLATE),
        _output_dir=str(output_dir),
        _repo_dir=str(TEMPLATE),
        _checkout=None,
    )
    return context


def render(name: str, context: dict[str, Any]) -> str:
    """``hooks/<name>.py`` rendered as ``cookiecutter.hooks.run_script_with_context`` does."""
    source = (TEMPLATE / "hooks" / f"{name}.py").read_text(encoding="utf-8")
    return create_env_with_context(context).from_string(source).render(**context)


def load(name: str, source: str, folder: Path) -> ModuleType:
    """``source`` written to ``folder/<name>.py`` and imported (its ``main`` is not run)."""
    path = folder / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return import_file(path, name)


def render_hook(name: str, folder: Path, **answers: object) -> ModuleType:
    """``hooks/<name>.py`` rendered for the default answers plus ``answers``, written into
    ``folder`` and imported."""
    return load(name, render(name, hook_context(folder, **answers)), folder)


def impossible(folder: Path) -> list[dict[str, object]]:
    """The pairs of answers that the pre-gen hook refuses together, each as ``{field: value,
    other: value}`` (``folder`` holds the rendered hook)."""
    pre_gen = render_hook("pre_gen_project", folder)
    return [
        {field: value, other: other_value}
        for field, value, other, other_value in pre_gen.IMPOSSIBLE
    ]


def replay_file(folder: Path, **answers: object) -> Path:
    """A replay file in ``folder``: the default answers' context, ``answers`` written over it
    by hand (as a user edits one to correct an answer)."""
    context = hook_context(folder)
    context["cookiecutter"].update(answers)
    path = folder / "replayed.json"
    path.write_text(json.dumps(context), encoding="utf-8")
    return path


def template_files(package_name: str = "flight_delays") -> set[str]:
    """Every file of the template's project folder, named as a bake with ``package_name`` (and
    the default slug) has it."""
    return {
        path.relative_to(PROJECT).as_posix().replace("{{cookiecutter.package_name}}", package_name)
        for path in PROJECT.rglob("*")
        if path.is_file()
    }


def expected_files(folder: Path, **answers: object) -> set[str]:
    """The files a bake of ``answers`` must hold, by the post-gen hook's tables: the
    template's, less the paths the answers do not keep, with each chosen version under its
    new name (``folder`` holds the rendered hook)."""
    hook = render_hook("post_gen_project", folder, **answers)
    chosen, left_out = hook.chosen_versions(hook.CONTEXT, hook.CHOOSE)
    removed = [*hook.unselected_paths(hook.CONTEXT, hook.ONLY_FOR), *left_out, *chosen]
    kept = {
        name
        for name in template_files(hook.CONTEXT["package_name"])
        if not any(name == path or name.startswith(f"{path}/") for path in removed)
    }
    return kept | set(chosen.values())
