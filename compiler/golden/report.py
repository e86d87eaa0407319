"""Reports of a golden comparison: Markdown, HTML and JSON, rendered from Jinja2 templates.

The templates live in ``templates/`` at the repository root and ship inside the wheel as
``compiler/golden/templates`` (a link in the source tree; ``package-data`` copies the files).
They receive one object, ``report`` (a :class:`GoldenReport`), plus the display limits, and
hold only loops and conditions. ``StrictUndefined`` turns a typo into an error; HTML is
autoescaped.
"""

from __future__ import annotations

import enum
import json
import os
import tempfile
from pathlib import Path

import jinja2

from compiler.errors import GoldenError, GoldenUsageError
from compiler.golden.accept import accept_snippet
from compiler.golden.dag import NODE_H, NODE_W
from compiler.golden.model import GoldenReport

__all__ = ["MARKDOWN_LIMITS", "ReportFormat", "render_report", "report_format_for", "write_report"]

#: How much the Markdown report shows before summarising (a PR comment must stay short), and
#: the HTML report's drawing sizes and how many breaking entities it opens.
MARKDOWN_LIMITS = {
    "entities": 25,
    "changes": 8,
    "groups": 10,
    "group_names": 8,
    "graphs": 5,
    "open_entities": 50,
    "diff_entities": 300,
    "node_w": NODE_W,
    "node_h": NODE_H,
}


class ReportFormat(enum.StrEnum):
    """Report formats, named by their template file."""

    MARKDOWN = "md"
    HTML = "html"
    JSON = "json"


_SUFFIXES = {
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".json": ReportFormat.JSON,
}


def report_format_for(path: Path) -> ReportFormat:
    """The format a report file name asks for (by suffix).

    Raises:
        GoldenError: CT630 for an unknown suffix.
    """
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise GoldenUsageError(
            f"cannot tell the report format of '{path}'",
            code="CT630",
            hint="name the report file *.md, *.html or *.json",
        ) from None


def _environment(fmt: ReportFormat) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("compiler.golden", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=fmt is ReportFormat.HTML,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["to_json"] = _to_json
    env.filters["md_cell"] = _md_cell
    return env


def _md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (a ``|`` would end the cell)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _to_json(value: object) -> str:
    """Plain JSON (not HTML-escaped like Jinja's ``tojson``), keys in the order given."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def render_report(report: GoldenReport, fmt: ReportFormat) -> str:
    """Render ``report`` in ``fmt`` from ``templates/report.<fmt>.j2``."""
    template = _environment(fmt).get_template(f"report.{fmt.value}.j2")
    accept_yaml = accept_snippet(report.entities)
    return template.render(report=report, limits=MARKDOWN_LIMITS, accept_yaml=accept_yaml)


def write_report(report: GoldenReport, path: Path) -> ReportFormat:
    """Render the report in the format its suffix names and write it atomically.

    Missing parent folders are created first (``--report reports/golden.md`` in a fresh
    checkout), as most tools that write a report do.

    Returns:
        The format written.
    """
    fmt = report_format_for(path)
    text = render_report(report, fmt)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise GoldenError(
            f"cannot write the report {str(path)!r}: {exc.strerror or exc}",
            code="CT632",
            hint="pass --report a path in a writable folder",
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return fmt
