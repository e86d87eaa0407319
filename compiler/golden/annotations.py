"""GitHub workflow commands for a comparison and for compile errors (``--annotations github``).

Each breaking change becomes ``::error file=F,line=L,title=T::message`` at the entity's
declaration (``file:line`` from the bundle manifest or the rendering's ``source`` fact); an
accepted breaking change a ``::notice``; with ``--check``, every other changed entity a
``::warning``. GitHub shows them on the pull request's changed lines. Property values and
messages are escaped as GitHub requires (``%``, CR, LF; and ``:``/``,`` in properties).
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.golden.model import EntityDiff, GoldenReport

__all__ = ["github_annotations", "workflow_command"]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    level: str, message: str, *, file: str | None = None, line: int | None = None, title: str = ""
) -> str:
    """One ``::level file=...,line=...,title=...::message`` line (absent properties left out)."""
    props = []
    if file:
        props.append(f"file={_property(file)}")
        if line:
            props.append(f"line={line}")
    if title:
        props.append(f"title={_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_data(message)}"


def split_source(source: str | None) -> tuple[str | None, int | None]:
    """``("pkg/mod.py", 41)`` from ``pkg/mod.py:41``; no line when the source has none."""
    if not source:
        return None, None
    file, sep, line = source.rpartition(":")
    if sep and line.isdigit():
        return file, int(line)
    return source, None


def github_annotations(report: GoldenReport, *, check: bool = False) -> Iterator[str]:
    """The workflow commands of ``report``: breaking first, then accepted, then the rest."""
    for entity in report.ordered:
        yield from _entity_commands(entity, check=check)


def _entity_commands(entity: EntityDiff, *, check: bool) -> Iterator[str]:
    file, line = split_source(entity.source)
    affects = f" (affects {', '.join(entity.affects)})" if entity.affects else ""
    shown = False
    for change in entity.changes:
        if change.impact.value != "breaking":
            continue
        level = "notice" if change.accepted else "error"
        state = "accepted breaking change" if change.accepted else "breaking change"
        title = f"{state}: {change.rule or change.category.value}"
        message = f"{entity.kind} {entity.name}: {change.summary}{affects}"
        yield workflow_command(level, message, file=file, line=line, title=title)
        shown = True
    if check and not shown:
        summary = "; ".join(c.summary for c in entity.changes[:3])
        message = f"{entity.kind} {entity.name} differs from the goldens: {summary}"
        yield workflow_command(
            "warning", message, file=file, line=line, title=f"{entity.kind} {entity.status.value}"
        )
