"""The README's list of supported flytekit names, generated from :data:`FLYTEKIT_HOME`.

``python -m compiler.porting --readme README.md`` rewrites the block between the two marker
comments; ``--check`` exits 1 when it is stale (``tests/test_readme_names.py`` runs the check).
"""

from __future__ import annotations

from collections import defaultdict

from compiler.porting.names import FLYTEKIT_HOME, MIRRORED_MODULES, compiler_module

__all__ = ["BEGIN", "END", "render_block", "supported_names_markdown"]

BEGIN = "<!-- flytekit-names:begin (generated: python -m compiler.porting --readme README.md) -->"
END = "<!-- flytekit-names:end -->"


def supported_names_markdown() -> str:
    """A table: each flytekit module, the names it provides that compile-tasks has, and where
    ``compile-tasks port`` imports them from."""
    rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, flytekit_module in FLYTEKIT_HOME.items():
        ours = compiler_module(name, flytekit_module)
        if ours is not None:
            rows[(flytekit_module, ours)].append(name)
    lines = ["| flytekit module | names | compile-tasks module |", "| --- | --- | --- |"]
    for (flytekit_module, ours), names in sorted(rows.items()):
        listed = ", ".join(f"`{n}`" for n in sorted(names, key=str.lower))
        lines.append(f"| `{flytekit_module}` | {listed} | `{ours}` |")
    mirrored = ", ".join(f"`{m}`" for m in sorted(MIRRORED_MODULES))
    lines.append("")
    lines.append(f"Modules imported whole (`from flytekit.models import common`): {mirrored}.")
    return "\n".join(lines)


def render_block(text: str) -> str:
    """``text`` with the block between :data:`BEGIN` and :data:`END` regenerated.

    Raises:
        ValueError: The markers are missing.
    """
    start = text.find(BEGIN)
    end = text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} and {END!r} are missing")
    return f"{text[: start + len(BEGIN)]}\n{supported_names_markdown()}\n{text[end:]}"
