"""Turning plain data into canonical YAML text and back.

Renderings hold only dicts with string keys, lists, strings, ints, floats, bools and None, so
they are written by a small direct emitter instead of PyYAML's: PyYAML's pure-Python emitter
costs about 5 ms per task (it dominated a 5,000-task compile), and its C emitter is not on every
machine and formats differently, which would make goldens machine-dependent. The output is
byte-identical everywhere: keys in the order given (callers order them), two-space indents, no
anchors or aliases, unicode kept, multi-line strings as literal blocks where that reads back
exactly. A scalar is written plain only when PyYAML's own resolver reads it back as the same
string; anything else is double-quoted with YAML escapes. Reading uses ``yaml.safe_load`` only:
a rendering never needs a Python tag. A hypothesis test checks ``safe_load(dump_yaml(x)) == x``.
"""

from __future__ import annotations

import importlib
import math
import re
from types import ModuleType
from typing import Any, NamedTuple

from compiler.memo import cached

__all__ = ["SharedMapping", "dump_yaml", "load_yaml"]

_INDENT = "  "
_STR_TAG = "tag:yaml.org,2002:str"

# A conservative set of characters for plain scalars; a leading ``-`` only when no space or
# third dash follows (``--inputs`` is plain, ``- x`` and ``---`` are not).
_PLAIN_CHARS = r"^(?:[A-Za-z0-9_/(]|-(?=[^\s-])|--(?=[^\s-]))[-A-Za-z0-9_./()+=@,$%^*' :]*\Z"

# Not YAML-printable (1.1 section 5.1), or a line break YAML normalises, or a BOM: escaped.
_NEEDS_ESCAPE = (
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


class _Patterns(NamedTuple):
    plain_chars: re.Pattern[str]
    needs_escape: re.Pattern[str]
    quoted_specials: re.Pattern[str]


@cached("render.yaml_patterns", maxsize=None)
def _patterns() -> _Patterns:
    """The compiled patterns, on first use: compiling the escape classes (all of Unicode in
    ranges) took about 5 ms of every start-up, also for compiles that render nothing."""
    return _Patterns(
        re.compile(_PLAIN_CHARS),
        re.compile(_NEEDS_ESCAPE),
        re.compile('["\\\\\t\n]|' + _NEEDS_ESCAPE),
    )


_ESCAPES = {
    "\0": "\\0",
    "\x07": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _double_quoted(text: str) -> str:
    return '"' + _patterns().quoted_specials.sub(_escape_char, text) + '"'


@cached("render.yaml_module", maxsize=None)
def _yaml() -> ModuleType:
    """PyYAML, imported on first use: a compile that renders nothing (no ``--render``, no
    golden option) never needs it, and importing it is a tenth of the CLI's start-up."""
    return importlib.import_module("yaml")


@cached("render.yaml_resolver", maxsize=None)
def _resolver() -> Any:
    return _yaml().resolver.Resolver()


def _resolves_as_str(text: str) -> bool:
    """Whether PyYAML's resolver reads the plain scalar ``text`` back as a string."""
    return _resolver().resolve(_yaml().ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-any-return]


@cached("render.yaml_scalar", maxsize=8192)
def _scalar_str(text: str) -> str:
    """A string as a one-line YAML scalar: plain when that reads back as the same string."""
    if (
        text
        and _patterns().plain_chars.match(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and _resolves_as_str(text)
    ):
        return text
    if "\n" in text or _patterns().needs_escape.search(text):
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def _block_literal(text: str) -> str | None:
    """The header and lines of a literal block for ``text``, or None if it must be quoted."""
    if _patterns().needs_escape.search(text) or "\t" in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    if trailing > 1 or not body:
        return None
    lines = body.split("\n")
    first = next(line for line in lines if line)
    if first.startswith(" ") or any(line != line.rstrip(" ") for line in lines):
        return None
    return "|" if trailing == 1 else "|-"


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text and "e" in text:
        # YAML 1.1 (PyYAML's resolver) needs a dot in a float with an exponent.
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _scalar(value: Any) -> str | None:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str) and "\n" not in value:
        return _scalar_str(value)
    return None


class SharedMapping(dict):  # type: ignore[type-arg]
    """A mapping shared between renderings (e.g. one literal type used by many tasks).

    The emitter memoises its text per indentation by identity, so it must never be mutated.
    """


_SHARED_TEXT: dict[tuple[int, str], tuple[SharedMapping, str]] = {}
_SHARED_LIMIT = 16384


def _emit_shared(value: SharedMapping, indent: str, out: list[str]) -> None:
    key = (id(value), indent)
    cached = _SHARED_TEXT.get(key)
    if cached is None or cached[0] is not value:
        part: list[str] = []
        _emit_mapping(value, indent + _INDENT, part)
        if len(_SHARED_TEXT) >= _SHARED_LIMIT:
            _SHARED_TEXT.clear()
        cached = _SHARED_TEXT[key] = (value, "".join(part))
    out.append("\n")
    out.append(cached[1])


def _emit_value(value: Any, indent: str, out: list[str]) -> None:
    """Append what follows ``key:`` (or ``-``) for ``value``, starting on the current line."""
    scalar = _scalar(value)
    if scalar is not None:
        out.append(" " + scalar + "\n")
    elif isinstance(value, str):
        header = _block_literal(value)
        if header is None:
            out.append(" " + _double_quoted(value) + "\n")
        else:
            out.append(" " + header + "\n")
            child = indent + _INDENT
            for line in value.rstrip("\n").split("\n"):
                out.append(child + line + "\n" if line else "\n")
    elif isinstance(value, dict):
        if not value:
            out.append(" {}\n")
        elif type(value) is SharedMapping:
            _emit_shared(value, indent, out)
        else:
            out.append("\n")
            _emit_mapping(value, indent + _INDENT, out)
    elif isinstance(value, list | tuple):
        if not value:
            out.append(" []\n")
        else:
            out.append("\n")
            _emit_sequence(value, indent + _INDENT, out)
    else:
        raise TypeError(f"cannot render {type(value).__name__} as canonical YAML")


def _emit_mapping(mapping: dict[str, Any], indent: str, out: list[str], first: str = "") -> None:
    prefix = first or indent
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise TypeError(f"canonical YAML keys are strings, not {type(key).__name__}")
        out.append(prefix + _scalar_str(key) + ":")
        _emit_value(value, indent, out)
        prefix = indent


def _emit_sequence(items: list[Any] | tuple[Any, ...], indent: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item:
            _emit_mapping(item, indent + _INDENT, out, first=indent + "- ")
        else:
            out.append(indent + "-")
            _emit_value(item, indent, out)


def dump_yaml(data: Any) -> str:
    """Canonical YAML for plain data: keys in insertion order, 2-space indents, no aliases."""
    out: list[str] = []
    if isinstance(data, dict) and data:
        _emit_mapping(data, "", out)
    elif isinstance(data, list | tuple) and data:
        _emit_sequence(data, "", out)
    else:
        _emit_value(data, "", out)
        out[0] = out[0].lstrip(" ")
    return "".join(out)


def load_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader (no Python tags, no arbitrary objects).

    libyaml's safe loader is used when PyYAML was built with it (ten times faster; same
    results).
    """
    yaml = _yaml()
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
