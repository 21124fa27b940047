"""README's set-up commands stay true: CI runs the test command README gives."""

import re

from conftest import ROOT


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_gives_two_setup_commands():
    run_cmd, test_cmd = readme_commands()
    assert run_cmd.startswith("pip install . && showbot ask")
    assert "pytest" in test_cmd


def test_ci_runs_readme_test_command():
    _, test_cmd = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()
