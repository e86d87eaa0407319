"""Which classes are dataframes (converted through dataset encoders and decoders).

Kept apart from :mod:`compiler.types.structured` so that describing a hint at compile time
loads neither that registry nor pandas or pyarrow: the built-in dataframe classes are known by
name, and classes a plugin registered handlers for are asked of the registry only once it has
been imported (registering imports it).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["BUILTIN_FRAMES", "frame_key", "is_dataframe_type"]

#: (top-level package, class name) of the dataframe classes the built-in handlers know -> the
#: handler group that converts them (see ``HANDLER_GROUPS`` in :mod:`compiler.types.structured`).
BUILTIN_FRAMES: dict[tuple[str, str], str] = {
    ("pandas", "DataFrame"): "dataframe",
    ("pyarrow", "Table"): "dataframe",
    ("polars", "DataFrame"): "polars",
    ("polars", "LazyFrame"): "polars",
}


def frame_key(cls: type) -> tuple[str, str]:
    """(top-level package, class name) of a class: how built-in dataframes are recognised."""
    return (cls.__module__.partition(".")[0], cls.__name__)


def is_dataframe_type(hint: Any) -> bool:
    """Whether ``hint`` is a class that converts through dataset encoders and decoders."""
    if not isinstance(hint, type):
        return False
    registry = sys.modules.get("compiler.types.structured")
    registered = registry.StructuredDatasetTransformerEngine.registered_types() if registry else ()
    return any(k in registered or frame_key(k) in BUILTIN_FRAMES for k in hint.__mro__)
