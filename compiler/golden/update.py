"""Rewriting a golden directory from a compiled bundle, atomically.

The new golden directory is built completely in a temporary sibling directory, then swapped in
with two renames; on any error before the swap the old goldens are untouched and the temporary
directory is removed. Updating is refused when the caller says it runs under CI: CI checks
goldens, it never writes them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from compiler.errors import GoldenError
from compiler.golden.check import compare
from compiler.golden.layout import (
    CHECKSUMS_FILE,
    GoldenSet,
    format_checksums,
    read_bundle,
    read_golden_dir,
)
from compiler.golden.model import GoldenReport

__all__ = ["update_goldens", "write_golden_dir"]


def update_goldens(bundle_dir: Path, golden_dir: Path, *, ci: bool) -> GoldenReport:
    """Make ``golden_dir`` mirror the bundle; return what changed (computed before writing).

    Args:
        bundle_dir: The compiled bundle (``*.pb`` and ``yaml/``).
        golden_dir: The golden directory; created when missing (its parent must exist).
        ci: True when running under CI (the CLI reads the ``CI`` variable); refuses to write.

    Raises:
        GoldenError: CT603 under CI; layout errors of the bundle or existing goldens.
    """
    if ci:
        raise GoldenError(
            "refusing to update goldens under CI (the CI environment variable is set)",
            code="CT603",
            hint="run the update locally and commit the golden files; CI only checks them",
        )
    bundle = read_bundle(bundle_dir)
    if golden_dir.exists() or golden_dir.is_symlink():
        golden = read_golden_dir(golden_dir)
    else:
        golden = GoldenSet(entities={}, checksums={})
    report = compare(golden, bundle, str(golden_dir))
    if report.has_changes or not golden_dir.is_dir():
        write_golden_dir(bundle, golden_dir)
    return report


def write_golden_dir(bundle: GoldenSet, golden_dir: Path) -> None:
    """Replace ``golden_dir`` by the renderings and checksums of ``bundle`` (atomic swap)."""
    if golden_dir.is_symlink():
        raise GoldenError(
            f"'{golden_dir}' is a symbolic link",
            code="CT612",
            hint="point --golden at the real directory; an update replaces the directory",
        )
    parent = golden_dir.parent
    if not parent.is_dir():
        raise GoldenError(
            f"cannot create '{golden_dir}': its parent directory does not exist",
            code="CT604",
            hint=f"create '{parent}' first",
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{golden_dir.name}.new-", dir=parent))
    # mkdtemp makes a private (0700) directory; keep the mode the goldens had, or a normal one.
    mode = golden_dir.stat().st_mode & 0o777 if golden_dir.is_dir() else 0o755
    try:
        staging.chmod(mode)
        for stem, entity in bundle.entities.items():
            _write(staging / f"{stem}.yaml", entity.text)
        _write(staging / CHECKSUMS_FILE, format_checksums(bundle.checksums))
        _swap(staging, golden_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _swap(staging: Path, golden_dir: Path) -> None:
    if not golden_dir.exists():
        os.replace(staging, golden_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{golden_dir.name}.old-", dir=golden_dir.parent))
    retired.rmdir()
    os.replace(golden_dir, retired)
    try:
        os.replace(staging, golden_dir)
    except OSError:
        os.replace(retired, golden_dir)
        raise
    shutil.rmtree(retired)
