"""``FlyteAnnotation``: arbitrary metadata attached to a type with ``typing.Annotated``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["FlyteAnnotation"]


@dataclass
class FlyteAnnotation:
    """Metadata written into the literal type's ``annotation`` (a JSON-compatible dict).

    ``Annotated[int, FlyteAnnotation({"min": 1})]`` gives
    ``{"simple": "INTEGER", "annotation": {"annotations": {"min": 1.0}}}``.

    Args:
        data: The annotation; values must be JSON-compatible (ints become floats on the wire).
    """

    data: dict[str, Any]

    def __hash__(self) -> int:
        # Hashable so that hints holding it (Optional[Annotated[int, FlyteAnnotation(...)]])
        # can be built on Python 3.11, whose Union deduplication hashes its arguments, and can
        # be memoised by the engine. Do not mutate ``data`` after use in a hint.
        return hash(json.dumps(self.data, sort_keys=True, default=repr))
