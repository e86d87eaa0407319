"""Golden files of compiled bundles: check, semantic diff, update and reports.

``check_bundle(bundle_dir, golden_dir)`` compares a bundle with its goldens and returns a
:class:`GoldenReport`; ``update_goldens(bundle_dir, golden_dir, ci=...)`` rewrites the goldens;
``write_report(report, path)`` renders Markdown, HTML or JSON. The layout of a golden directory
is described in :mod:`compiler.golden.layout`.
"""

from compiler.golden.check import check_bundle, compare
from compiler.golden.layout import (
    CHECKSUMS_FILE,
    EntityFile,
    GoldenSet,
    read_bundle,
    read_golden_dir,
)
from compiler.golden.model import (
    REPORT_FORMAT_VERSION,
    Category,
    Change,
    EntityDiff,
    EntityStatus,
    FieldChange,
    GoldenReport,
    Impact,
    SideBySideRow,
)
from compiler.golden.report import ReportFormat, render_report, report_format_for, write_report
from compiler.golden.semantic import categorize, semantic_changes
from compiler.golden.summary import summary_lines
from compiler.golden.update import ci_refusal, update_goldens, write_golden_dir

__all__ = [
    "CHECKSUMS_FILE",
    "REPORT_FORMAT_VERSION",
    "Category",
    "Change",
    "EntityDiff",
    "EntityFile",
    "EntityStatus",
    "FieldChange",
    "GoldenReport",
    "GoldenSet",
    "Impact",
    "ReportFormat",
    "SideBySideRow",
    "categorize",
    "check_bundle",
    "ci_refusal",
    "compare",
    "read_bundle",
    "read_golden_dir",
    "render_report",
    "report_format_for",
    "semantic_changes",
    "summary_lines",
    "update_goldens",
    "write_golden_dir",
    "write_report",
]
