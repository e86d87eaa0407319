"""pydantic v2 ``BaseModel``s: recognised by name, described, and converted by pydantic.

flytekit 1.16 gives a model the literal type of a dataclass (``STRUCT``, the field types in
``structure.dataclass_type``, the msgpack cache-key annotation) with pydantic's own
``model_json_schema()`` as ``metadata``, and writes a value as the msgpack of
``json.loads(model.model_dump_json())``; reading validates that data with
``model_validate``. pydantic is never imported here: a model class brings its own methods, so
``import compiler`` and tasks without models do not load it.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from compiler.errors import TypeMappingError
from compiler.types.context import DescribeContext, mapping_error, type_name
from compiler.types.desc import ModelOf, PickleOf, TypeDesc

__all__ = [
    "PYDANTIC_TAG",
    "describe_model",
    "is_pydantic_model",
    "model_from_plain",
    "model_schema",
    "model_to_plain",
]

#: The union ``structure.tag`` of a model (flytekit's transformer name).
PYDANTIC_TAG = "Pydantic Transformer"


def is_pydantic_model(hint: Any) -> bool:
    """A subclass of ``pydantic.BaseModel`` (checked by name: pydantic is not imported)."""
    return isinstance(hint, type) and any(
        k.__name__ == "BaseModel" and k.__module__.partition(".")[0] == "pydantic"
        for k in hint.__mro__[1:]
    )


def describe_model(hint: Any, ctx: DescribeContext) -> TypeDesc:
    """The fields of a model, each described as flytekit does (see ``ModelOf``)."""
    if hint in ctx.stack:
        raise mapping_error(
            f"model '{type_name(hint)}' refers to itself",
            "CT206",
            "recursive models have no Flyte literal type; break the cycle",
        )
    inner = dataclasses.replace(ctx, stack=(*ctx.stack, hint))
    fields = []
    for name, info in hint.model_fields.items():
        try:
            fields.append((name, inner.sub(info.annotation)))
        except TypeMappingError as exc:
            if exc.code == "CT201":  # flytekit's structure says "pickle"; pydantic writes it
                fields.append((name, PickleOf(info.annotation)))
            # Any other type without a literal type is left out of the structure, as flytekit.
    return ModelOf(hint, tuple(fields))


def model_schema(desc: ModelOf) -> dict[str, Any]:
    """pydantic's JSON schema of the model (the literal type's ``metadata``).

    Raises:
        TypeMappingError: CT226 when pydantic cannot build it.
    """
    try:
        return desc.cls.model_json_schema()
    except Exception as exc:  # pydantic's PydanticUserError, ...: say which model
        raise mapping_error(
            f"pydantic cannot give the JSON schema of model '{type_name(desc.cls)}' ({exc})",
            "CT226",
            "give every field a type pydantic can describe",
        ) from None


def model_to_plain(desc: ModelOf, value: Any) -> Any:
    """The JSON-compatible data of a model instance (what flytekit packs with msgpack)."""
    if not isinstance(value, desc.cls):
        raise TypeError(f"expected a {type_name(desc.cls)}, got {type(value).__name__}")
    return json.loads(value.model_dump_json())


def model_from_plain(desc: ModelOf, data: Any) -> Any:
    """A model instance validated from its plain data.

    Raises:
        TypeMappingError: CT227 when pydantic refuses the data (its message says why).
    """
    try:
        return desc.cls.model_validate(data, strict=False, context={"deserialize": True})
    except Exception as exc:  # pydantic.ValidationError: its text lists every bad field
        raise TypeMappingError(
            f"the data does not validate as model '{type_name(desc.cls)}': {exc}",
            code="CT227",
            hint=f"give data that validates as {type_name(desc.cls)} (the message lists the bad "
            "fields); a literal written for an older model needs a recompile and re-register",
        ) from None
