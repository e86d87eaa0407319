"""A workflow graph as a Mermaid ``flowchart`` (the Markdown report's picture).

Node ids are generated (``N0``, ``N1``, ...) so that no entity name can break the syntax;
labels are quoted with ``"`` replaced by ``#quot;``. Added, removed and changed nodes get the
classes ``added``, ``removed`` and ``changed`` (green, red dashed, amber); removed edges are
dotted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compiler.golden.dag import Dag

__all__ = ["mermaid_text"]

_MARK = {"added": "+ ", "removed": "- ", "changed": "~ "}
_CLASSES = (
    "classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "classDef removed fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:4 3",
    "classDef changed fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
)


def _quote(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def mermaid_text(dag: Dag) -> str:
    """``flowchart TD`` lines for ``dag``."""
    ids = {node.id: f"N{i}" for i, node in enumerate(dag.nodes)}
    lines = ["flowchart TD"]
    for node in dag.nodes:
        ident = ids[node.id]
        if node.status in ("start", "end"):
            lines.append(f'  {ident}(("{node.id}"))')
            continue
        label = _MARK.get(node.status, "") + node.label
        if node.runs:
            label += f"<br/><small>{node.runs}</small>"
        cls = f":::{node.status}" if node.status in _MARK else ""
        lines.append(f'  {ident}["{_quote(label)}"]{cls}')
    for edge in dag.edges:
        arrow = "-.->" if edge.status == "removed" else "-->"
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
    lines.extend(f"  {line}" for line in _CLASSES)
    return "\n".join(lines)
