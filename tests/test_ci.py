"""CI runs the README's test command, verbatim."""

import re

from tests.support.template import TEMPLATE


def test_ci_runs_the_readme_test_command():
    readme = (TEMPLATE / "README.md").read_text().splitlines()
    marker = readme.index("# 2. Run the template's whole test suite (CI runs exactly this)")
    command = readme[marker + 1]
    ci = (TEMPLATE / ".ci" / "run").read_text().splitlines()
    assert command in ci


def test_readme_command_1_leaves_the_shell_at_the_root():
    # Command 1 changes into the bake; in a subshell, so command 2 can follow it as written.
    readme = (TEMPLATE / "README.md").read_text().splitlines()
    marker = readme.index(
        "# 1. Bake the default project into build/, install it, and serve it on http://127.0.0.1:8501"
    )
    command = readme[marker + 1]
    assert " cd " in command
    assert command.startswith("(") and command.endswith(")"), command
    assert command.count("(") == command.count(")") == 1, command


def test_readme_shows_screenshots_that_exist():
    readme = (TEMPLATE / "README.md").read_text()
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", readme)
    assert len(images) >= 2, images
    for image in images:
        assert (TEMPLATE / image).read_bytes().startswith(b"\x89PNG"), image
