"""The plain data of the JSON report (``--report x.json`` and ``compile-tasks diff --json``).

Keys are written in a fixed order; ``format_version`` (:data:`REPORT_FORMAT_VERSION`) comes
first and is raised whenever a key changes meaning or disappears.
"""

from __future__ import annotations

from typing import Any

from compiler.golden.model import REPORT_FORMAT_VERSION, EntityDiff, GoldenReport

__all__ = ["report_json"]


def report_json(report: GoldenReport) -> dict[str, Any]:
    """The JSON document of ``report``: summary, shared-change groups, entities breaking first."""
    return {
        "format_version": REPORT_FORMAT_VERSION,
        "golden_dir": report.golden_dir,
        "old": report.golden_dir,
        "new": report.new_label,
        "summary": {
            "added": len(report.added),
            "removed": len(report.removed),
            "renamed": len(report.renamed),
            "changed": len(report.changed),
            "unchanged": len(report.unchanged),
            "breaking": len(report.breaking),
            "accepted": len(report.accepted),
        },
        "groups": [
            {
                "category": g.category.value,
                "impact": g.impact.value,
                "summary": g.summary,
                "accepted": g.accepted,
                "entities": list(g.entities),
            }
            for g in report.groups
        ],
        "entities": [_entity_json(e) for e in report.ordered],
        "accept_command": report.accept_command,
    }


def _entity_json(entity: EntityDiff) -> dict[str, Any]:
    return {
        "name": entity.name,
        "kind": entity.kind,
        "file": f"{entity.stem}.yaml",
        "source": entity.source,
        "status": entity.status.value,
        "renamed_from": entity.renamed_from,
        "breaking": entity.breaking,
        "accepted": entity.accepted,
        "impact": entity.impact.value,
        "affects": list(entity.affects),
        "changes": [
            {
                "category": c.category.value,
                "impact": c.impact.value,
                "rule": c.rule or None,
                "behavioural": c.behavioural,
                "accepted": c.accepted,
                "summary": c.summary,
                "paths": list(c.paths),
            }
            for c in entity.changes
        ],
        "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in entity.fields],
        "diff": entity.unified_diff,
    }
