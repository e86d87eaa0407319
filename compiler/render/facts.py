"""Facts the protobuf does not carry, normalised to plain, stable YAML data.

The golden rendering of a task carries, next to the message, a few facts that only the compiler
knows: where the task was declared and which inputs have defaults (and their values). The diff
needs them to tell a compatible new input (it has a default) from a breaking one.

Values are reduced to YAML-safe data without anything volatile: no memory addresses, no hash
orders. Unknown objects become ``<module.QualName>``.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["FACTS_KEY", "FACT_ORDER", "normalize_facts", "plain_value"]

#: The top-level key of the facts section in a rendering.
FACTS_KEY = "compile_tasks"

#: Known fact keys, in the order they are shown. Other keys follow, sorted.
FACT_ORDER: tuple[str, ...] = ("source", "module", "kind", "defaults")


def normalize_facts(facts: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return ``facts`` as plain data in canonical key order.

    Args:
        facts: Free-form facts, e.g. ``{"source": "shop/orders.py:41",
            "defaults": {"limit": 100}}``. ``None`` means no facts.

    Returns:
        A dict with the known keys first (``FACT_ORDER``), then the others sorted; every value
        passed through :func:`plain_value`. Keys whose value is ``None`` are left out.
    """
    if not facts:
        return {}
    keys = [k for k in FACT_ORDER if k in facts]
    keys += sorted(str(k) for k in facts if k not in FACT_ORDER)
    out: dict[str, Any] = {}
    for key in keys:
        value = facts[key]
        if value is not None:
            out[key] = plain_value(value)
    return out


def plain_value(value: Any) -> Any:
    """Reduce ``value`` to str/int/float/bool/None, lists and str-keyed dicts (keys sorted).

    Enums become their value, dates and datetimes ISO strings, timedeltas seconds, dataclass
    instances their fields, tuples and sets lists (sets sorted), bytes a hex string, and
    anything else ``<module.QualName>`` so that no memory address can leak in.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return plain_value(value.value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain_value(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, set | frozenset):
        return sorted((plain_value(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    kind = type(value)
    return f"<{kind.__module__}.{kind.__qualname__}>"
