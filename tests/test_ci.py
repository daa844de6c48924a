"""CI runs the README's test command, verbatim."""

from .conftest import TEMPLATE


def test_ci_runs_the_readme_test_command():
    readme = (TEMPLATE / "README.md").read_text().splitlines()
    marker = readme.index("# 2. Run the template's whole test suite (CI runs exactly this)")
    command = readme[marker + 1]
    ci = (TEMPLATE / ".ci" / "run").read_text().splitlines()
    assert command in ci
