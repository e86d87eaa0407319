"""Docstring parsing with ``docstring_parser`` (WIRE-FORMAT 10 and 14).

This module imports ``docstring_parser`` at top level and is itself loaded only on first use
(see :func:`compiler.sdk.interface.load_docstring_module`), so ``import compiler`` stays fast and
decorating a function never parses its docstring.

The result must be exactly what ``docstring_parser.parse(doc)`` gives (flytekit makes the same
call): automatic style detection runs the reST, Google, NumPy and Epydoc parsers and keeps the
result with the most entries, the earliest of them on a tie. Two shortcuts keep it cheap:

* a docstring in which no parser can find an entry (see :func:`_has_markers`) goes to the
  reST parser alone: all four results then have no entries, and reST comes first;
* results are memoised by docstring text (parsing is a pure function of the text).

``tests/sdk/test_docstring_perf_equiv.py`` checks both against ``docstring_parser.parse``.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from dataclasses import field

import docstring_parser

from compiler.installed import distribution_version
from compiler.memo import cached
from compiler.records import frozen_record

__all__ = ["ParsedDocstring", "compile_patterns", "describe_outputs", "parse_docstring"]

#: ``docstring_parser`` releases whose grammars were checked for :func:`_has_markers` (an
#: entry needs ``:`` (reST fields, Google titles, NumPy ``.. deprecated::``), ``@`` (Epydoc
#: fields) or a dash underline (NumPy titles, at least four dashes)). Other releases always
#: take the full parse.
_CHECKED_RELEASES = ("0.16", "0.17", "0.18")


def _release() -> str:
    version = distribution_version("docstring_parser")
    if version is None:  # an install layout the cheap lookup does not read
        import importlib.metadata  # 20-30 ms: only when needed

        try:
            version = importlib.metadata.version("docstring_parser")
        except importlib.metadata.PackageNotFoundError:
            return ""
    return ".".join(version.split(".")[:2])


_SHORTCUT = _release() in _CHECKED_RELEASES


@frozen_record
class ParsedDocstring:
    """What the compiler takes from a docstring.

    Results are shared between tasks with the same docstring text, so ``params`` is read-only.

    Attributes:
        short_description: The first line, or ``None``.
        long_description: The text after the first line up to the first section, or ``None``.
        params: Parameter name -> text (``""`` when documented without text).
        returns: ``(name or None, text)`` of each return entry, in order.
    """

    short_description: str | None = None
    long_description: str | None = None
    params: Mapping[str, str] = field(default_factory=lambda: types.MappingProxyType({}))
    returns: tuple[tuple[str | None, str], ...] = ()


def _has_markers(doc: str) -> bool:
    """Whether any of the four styles could find an entry (or fail) in ``doc``.

    Conservative: every reST field and Google section title holds ``:``, every Epydoc field
    starts with ``@``, every NumPy section title is underlined with dashes (the deprecation
    directive holds ``::``). Without any of them each parser returns its description only.
    """
    return ":" in doc or "@" in doc or "--" in doc


#: What an absent or empty docstring parses to (immutable, so one object serves every task).
_NOTHING = ParsedDocstring()


def parse_docstring(doc: str | None) -> ParsedDocstring:
    """Parse ``doc`` with automatic style detection (reST, Google, NumPy, Epydoc)."""
    if not doc:
        return _NOTHING
    if type(doc) is str:
        return _parse_text(doc)
    return _parse(doc)  # a ``__doc__`` set to something else: as before, no memo


@cached("sdk.docstring", maxsize=2048)
def _parse_text(doc: str) -> ParsedDocstring:
    return _parse(doc)


def _parse(doc: str) -> ParsedDocstring:
    if _SHORTCUT and isinstance(doc, str) and not _has_markers(doc):
        parsed = docstring_parser.parse(doc, style=docstring_parser.DocstringStyle.REST)
    else:
        parsed = docstring_parser.parse(doc)
    return ParsedDocstring(
        short_description=parsed.short_description,
        long_description=parsed.long_description,
        params=types.MappingProxyType({p.arg_name: p.description or "" for p in parsed.params}),
        returns=tuple((r.return_name, r.description or "") for r in parsed.many_returns),
    )


#: One docstring with an entry for each style's parser: parsing it compiles their patterns.
_EVERY_STYLE = """Summary.

Longer text.

:param a: reST.
@param b: Epydoc.

Args:
    c: Google.

Parameters
----------
d : int
    NumPy.
"""


def compile_patterns() -> None:
    """Have ``docstring_parser`` compile its regular expressions now (``re`` keeps them).

    The first docstring with entries that a process parses compiles the patterns of all four
    styles, about 2 ms. The parallel compile calls this before it forks its workers, which
    then share them instead of each compiling them again. Nothing is memoised.
    """
    _parse(_EVERY_STYLE)


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
