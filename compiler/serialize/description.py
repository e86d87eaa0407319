"""``TaskSpec.description`` from a task's documentation (WIRE-FORMAT 14)."""

from __future__ import annotations

from typing import Any

from flyteidl.admin import description_entity_pb2 as desc_pb2

__all__ = ["build_description"]


def build_description(docs: Any) -> desc_pb2.DescriptionEntity:
    """The description entity of ``docs`` (a ``compiler.sdk.Documentation``).

    ``long_description`` is always present with the reST format, even without text: that is
    what flytekit writes for every function task, documented or not.
    """
    entity = desc_pb2.DescriptionEntity()
    if docs.short_description:
        entity.short_description = docs.short_description
    entity.long_description.format = desc_pb2.DESCRIPTION_FORMAT_RST
    if docs.long_description:
        entity.long_description.value = docs.long_description
    return entity
