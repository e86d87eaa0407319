"""``compile-tasks PKG --against GIT_REF``: compile the package at a revision in a temporary git
worktree and compare; the user's checkout is never touched, and the worktree always goes away."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import REPO

sys.path.insert(0, str(REPO / "tests" / "golden"))
from review_edits import EDITS, IMAGES, edited_examples

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose HEAD holds the examples; the working tree holds the review edits."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("__py*"))
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "base", cwd=root)
    shutil.rmtree(root / "examples")
    edited_examples(REPO / "examples", root)
    return root


def _env(tmp_path: Path) -> dict[str, str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return {"TMPDIR": str(temp)}


def test_against_head_gates_breaking_changes(cli, repo: Path, tmp_path: Path) -> None:
    before = git("status", "--porcelain", cwd=repo)
    result = cli(
        "examples/", *IMAGES, "--against", "main", "--fail-on-breaking", "--report", "r.json",
        cwd=repo, env=_env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[1].startswith("goldens: main (")
    data = json.loads((repo / "r.json").read_text())
    assert data["new"] == "the working tree"
    assert data["summary"]["breaking"] > 0
    assert {e["name"] for e in data["entities"] if e["breaking"]} >= {
        "examples.flows.reports.top_five",
        "examples.orders.ingest.load_orders",
    }
    # the checkout, the index and the worktree list are as they were; no temporary folder left
    assert git("status", "--porcelain", cwd=repo) == before + "?? r.json\n"
    assert len(git("worktree", "list", cwd=repo).splitlines()) == 1
    assert list((tmp_path / "tmp").iterdir()) == []


def test_against_an_equal_revision_exits_0(cli, repo: Path, tmp_path: Path) -> None:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "edits", cwd=repo)
    result = cli("examples/", *IMAGES, "--against", "HEAD", "--check", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "entities match HEAD (" in result.stdout


def test_unknown_ref(cli, repo: Path) -> None:
    result = cli("examples/", *IMAGES, "--against", "no-such-branch", cwd=repo)
    assert result.returncode == 2
    assert "error CT609: --against 'no-such-branch': no such commit, branch or tag" in result.stderr


def test_outside_a_git_repository(cli, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    result = cli("examples/", *IMAGES, "--against", "main", cwd=tmp_path)
    assert result.returncode == 2
    assert "error CT608: --against needs a git repository" in result.stderr


def test_a_revision_that_does_not_compile_is_cleaned_up(cli, repo: Path, tmp_path: Path) -> None:
    broken = repo / "examples" / "orders" / "ingest.py"
    saved = broken.read_text()
    broken.write_text(saved + "\nraise RuntimeError('broken at this revision')\n")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "broken", cwd=repo)
    broken.write_text(saved)
    result = cli("examples/", *IMAGES, "--against", "HEAD", cwd=repo, env=_env(tmp_path))
    assert result.returncode == 3
    assert "error CT617: the package does not compile at HEAD: " in result.stderr
    assert str(tmp_path / "tmp") not in result.stderr  # locations are shown repository-relative
    assert len(git("worktree", "list", cwd=repo).splitlines()) == 1
    assert list((tmp_path / "tmp").iterdir()) == []


def test_against_excludes_golden(cli, repo: Path) -> None:
    result = cli("examples/", *IMAGES, "--against", "main", "--golden", "g", cwd=repo)
    assert result.returncode == 2 and "CT631" in result.stderr


def test_edits_are_many() -> None:
    assert len(EDITS) >= 20  # the pull request touches every kind of entity
