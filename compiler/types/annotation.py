"""``FlyteAnnotation``: arbitrary metadata attached to a type with ``typing.Annotated``."""

from __future__ import annotations

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
