"""The terminal summary of a golden comparison (plain lines, no colours).

Breaking entities come first; a change made identically to several entities is printed once,
as a group listing them (``image: a -> b in 42 tasks``), and left out of the entities' own
lines. The last lines say how to accept the changes.
"""

from __future__ import annotations

from compiler.golden.accept import accept_snippet
from compiler.golden.grouping import grouped_keys
from compiler.golden.model import GoldenReport

__all__ = ["summary_lines"]

#: Entity names listed in a group's line before "and N more".
GROUP_NAMES = 5


def summary_lines(report: GoldenReport, *, updated: bool = False) -> list[str]:
    """Lines saying which entities were added, removed, renamed or changed, and how.

    Args:
        report: The comparison.
        updated: True when the goldens were just rewritten from the bundle.

    Returns:
        One headline, the shared changes, then per entity one line and one indented line per
        change of its own, and finally how to accept the changes.
    """
    if not report.has_changes:
        return [f"goldens: {len(report.unchanged)} entities match {report.golden_dir}"]
    verb = "updated from" if updated else "differ from"
    counts = (
        f"{len(report.changed)} changed, {len(report.added)} added, "
        f"{len(report.removed)} removed, {len(report.renamed)} renamed, "
        f"{len(report.unchanged)} unchanged"
    )
    lines = [f"goldens: {report.golden_dir} {verb} {report.new_label}: {counts}"]
    if report.breaking:
        lines.append(f"goldens: {len(report.breaking)} entities have BREAKING changes")
    if report.accepted:
        lines.append(f"goldens: {len(report.accepted)} entities have accepted breaking changes")
    for group in report.groups:
        names = ", ".join(group.entities[:GROUP_NAMES])
        if len(group.entities) > GROUP_NAMES:
            names += f" and {len(group.entities) - GROUP_NAMES} more"
        lines.append(f"  {_mark(group)} {group.category.value}: {group.summary} in {group.noun}")
        lines.append(f"      {names}")
    shared = grouped_keys(report.entities)
    for entity in report.ordered:
        flag = {"breaking": " BREAKING", "accepted": " (breaking, accepted)"}.get(entity.flag, "")
        origin = f" (from {entity.renamed_from})" if entity.renamed_from else ""
        lines.append(f"  {entity.status.value} {entity.kind} {entity.name}{origin}{flag}")
        for change in entity.changes:
            if (change.category, change.impact, change.summary) in shared:
                continue
            lines.append(f"    {_mark(change)} {change.category.value}: {_text(change)}")
        if entity.affects:
            lines.append(f"    affects: {', '.join(entity.affects)}")
    return lines + _accept_lines(report, updated=updated)


def _mark(change: object) -> str:
    if getattr(change, "breaking", False):
        return "!"
    return "~" if getattr(change, "accepted", False) else "-"


def _text(change: object) -> str:
    text = str(getattr(change, "summary", ""))
    if getattr(change, "behavioural", False):
        text += " (behavioural)"
    if getattr(change, "accepted", False):
        text += " [accepted]"
    return text


def _accept_lines(report: GoldenReport, *, updated: bool) -> list[str]:
    lines = []
    if report.accept_command and not updated:
        lines.append(f"goldens: to accept these changes, run: {report.accept_command}")
    snippet = accept_snippet(report.entities)
    if snippet:
        lines.append("goldens: to accept the breaking changes, add to compile-tasks.yaml:")
        lines.extend("  " + line for line in snippet.splitlines())
    return lines
