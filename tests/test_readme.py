"""README's set-up commands stay true: CI runs the test command README gives."""

import re

from conftest import ROOT


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_gives_three_setup_commands_starting_with_a_virtual_environment():
    venv_cmd, run_cmd, test_cmd = readme_commands()
    assert venv_cmd.startswith("python3 -m venv .venv") and "activate" in venv_cmd  # PEP 668 systems need it
    assert run_cmd.startswith("pip install . && showbot ask")
    assert "pytest" in test_cmd


def test_ci_runs_readme_test_command():
    _, _, test_cmd = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


PATH_RE = re.compile(r"^\.{0,2}[\w\-]*(?:/[\w.\-]*)+$")  # seeds/, index/clean.py, ../shared/x.py


def test_readme_points_only_to_files_in_the_repository():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", prose)
    paths = [s for s in spans if PATH_RE.match(s) and not s.startswith("/")]  # "/ask" is a slash command
    links = [t for t in re.findall(r"\]\(([^)\s]+)\)", prose) if "://" not in t and not t.startswith("#")]
    assert paths, "the check found no path at all"
    for path in paths + links:
        assert not path.startswith(".."), path
        assert (ROOT / path).exists(), f"README points to {path}, which is not in the repository"
