"""``rendering_key(facts)``: what a rendering depends on besides the message, as one digest.

A rendering is a pure function of the message bytes, the facts and the renderer's own code.
The key digests the last two (the facts in canonical JSON, the source of ``compiler.render``
and the compiler version), so that a recompile can reuse a rendering from the previous bundle
when both the ``.pb`` sha256 and this key are unchanged (``compiler.bundle.reuse``). Hashing
the renderer's source, not only the version, keeps an editable install honest: changing the
renderer changes every key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from compiler._version import __version__
from compiler.memo import cached
from compiler.render.facts import normalize_facts

__all__ = ["renderer_digest", "rendering_key"]


@cached("render.renderer_digest", maxsize=None)
def renderer_digest() -> bytes:
    """sha256 of the compiler version and the source files of this package (sorted)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def rendering_key(facts: Mapping[str, Any] | None) -> str:
    """The hex digest of the renderer and the canonical form of ``facts``."""
    plain = json.dumps(normalize_facts(facts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(renderer_digest() + plain.encode("utf-8", "surrogatepass")).hexdigest()
