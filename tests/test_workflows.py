"""The GitHub Actions workflows: both pass actionlint, CI's runs ``.ci/run``, the book's builds with ``make book``
and publishes ``_build/html`` to GitHub Pages.

actionlint comes from requirements.txt (a wheel with the binary, on Linux x86-64); elsewhere the lint test is
skipped with a message, except under CI, where it fails.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.fixture(scope="module")
def actionlint(unavailable) -> str:
    beside = Path(sys.executable).parent / "actionlint"
    exe = str(beside) if beside.exists() else shutil.which("actionlint")
    if exe is None:
        unavailable("actionlint is not installed (requirements.txt installs it on Linux x86-64)")
    return exe


def test_workflows_pass_actionlint(actionlint):
    assert [p.name for p in WORKFLOWS] == ["book.yml", "ci.yml"]
    result = subprocess.run([actionlint, "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(actionlint, tmp_path):
    """The lint is live: a workflow with an undefined input and a job without steps fails it."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ${{ inputs.nope }}\n")
    result = subprocess.run([actionlint, "-no-color", str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and "broken.yml" in result.stdout


def test_ci_workflow_runs_the_ci_script():
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "pull_request" in text and "bash .ci/run" in text


def test_book_workflow_publishes_the_built_site():
    text = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "make book" in text and "path: _build/html" in text and "actions/deploy-pages" in text
    assert "GANCOURSE_BUDGET: ${{ inputs.budget || 'book' }}" in text      # the book's budget unless asked
