"""Golden files of compiled bundles: check, semantic diff, update and reports.

``check_bundle(bundle_dir, golden_dir)`` compares a bundle with its goldens and returns a
:class:`GoldenReport`; ``update_goldens(bundle_dir, golden_dir, ci=...)`` rewrites the goldens;
``write_report(report, path)`` renders Markdown, HTML or JSON; ``read_side(path)`` reads a
bundle, archive or golden folder for ``compile-tasks diff``. The layout of a golden directory
is described in :mod:`compiler.golden.layout`.
"""

from compiler.golden.accept import (
    BREAKING_RULES,
    AcceptedChange,
    accept_snippet,
    apply_accepted,
    parse_accepted,
)
from compiler.golden.annotations import github_annotations, workflow_command
from compiler.golden.check import check_bundle, compare
from compiler.golden.dag import Dag, workflow_dag
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
    ChangeGroup,
    EntityDiff,
    EntityStatus,
    FieldChange,
    GoldenReport,
    Impact,
    SideBySideRow,
)
from compiler.golden.report import ReportFormat, render_report, report_format_for, write_report
from compiler.golden.semantic import categorize, semantic_changes
from compiler.golden.sources import read_side
from compiler.golden.summary import summary_lines
from compiler.golden.update import ci_refusal, update_goldens, write_golden_dir

__all__ = [
    "BREAKING_RULES",
    "CHECKSUMS_FILE",
    "REPORT_FORMAT_VERSION",
    "AcceptedChange",
    "Category",
    "Change",
    "ChangeGroup",
    "Dag",
    "EntityDiff",
    "EntityFile",
    "EntityStatus",
    "FieldChange",
    "GoldenReport",
    "GoldenSet",
    "Impact",
    "ReportFormat",
    "SideBySideRow",
    "accept_snippet",
    "apply_accepted",
    "categorize",
    "check_bundle",
    "ci_refusal",
    "compare",
    "github_annotations",
    "parse_accepted",
    "read_bundle",
    "read_golden_dir",
    "read_side",
    "render_report",
    "report_format_for",
    "semantic_changes",
    "summary_lines",
    "update_goldens",
    "workflow_command",
    "workflow_dag",
    "write_golden_dir",
    "write_report",
]
