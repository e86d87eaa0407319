"""``--against GIT_REF``: the package as it is at a git revision, in a temporary worktree.

:func:`compare_against` compiles the package there and compares the new bundle with it;
:func:`worktree_at` checks out the revision with ``git worktree add --detach`` into a fresh
temporary folder (never touching the user's checkout, index or branches), yields it, and
removes it again, also when compiling there fails or the run is interrupted. Paths of the
checkout are moved into the worktree with :meth:`RefTree.move`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.errors import CompileTasksError, GoldenError, GoldenUsageError
from compiler.records import frozen_record

if TYPE_CHECKING:
    from compiler.golden import AcceptedChange, GoldenReport

__all__ = ["Recompile", "RefTree", "compare_against", "worktree_at"]

#: ``recompile(move, dest)``: compile the same paths and settings, each path passed through
#: ``move`` (into a worktree), into the bundle folder ``dest``.
Recompile = Callable[[Callable[[str], str], Path], object]

#: Seconds one git command may take (a worktree checkout of a large repository included).
GIT_TIMEOUT = 300


@frozen_record
class RefTree:
    """A checked-out revision: the repository's top folder, the worktree and the commit."""

    ref: str
    commit: str
    toplevel: Path
    tree: Path

    def move(self, path: str) -> str:
        """``path`` (in the user's checkout) as the same path inside the worktree.

        Raises:
            GoldenUsageError: CT615 when ``path`` is outside the repository.
        """
        absolute = Path(os.path.abspath(path)).resolve()
        try:
            relative = absolute.relative_to(self.toplevel)
        except ValueError:
            raise GoldenUsageError(
                f"'{path}' is outside the git repository {self.toplevel}",
                code="CT615",
                hint="--against compiles paths of the repository the command runs in",
            ) from None
        return str(self.tree / relative)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )


def _toplevel(cwd: Path) -> Path:
    if shutil.which("git") is None:
        raise GoldenUsageError(
            "--against needs git, which is not installed",
            code="CT608",
            hint="install git, or compare two bundles with compile-tasks diff OLD NEW",
        )
    result = _git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise GoldenUsageError(
            f"--against needs a git repository, and '{cwd}' is not in one",
            code="CT608",
            hint="run the command inside the repository's checkout, or compare two bundles "
            "with compile-tasks diff OLD NEW",
        )
    return Path(result.stdout.strip()).resolve()


def _commit(ref: str, toplevel: Path) -> str:
    result = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], toplevel
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise GoldenUsageError(
            f"--against {ref!r}: no such commit, branch or tag in {toplevel}",
            code="CT609",
            hint="pass a branch, tag or commit that 'git rev-parse' knows (fetch it first in a "
            "shallow CI clone: git fetch origin main --depth=1)",
        )
    return result.stdout.strip()


@contextmanager
def worktree_at(ref: str, cwd: Path) -> Iterator[RefTree]:
    """Check ``ref`` out in a temporary worktree; remove it afterwards, whatever happens.

    Raises:
        GoldenUsageError: CT608 outside a git repository (or without git), CT609 for an
            unknown ref.
        GoldenError: CT616 when git cannot create the worktree.
    """
    toplevel = _toplevel(cwd)
    commit = _commit(ref, toplevel)
    holder = Path(tempfile.mkdtemp(prefix="compile-tasks-against-"))
    tree = holder / "tree"
    try:
        added = _git(["worktree", "add", "--detach", "--quiet", str(tree), commit], toplevel)
        if added.returncode != 0:
            raise GoldenError(
                f"git cannot check out {ref!r} in a temporary worktree: "
                f"{added.stderr.strip().splitlines()[-1] if added.stderr.strip() else 'failed'}",
                code="CT616",
                hint="check that the repository is not locked and the disk is not full",
            )
        yield RefTree(ref, commit, toplevel, tree)
    finally:
        if tree.exists():
            _git(["worktree", "remove", "--force", str(tree)], toplevel)
        shutil.rmtree(holder, ignore_errors=True)
        _git(["worktree", "prune"], toplevel)


def compare_against(
    bundle_dir: Path,
    ref: str,
    recompile: Recompile | None,
    accepted: Sequence[AcceptedChange],
) -> GoldenReport:
    """Compile the package at ``ref`` in a temporary worktree and compare the bundle with it.

    Raises:
        GoldenError: CT608/CT609/CT615/CT616 from :func:`worktree_at`, CT617 when the package
            does not compile at ``ref``.
    """
    from compiler.golden import compare, read_bundle

    if recompile is None:
        raise GoldenError("--against cannot recompile here", code="CT616", hint="report this")
    with worktree_at(ref, Path.cwd()) as tree, tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "bundle"
        _compile_at(tree, recompile, baseline)
        label = f"{ref} ({tree.commit[:12]})"
        return compare(
            read_bundle(baseline),
            read_bundle(bundle_dir),
            label,
            accepted=accepted,
            new_label="the working tree",
            old_title=ref,
            new_title="working tree",
        )


def _compile_at(tree: RefTree, recompile: Recompile, out: Path) -> None:
    from compiler.cli.output import flatten_errors

    try:
        recompile(tree.move, out)
    except CompileTasksError as exc:
        first = flatten_errors(exc)[0]
        text = first.render().replace(str(tree.tree) + os.sep, "")
        raise GoldenError(
            f"the package does not compile at {tree.ref}: {text}",
            code="CT617",
            hint="compare with a revision that compiles, or fix it there first",
        ) from exc
