"""Docstring parsing with ``docstring_parser`` (WIRE-FORMAT 10 and 14).

This module imports ``docstring_parser`` at top level and is itself loaded only on first use
(see :func:`compiler.sdk.interface.load_docstring_module`), so ``import compiler`` stays fast and
decorating a function never parses its docstring.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import docstring_parser

__all__ = ["ParsedDocstring", "describe_outputs", "parse_docstring"]


@dataclass(frozen=True)
class ParsedDocstring:
    """What the compiler takes from a docstring.

    Attributes:
        short_description: The first line, or ``None``.
        long_description: The text after the first line up to the first section, or ``None``.
        params: Parameter name -> text (``""`` when documented without text).
        returns: ``(name or None, text)`` of each return entry, in order.
    """

    short_description: str | None = None
    long_description: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    returns: tuple[tuple[str | None, str], ...] = ()


def parse_docstring(doc: str | None) -> ParsedDocstring:
    """Parse ``doc`` with automatic style detection (reST, Google, NumPy, Epydoc)."""
    if not doc:
        return ParsedDocstring()
    parsed = docstring_parser.parse(doc)
    return ParsedDocstring(
        short_description=parsed.short_description,
        long_description=parsed.long_description,
        params={p.arg_name: p.description or "" for p in parsed.params},
        returns=tuple((r.return_name, r.description or "") for r in parsed.many_returns),
    )


def describe_outputs(parsed: ParsedDocstring, outputs: Iterable[str]) -> dict[str, str]:
    """Output name -> description.

    Return entries are keyed by their name (unnamed entries share one key, the last text wins,
    as in flytekit). When one key remains, its text describes every output; otherwise outputs
    are matched by name, and an undocumented output is described by its own name.
    """
    names = list(outputs)
    by_key = dict(parsed.returns)
    if len(by_key) == 1:
        return dict.fromkeys(names, next(iter(by_key.values())))
    return {name: by_key.get(name, name) for name in names}
