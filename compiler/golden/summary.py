"""The terminal summary of a golden comparison (plain lines, no colours)."""

from __future__ import annotations

from compiler.golden.model import GoldenReport

__all__ = ["summary_lines"]


def summary_lines(report: GoldenReport, *, updated: bool = False) -> list[str]:
    """Lines saying which entities were added, removed, renamed or changed, and how.

    Args:
        report: The comparison.
        updated: True when the goldens were just rewritten from the bundle.

    Returns:
        One headline, then per entity one line and one indented line per change.
    """
    if not report.has_changes:
        return [f"goldens: {len(report.unchanged)} entities match {report.golden_dir}"]
    verb = "updated from" if updated else "differ from"
    counts = (
        f"{len(report.changed)} changed, {len(report.added)} added, "
        f"{len(report.removed)} removed, {len(report.renamed)} renamed, "
        f"{len(report.unchanged)} unchanged"
    )
    lines = [f"goldens: {report.golden_dir} {verb} the bundle: {counts}"]
    if report.breaking:
        lines.append(f"goldens: {len(report.breaking)} entities have BREAKING changes")
    for entity in report.entities:
        flag = " BREAKING" if entity.breaking else ""
        origin = f" (from {entity.renamed_from})" if entity.renamed_from else ""
        lines.append(f"  {entity.status.value} {entity.kind} {entity.name}{origin}{flag}")
        for change in entity.changes:
            mark = "!" if change.breaking else "-"
            lines.append(f"    {mark} {change.category.value}: {change.summary}")
    return lines
